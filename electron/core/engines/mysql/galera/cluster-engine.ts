import type { ServerInfo } from '../../../../../shared/model/schema';
import type { QueryCapable } from '../../query-session';
import type { DesignSchema, EngineType } from '../../../../../features/designer/shared/model';
import type { DesignDialect } from '../../../../../features/designer/core/design-dialect';
import { CoreError, driverErrorDetail } from '../../../errors';
import type { EngineConfig } from '../../config';
import type { ClusterStatusSource, Engine, Introspection, ReadDesignOptions, TableData } from '../../engine';
import type { EngineHooks } from '../../hooks';
import { MysqlEngine } from '../mysql-engine';
import { MysqlMigrationAdapter } from '../mysql-migrations';
import { formatEndpoint } from '../mysql-connection-options';
import { GaleraStatusReader } from './galera-status-reader';
import { checkNode, chooseNode, describeChecks, type ClusterNodeAddress, type NodeCheck } from './node-check';
import { NodeConnection } from './node-connection';
import { describeNodeFailure, isNodeFailure } from './node-health';
import type { TableImporter } from '../../../../../features/import/core/table-importer';
import { mysqlDialect } from '../mysql-dialect';

/** How often the node in use is checked; a node that leaves the primary component is left within about this. */
export const HEALTH_INTERVAL_MS = 1000;

/**
 * A connection to a Galera cluster: one mysql2 pool on one node at a time, chosen by the
 * clustercheck rule, and moved to another node when that one becomes unusable — noticed by a health
 * check every second, by a pooled connection breaking, or by a statement failing for a node reason.
 *
 * The rule that keeps edits safe: a statement in flight when its node fails is reported failed,
 * never run again on another node (it may have committed before the node went away). Only the
 * statements that start after the move run on the new node.
 */
export class GaleraClusterEngine implements Engine {
  readonly dialect = mysqlDialect;
  private active: MysqlEngine | null = null;
  /** The health-check connection to the active node (outside its pool). */
  private checker: NodeConnection | null = null;
  private switching: Promise<void> | null = null;
  private checking: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastChecks: NodeCheck[] = [];
  private statusReader: GaleraStatusReader | undefined;

  readonly introspector: Introspection = {
    listSchemas: () => this.withNode((n) => n.introspector.listSchemas()),
    listTables: (schema) => this.withNode((n) => n.introspector.listTables(schema)),
  };

  // Table data and SQL editor work: every call goes through withNode, so a call in flight when its
  // node fails is reported failed and never re-run on another node.
  readonly tableData: TableData;

  /** An editor session lives on the node in use when it opens; if that node fails, the session fails with it. */
  readonly queryTools: QueryCapable = {
    openQuerySession: (options) => this.withNode((n) => n.queryTools.openQuerySession(options)),
    listColumns: (schema) => this.withNode((n) => n.queryTools.listColumns(schema)),
    processList: (ownBackendIds) => this.withNode((n) => n.queryTools.processList(ownBackendIds)),
    killProcess: (id, mode) => this.withNode((n) => n.queryTools.killProcess(id, mode)),
  };

  private constructor(
    private readonly config: EngineConfig,
    readonly nodes: ClusterNodeAddress[],
    private readonly hooks: EngineHooks,
  ) {
    const activeNode = () => this.activeNode();
    const on = <T>(fn: (data: TableData) => Promise<T>) => this.withNode((n) => fn(n.tableData));
    this.tableData = {
      describeTable: (table) => on((d) => d.describeTable(table)),
      readWindow: (query, window, signal) => on((d) => d.readWindow(query, window, signal)),
      countRows: (query, timeoutMs, signal) => on((d) => d.countRows(query, timeoutMs, signal)),
      readCell: (table, rowId, column) => on((d) => d.readCell(table, rowId, column)),
      planEdits: (edits) => on((d) => d.planEdits(edits)),
      applyEdits: (edits) => on((d) => d.applyEdits(edits)),
      checkEditLimits: (edits) => on((d) => d.checkEditLimits(edits)),
      streamRows: (query, options, onRows) => on((d) => d.streamRows(query, options, onRows)),
      copyCsv: (query, options, write) => on((d) => d.copyCsv(query, options, write)),
      columnsOf: (table) => on((d) => d.columnsOf(table)),
      referencedBy: (table) => on((d) => d.referencedBy(table)),
      explainFromCatalog: (explained, candidates, action) => on((d) => d.explainFromCatalog(explained, candidates, action)),
      get sqlText() {
        return activeNode().tableData.sqlText;
      },
    };
  }

  /** Connects to the first usable node in the profile's order; fails saying what is wrong with each. */
  static async open(config: EngineConfig, nodes: ClusterNodeAddress[], hooks: EngineHooks = {}): Promise<GaleraClusterEngine> {
    const engine = new GaleraClusterEngine(config, nodes, hooks);
    const opened = await engine.openFirstUsable(nodes);
    if (!opened) {
      throw new CoreError('connection-failed', `No node of the cluster is usable — ${describeChecks(engine.lastChecks)}.`, {
        step: 'cluster',
        nodes: engine.lastChecks.map((c) => ({ endpoint: c.endpoint, usable: c.usable, reason: c.reason })),
      });
    }
    engine.use(opened);
    engine.schedule();
    return engine;
  }

  /** The node in use, or a note that there is none right now. */
  get endpoint(): string {
    return this.active?.endpoint ?? 'no usable node';
  }

  /**
   * Runs `fn` on the node in use. Waits for a move in progress first. When `fn` fails because its
   * node failed, the error says so and where the connection went — and `fn` is NOT run again.
   */
  async withNode<T>(fn: (node: MysqlEngine) => Promise<T>): Promise<T> {
    if (this.switching) await this.switching;
    const node = this.active;
    if (!node) throw this.noUsableNode();
    try {
      return await fn(node);
    } catch (err) {
      if (!isNodeFailure(err)) throw err;
      if (this.active === node) await this.freshCheck();
      if (this.switching) await this.switching;
      const now = this.active;
      const after = now === node ? `${node.endpoint} still passes its health check` : now ? `the connection moved to ${now.endpoint}` : 'no other node is usable right now';
      // Staged edits know whether they had reached COMMIT; anything else cannot tell.
      const committed = (err as { committed?: unknown }).committed;
      const outcome =
        committed === 'no'
          ? `It had not been committed, so nothing of it was applied, and it was not run again on another node; ${after}. Apply it again if it is still needed.`
          : `Whether it took effect is unknown, and it was not run again on another node; ${after}. ${committed === 'unknown' ? 'Reload the data to see before applying again.' : 'Run it again if it is still needed.'}`;
      throw new CoreError('connection-failed', `Node ${node.endpoint} failed while the statement ran: ${describeNodeFailure(err)}. ${outcome}`, {
        ...driverErrorDetail((err as { cause?: unknown }).cause ?? err),
        step: 'cluster',
        node: node.endpoint,
        notRetried: true,
        ...(committed === 'no' || committed === 'unknown' ? { committed } : {}),
      });
    }
  }

  serverInfo(): Promise<ServerInfo> {
    return this.withNode((n) => n.serverInfo());
  }

  readDesign(schema: string, options?: ReadDesignOptions): Promise<DesignSchema> {
    return this.withNode((n) => n.readDesign(schema, options));
  }

  listTypes(): Promise<EngineType[]> {
    return this.withNode((n) => n.listTypes());
  }

  designDialect(): Promise<DesignDialect> {
    return this.withNode((n) => n.designDialect());
  }

  clusterStatus(): ClusterStatusSource {
    this.statusReader ??= new GaleraStatusReader(this.config, this.nodes, () => this.active?.endpoint ?? null);
    return this.statusReader;
  }

  /** An import loads through the node in use when it starts (one transaction: Galera's write-set limits apply). */
  importer(): TableImporter {
    return this.activeNode().importer();
  }

  private migrationAdapter: MysqlMigrationAdapter | undefined;
  /** Each migration run connects to the node in use when it starts and stays on it (never moved mid-run). */
  migrations(): MysqlMigrationAdapter {
    this.migrationAdapter ??= new MysqlMigrationAdapter(() => this.activeNode().migrationNode(this.nodes));
    return this.migrationAdapter;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.checker?.close();
    await this.switching?.catch(() => undefined);
    await Promise.allSettled([this.active?.close(), this.statusReader?.close()]);
    this.active = null;
  }

  /** The node in use right now (no waiting for a move in progress), for what is bound to one node when it starts. */
  private activeNode(): MysqlEngine {
    if (!this.active) throw this.noUsableNode();
    return this.active;
  }

  private noUsableNode(): CoreError {
    const detail = this.lastChecks.length ? ` — ${describeChecks(this.lastChecks)}` : '';
    return new CoreError('connection-failed', `No node of the cluster is usable right now${detail}. DB Desk keeps checking and reconnects when one is.`, {
      step: 'cluster',
      nodes: this.lastChecks.map((c) => ({ endpoint: c.endpoint, usable: c.usable, reason: c.reason })),
    });
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule());
    }, HEALTH_INTERVAL_MS);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      if (this.active) await this.checkNow();
      else await this.recover();
    } catch {
      // A failed tick is retried on the next one; checks themselves never throw.
    }
  }

  /** One health check of the node in use at a time; a failed check moves the connection. */
  private checkNow(): Promise<void> {
    this.checking ??= this.checkActive().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** A check that starts after now (not one that began before a failure was seen). */
  private async freshCheck(): Promise<void> {
    await this.checking;
    await this.checkNow();
  }

  private async checkActive(): Promise<void> {
    const node = this.active;
    const checker = this.checker;
    if (!node || !checker || this.closed || this.switching) return;
    const check = await checkNode(checker);
    if (check.usable || this.closed || this.active !== node) return;
    await this.failOver(node, check.reason ?? 'it failed its health check');
  }

  private failOver(from: MysqlEngine, reason: string): Promise<void> {
    this.switching ??= (async () => {
      const others = this.nodes.filter((n) => formatEndpoint(n.host, n.port) !== from.endpoint);
      const next = await this.openFirstUsable(others);
      if (this.closed) {
        await next?.close();
        return;
      }
      this.retire(from);
      if (next) {
        this.use(next);
        this.hooks.onNodeChange?.({ from: from.endpoint, to: next.endpoint, reason });
      } else {
        this.active = null;
        this.hooks.onNodeChange?.({ from: from.endpoint, to: null, reason: `${reason}; no other node is usable — ${describeChecks(this.lastChecks)}` });
      }
    })().finally(() => {
      this.switching = null;
    });
    return this.switching;
  }

  /** With no usable node, every tick looks for one again. */
  private async recover(): Promise<void> {
    const next = await this.openFirstUsable(this.nodes);
    if (!next) return;
    if (this.closed) return void (await next.close());
    this.use(next);
    this.hooks.onNodeChange?.({ from: null, to: next.endpoint, reason: `${next.endpoint} is usable again` });
  }

  /** Opens a pool on the first usable node of `candidates` (profile order), or null. */
  private async openFirstUsable(candidates: ClusterNodeAddress[]): Promise<MysqlEngine | null> {
    let remaining = candidates;
    const checks: NodeCheck[] = [];
    while (remaining.length > 0) {
      const { chosen, checks: made } = await chooseNode(this.config, remaining);
      checks.push(...made);
      if (!chosen) break;
      try {
        this.lastChecks = checks;
        return await this.openNode(chosen);
      } catch (err) {
        // It passed its check a moment ago and failed to open now: note why and try the next one.
        checks[checks.length - 1] = { ...chosen, usable: false, reason: describeNodeFailure(err) };
        const at = remaining.findIndex((n) => formatEndpoint(n.host, n.port) === chosen.endpoint);
        remaining = remaining.slice(at + 1);
      }
    }
    this.lastChecks = checks;
    return null;
  }

  private async openNode(node: ClusterNodeAddress): Promise<MysqlEngine> {
    let opened: MysqlEngine | null = null;
    const engine = await MysqlEngine.open(this.config, node.host, node.port, {
      // A pooled connection breaking may mean the node is gone: check now rather than at the next tick.
      onConnectionLost: () => {
        if (opened && opened === this.active) void this.checkNow();
      },
    });
    opened = engine;
    return engine;
  }

  private use(engine: MysqlEngine): void {
    this.active = engine;
    this.checker?.close();
    this.checker = new NodeConnection(this.config, engine.host, engine.port);
  }

  private retire(engine: MysqlEngine): void {
    if (this.active === engine) this.active = null;
    this.checker?.close();
    this.checker = null;
    // Statements still running there fail on their own and are reported as such; nothing waits for them.
    void engine.close().catch(() => undefined);
  }
}
