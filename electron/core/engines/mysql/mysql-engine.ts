import { Kysely, MysqlDialect } from 'kysely';
import mysql from 'mysql2';
import type { Pool as PromisePool, RowDataPacket } from 'mysql2/promise';
import type { ServerInfo } from '../../../../shared/model/schema';
import type { ApplyResult, EditBatchLimit, EditRequest } from '../../../../shared/model/table-query';
import { mysqlExplainer } from './mysql-explained-errors';
import { TableDataService } from '../table-data/table-data-service';
import { editExplaining, type EditExplaining } from '../table-data/explain-edit-failure';
import type { EngineConfig } from '../config';
import { MysqlQueryTools } from './mysql-query-tools';
import type { ClusterStatusSource, Engine, ReadDesignOptions } from '../engine';
import type { EngineHooks } from '../hooks';
import type { DesignSchema, EngineType } from '../../../../features/designer/shared/model';
import type { DesignDialect } from '../../../../features/designer/core/design-dialect';
import { MysqlDesignDialect } from './mysql-ddl';
import { MysqlDesignReader } from './mysql-design-reader';
import { GaleraStatusReader } from './galera/galera-status-reader';
import { checkEditBatch, explainWritesetRefusal, readWritesetLimits } from './galera/writeset-limits';
import { MysqlIntrospector } from './mysql-introspector';
import { formatEndpoint, mysqlConnectionOptions, withProfileTls } from './mysql-connection-options';
import { MysqlMigrationAdapter, type MigrationNode } from './mysql-migrations';
import { MysqlTableData } from './mysql-table-data';
import { MysqlQueryKiller } from './mysql-query-killer';
import { mysqlDialect } from './mysql-dialect';
import { ConnectionCap } from '../common/connection-cap';
import { MysqlImporter } from './mysql-import';
import type { TableImporter } from '../../../../features/import/core/table-importer';
import { capMysqlPool, mysqlCapReader } from './mysql-pool-cap';

export type MysqlFlavour = 'mysql' | 'mariadb';

/** Serves MySQL, MariaDB and Galera nodes (mysql2 pool; Kysely over the same pool). */
export class MysqlEngine implements Engine {
  readonly dialect = mysqlDialect;
  readonly introspector: MysqlIntrospector;
  readonly promisePool: PromisePool;
  readonly tableData: MysqlTableDataService;
  private kyselyInstance: Kysely<unknown> | undefined;
  private statusReader: GaleraStatusReader | undefined;
  private closed = false;
  /** KILL QUERY for the table browser's cancelled statements, from a connection outside the pool. */
  private readonly killer: MysqlQueryKiller;
  private queryToolsInstance: MysqlQueryTools | undefined;

  /** Made on first use: most windows never open the SQL editor. */
  get queryTools(): MysqlQueryTools {
    this.queryToolsInstance ??= new MysqlQueryTools(this.pool, this.promisePool, this.flavour, this.cap, this.connectionOptions);
    return this.queryToolsInstance;
  }

  readonly endpoint: string;

  private constructor(
    readonly pool: mysql.Pool,
    readonly host: string,
    readonly port: number,
    readonly flavour: MysqlFlavour,
    private readonly config: EngineConfig,
    /** How the pool connects, so a migration run can open a connection of its own outside the pool. */
    readonly connectionOptions: mysql.ConnectionOptions,
    /** The TLS options the pool connected with (after sslmode=prefer decided), for connections to the cluster's other nodes. */
    private readonly tls: Parameters<typeof mysqlConnectionOptions>[3],
    /** The server's connection limit as the pool met it (the SQL editor shares the pool's connections under it). */
    readonly cap: ConnectionCap,
  ) {
    this.endpoint = formatEndpoint(host, port);
    this.promisePool = pool.promise();
    this.introspector = new MysqlIntrospector(this.promisePool, flavour);
    this.killer = new MysqlQueryKiller(connectionOptions, this.promisePool);
    const tableDriver = new MysqlTableData(pool, this.promisePool, flavour, this.introspector, () => this.kysely, this.killer);
    this.tableData = new MysqlTableDataService(tableDriver, editExplaining((schema) => this.readDesign(schema), mysqlExplainer), this.promisePool);
  }

  static async open(config: EngineConfig, host: string, port: number, hooks: EngineHooks = {}): Promise<MysqlEngine> {
    return withProfileTls(config, (tls) => MysqlEngine.tryOpen(config, host, port, tls, hooks));
  }

  private static async tryOpen(config: EngineConfig, host: string, port: number, tls: Parameters<typeof mysqlConnectionOptions>[3], hooks: EngineHooks): Promise<MysqlEngine> {
    const connectionOptions = mysqlConnectionOptions(config, host, port, tls);
    const pool = mysql.createPool({ ...connectionOptions, connectionLimit: config.poolSize });
    const cap = new ConnectionCap(config.poolSize, mysqlCapReader, hooks.onPoolCapped);
    capMysqlPool(pool, cap);
    pool.on('connection', (conn) => {
      conn.on('error', (err) => hooks.onConnectionLost?.(err));
      // Queued before any other query of this connection. The handshake already asks for utf8mb4;
      // SET NAMES makes it hold on servers that ignore the client's handshake charset too
      // (character-set-client-handshake=OFF), so every pooled connection is utf8mb4, always.
      conn.query('SET NAMES utf8mb4', () => undefined);
      // Read-only is the server's rule on every pooled session.
      if (config.readOnly) conn.query('SET SESSION TRANSACTION READ ONLY');
    });
    const promisePool = pool.promise();
    let flavour: MysqlFlavour;
    try {
      const [rows] = await promisePool.query<RowDataPacket[]>('SELECT VERSION() AS v');
      flavour = /mariadb/i.test(String(rows[0]!.v)) ? 'mariadb' : 'mysql';
    } catch (err) {
      await promisePool.end().catch(() => undefined);
      throw err;
    }
    return new MysqlEngine(pool, host, port, flavour, config, connectionOptions, tls, cap);
  }

  /** How a migration run reaches this node, and the cluster's other nodes (`peers`: the profile's, for a cluster connection). */
  migrationNode(peers: { host: string; port: number }[]): MigrationNode {
    return {
      options: this.connectionOptions,
      flavour: this.flavour,
      endpoint: this.endpoint,
      peers,
      optionsFor: (host, port) => mysqlConnectionOptions(this.config, host, port, this.tls),
    };
  }

  get kysely(): Kysely<unknown> {
    this.kyselyInstance ??= new Kysely({ dialect: new MysqlDialect({ pool: this.pool }) });
    return this.kyselyInstance;
  }

  async serverInfo(): Promise<ServerInfo> {
    const [rows] = await this.promisePool.query<RowDataPacket[]>(`SELECT VERSION() AS v, @@version_comment AS c, CURRENT_USER() AS cu, DATABASE() AS db`);
    // Variable names differ by flavour and version (tx_read_only vs transaction_read_only): ask for all, use what exists.
    const [vars] = await this.promisePool.query<RowDataPacket[]>(
      "SHOW SESSION VARIABLES WHERE Variable_name IN ('read_only', 'tx_read_only', 'transaction_read_only', 'wsrep_on')",
    );
    const v = new Map(vars.map((x) => [String(x.Variable_name).toLowerCase(), String(x.Value).toUpperCase()]));
    const r = rows[0]!;
    const version = String(r.v);
    return {
      product: this.flavour,
      version: version.replace(/-.*$/, ''),
      versionText: `${version} (${String(r.c)})`,
      currentUser: r.cu === null ? null : String(r.cu),
      currentDatabase: r.db === null ? null : String(r.db),
      readOnly: ['read_only', 'tx_read_only', 'transaction_read_only'].some((k) => v.get(k) === 'ON' || v.get(k) === '1'),
      galera: v.get('wsrep_on') === 'ON',
    };
  }

  readDesign(schema: string, options?: ReadDesignOptions): Promise<DesignSchema> {
    return new MysqlDesignReader(this.promisePool, this.flavour).read(schema, options);
  }

  async listTypes(): Promise<EngineType[]> {
    return (await this.designDialect()).builtinTypes();
  }

  async designDialect(): Promise<DesignDialect> {
    const [rows] = await this.promisePool.query<RowDataPacket[]>('SELECT VERSION() AS v');
    return new MysqlDesignDialect(this.flavour, String(rows[0]!.v).replace(/-.*$/, ''));
  }

  /** Galera: every node's health, found from this node (wsrep_incoming_addresses lists the others). */
  clusterStatus(): ClusterStatusSource {
    this.statusReader ??= new GaleraStatusReader(this.config, [{ host: this.host, port: this.port }], () => this.endpoint);
    return this.statusReader;
  }

  private migrationAdapter: MysqlMigrationAdapter | undefined;
  importer(): TableImporter {
    return new MysqlImporter(this.promisePool);
  }

  migrations(): MysqlMigrationAdapter {
    this.migrationAdapter ??= new MysqlMigrationAdapter(() => this.migrationNode([{ host: this.host, port: this.port }]));
    return this.migrationAdapter;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.killer.close();
    await this.statusReader?.close();
    if (this.kyselyInstance) await this.kyselyInstance.destroy();
    else await this.promisePool.end();
  }
}

/**
 * The table browser's service on a MySQL/MariaDB server. On a Galera node, staged changes that one
 * transaction cannot carry (wsrep_max_ws_rows / wsrep_max_ws_size) are refused before anything runs —
 * with the reason and a split the user may agree to. Elsewhere there is no such limit.
 */
export class MysqlTableDataService extends TableDataService {
  constructor(
    driver: MysqlTableData,
    explaining: EditExplaining,
    private readonly promisePool: PromisePool,
  ) {
    super(driver, explaining);
  }

  override async applyEdits(edits: EditRequest, secrets: readonly string[] = []): Promise<ApplyResult> {
    const limit = await this.checkEditLimits(edits);
    if (limit) return { applied: false, rowsAffected: 0, problems: [], limit };
    const result = await super.applyEdits(edits, secrets);
    return { ...result, problems: result.problems.map((p) => ({ ...p, message: explainWritesetRefusal(p.message) })) };
  }

  override async checkEditLimits(edits: EditRequest): Promise<EditBatchLimit | null> {
    const limits = await readWritesetLimits(this.promisePool);
    if (!limits) return null;
    // Updates and deletes replicate whole rows: their size is the table's average row length.
    let rowBytes = 0;
    if (edits.changes.some((c) => c.kind !== 'insert')) {
      const [rows] = await this.promisePool.query<RowDataPacket[]>('SELECT AVG_ROW_LENGTH AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [edits.table.schema, edits.table.name]);
      rowBytes = Math.max(64, Number(rows[0]?.n ?? 0) || 0);
    }
    return checkEditBatch(edits, limits, rowBytes);
  }
}
