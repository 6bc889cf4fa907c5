import { performance } from 'node:perf_hooks';
import type { CommandOutput, CommandParsedInput } from '../../../shared/ipc/contract';
import type { ExplainedError } from '../../../shared/model/explained-error';
import type { ExplainPlan, SessionState, StatementError, StatementResult } from '../../../shared/model/query';
import { SecretScrubber } from '../../../shared/security/secrets';
import type { ColumnMeta } from '../../../shared/model/values';
import { mayWrite } from '../../../shared/sql/statement-kind';
import { writtenBy, writtenTableRef } from '../../../shared/sql/written-table';
import type { TableRef } from '../../../shared/model/schema';
import type { Engine } from '../../../electron/core/engines/engine';
import type { QuerySession } from '../../../electron/core/engines/query-session';
import { CoreError, toIpcError } from '../../../electron/core/errors';
import type { LaunchRunner } from '../../../electron/core/runner/runner-channel';
import type { ConnectionRegistry } from '../../../electron/core/worker/connection-registry';
import type { WorkerContext } from '../../../electron/core/worker/worker-context';

interface Run {
  runId: string;
  credit: number;
  wake: (() => void) | null;
  cancelled: boolean;
}

interface OpenSession {
  id: string;
  connectionId: string;
  session: QuerySession;
  readOnly: boolean;
  production: boolean;
  run: Run | null;
  /** Commands (commit, autocommit…) wait for each other and for runs: one connection, one thing at a time. */
  busy: Promise<unknown>;
  /** When the open transaction began (performance.now(): the start of the statement that opened it); null when none is open. */
  txSince: number | null;
}

/**
 * How long a refused statement's explanation may wait for the catalog of the table it writes: the
 * lookup is a few catalog reads on the pool (milliseconds); past this the explainer's answer stands.
 */
export const EXPLAIN_LOOKUP_MS = 1_000;

/** The kinds the catalog of the written table can add to: its keys, checks and column types. */
const CATALOG_KINDS = new Set<ExplainedError['kind']>(['unique', 'foreign-key', 'not-null', 'check', 'too-long', 'out-of-range', 'invalid-value']);

/** PostgreSQL's and MySQL's "statement cancelled" codes: a cancelled run reports them as cancelled, not failed. */
const CANCEL_CODES = new Set(['57014', '1317']);

/**
 * The query sessions of one worker (one window): an editor tab's dedicated connection, the runs
 * on it with their credit-based flow control, cancel, transactions and plans.
 */
export class QuerySessions {
  private readonly sessions = new Map<string, OpenSession>();
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly emit: WorkerContext['emit'],
    private readonly launchRunner: LaunchRunner,
  ) {
    registry.onClose((connectionId) => this.closeForConnection(connectionId));
  }

  private get(sessionId: string): OpenSession {
    const s = this.sessions.get(sessionId);
    if (!s) throw new CoreError('not-found', 'This editor tab has no open query session (the connection was closed or reopened). Run the statement again to reconnect it.');
    return s;
  }

  state(s: OpenSession): SessionState {
    const tx = s.session.status();
    if (!tx.open) s.txSince = null;
    else s.txSince ??= performance.now();
    return {
      sessionId: s.id,
      connectionId: s.connectionId,
      autoCommit: tx.autoCommit,
      transactionOpen: tx.open,
      transactionFailed: tx.failed,
      // An age, not a time of day: the window may run on another machine with another clock.
      transactionAgeMs: s.txSince === null ? null : Math.round(performance.now() - s.txSince),
      longTransaction: s.session.longTransaction,
      readOnly: s.readOnly,
      production: s.production,
      backendId: s.session.backendId,
      running: s.run !== null,
    };
  }

  private announce(s: OpenSession): SessionState {
    const state = this.state(s);
    this.emit('query.session', state);
    return state;
  }

  async open(connectionId: string, sessionId: string): Promise<SessionState> {
    const existing = this.sessions.get(sessionId);
    if (existing && existing.connectionId === connectionId) return this.state(existing);
    if (existing) await this.close(sessionId);
    const entry = this.registry.get(connectionId);
    const session = await entry.engine.queryTools.openQuerySession({ readOnly: entry.readOnly, launchRunner: this.launchRunner });
    const s: OpenSession = { id: sessionId, connectionId, session, readOnly: entry.readOnly, production: entry.production, run: null, busy: Promise.resolve(), txSince: null };
    // Production connections start in manual mode: nothing is committed until the user says so.
    if (entry.production) await session.setAutoCommit(false);
    this.sessions.set(sessionId, s);
    return this.state(s);
  }

  async close(sessionId: string): Promise<boolean> {
    const s = this.sessions.get(sessionId);
    if (!s) return false;
    this.sessions.delete(sessionId);
    if (s.run) await this.cancel(sessionId).catch(() => undefined);
    await s.session.close();
    return true;
  }

  private async closeForConnection(connectionId: string): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].filter((s) => s.connectionId === connectionId).map((s) => this.close(s.id)));
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.sessions.keys()].map((id) => this.close(id)));
  }

  /** Backend ids of this window's query sessions on a connection, to mark them in the process list. */
  backendIds(connectionId: string): Set<string> {
    const ids = new Set<string>();
    for (const s of this.sessions.values()) if (s.connectionId === connectionId && s.session.backendId) ids.add(s.session.backendId);
    return ids;
  }

  /** Runs one thing at a time on a session's connection. */
  private exclusive<T>(s: OpenSession, fn: () => Promise<T>): Promise<T> {
    const next = s.busy.then(fn, fn);
    s.busy = next.catch(() => undefined);
    return next;
  }

  /**
   * `signal`: the caller's (the editor's Cancel). When it aborts, the running statement is cancelled on
   * the server and the rest are skipped; the run still answers, with the statements done so far and
   * the stopped one marked cancelled.
   */
  async run(input: CommandParsedInput<'query.run'>, signal?: AbortSignal): Promise<CommandOutput<'query.run'>> {
    signal?.throwIfAborted();
    const s = this.get(input.sessionId);
    if (s.run) throw new CoreError('conflict', 'This tab is still running a statement. Wait for it or cancel it first.');
    if (s.production && !input.confirmWrites) {
      const rules = this.registry.get(s.connectionId).engine.dialect.lexRules;
      const writes = input.statements.map((st, i) => (mayWrite(st.sql, rules) ? i : -1)).filter((i) => i >= 0);
      if (writes.length > 0) {
        throw new CoreError('forbidden', 'This is a production connection: confirm before running statements that may write.', { needsConfirmation: true, statements: writes });
      }
    }
    const run: Run = { runId: input.runId, credit: input.initialCredit, wake: null, cancelled: false };
    s.run = run;
    this.runs.set(run.runId, run);
    this.announce(s);
    const onAbort = () => void this.cancelRun(s, run).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    let results: StatementResult[];
    try {
      results = await this.exclusive(s, async () => {
        const results: StatementResult[] = [];
        let stop = false;
        for (const [index, st] of input.statements.entries()) {
          if (stop || run.cancelled) {
            results.push(skipped(index, st.sql, st.offset));
            continue;
          }
          const result = await this.runOne(s, run, index, st.sql, st.offset, input);
          results.push(result);
          this.emit('query.statement', { runId: run.runId, sessionId: s.id, index, phase: 'done', result });
          if (result.status === 'cancelled' || (result.status === 'error' && !input.continueOnError)) stop = true;
        }
        return results;
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      s.run = null;
      this.runs.delete(run.runId);
    }
    return { results, session: this.announce(s) };
  }

  private async runOne(s: OpenSession, run: Run, index: number, sql: string, offset: number, input: CommandParsedInput<'query.run'>): Promise<StatementResult> {
    const emit = this.emit;
    let columns: ColumnMeta[] | null = null;
    emit('query.statement', { runId: run.runId, sessionId: s.id, index, phase: 'started' });
    const started = performance.now();
    const base = { index, offset, sql };
    const txBefore = s.session.status();
    try {
      const outcome = await s.session.run(
        sql,
        {
          columns(cols) {
            columns = cols;
            emit('query.statement', { runId: run.runId, sessionId: s.id, index, phase: 'columns', columns: cols });
          },
          async rows(batch) {
            // Credit-based flow control: a batch goes out only when the window has room for it.
            while (run.credit <= 0 && !run.cancelled) await new Promise<void>((resolve) => (run.wake = resolve));
            if (run.cancelled) throw new CoreError('cancelled', 'Cancelled.');
            run.credit--;
            emit('query.batch', { runId: run.runId, index, rowCount: batch.rowCount, values: batch.values });
          },
        },
        { batchRows: input.batchRows, maxRows: input.maxRows },
      );
      return {
        ...base,
        status: 'ok',
        command: outcome.command,
        columns: outcome.hasResultSet ? columns : null,
        rowCount: outcome.rowCount,
        truncated: outcome.truncated,
        rowsAffected: outcome.rowsAffected,
        notices: outcome.notices,
        durationMs: elapsed(started),
        error: null,
      };
    } catch (err) {
      const durationMs = elapsed(started);
      const ipc = toIpcError(err, 'query-failed', this.registry.allSecrets());
      const code = statementCode(err);
      const cancelled = run.cancelled || ipc.code === 'cancelled' || (code !== null && CANCEL_CODES.has(code) && run.cancelled);
      const at = cancelled ? null : s.session.errorOffset(err, sql);
      const error: StatementError = {
        message: ipc.message,
        code,
        offset: at === null ? null : offset + at,
        detail: typeof (err as { detail?: unknown }).detail === 'string' ? (err as { detail: string }).detail : null,
        hint: typeof (err as { hint?: unknown }).hint === 'string' ? (err as { hint: string }).hint : null,
        explained: cancelled ? null : await this.explainError(s, err, sql),
      };
      return {
        ...base,
        status: cancelled ? 'cancelled' : 'error',
        command: null,
        columns,
        rowCount: 0,
        truncated: false,
        rowsAffected: null,
        notices: [],
        durationMs,
        error,
      };
    } finally {
      const txAfter = s.session.status();
      if (txAfter.open && !txBefore.open) s.txSince = started;
      if (txAfter.open !== txBefore.open || txAfter.failed !== txBefore.failed) this.announce(s);
    }
  }

  /**
   * A constraint or limit error in the user's terms, by the connection's dialect, then filled in from
   * the catalog of the table the statement writes (its keys, checks, column types) within
   * EXPLAIN_LOOKUP_MS. The catalog is read on the pool's connections, never on the session's: its
   * transaction (a failed one on PostgreSQL) stays exactly as the statement left it.
   */
  private async explainError(s: OpenSession, err: unknown, sql: string): Promise<ExplainedError | null> {
    let engine: Engine;
    let e: ExplainedError | null;
    try {
      engine = this.registry.get(s.connectionId).engine;
      e = engine.dialect.explainer.explain(err, writtenBy(sql));
    } catch {
      return null;
    }
    if (!e) return null;
    const explained = e;
    const full = CATALOG_KINDS.has(e.kind) ? await withinTime(this.fromCatalog(s, engine, explained, sql), EXPLAIN_LOOKUP_MS).catch(() => null) : null;
    return new SecretScrubber(this.registry.allSecrets()).scrubDeep(full ?? explained);
  }

  /** The table as the session resolves its name: the schema the server or the statement named, else its search path (or current database), else the connection's default. */
  private async fromCatalog(s: OpenSession, engine: Engine, e: ExplainedError, sql: string): Promise<ExplainedError> {
    const written = writtenTableRef(sql, engine.dialect.identifiers);
    const name = e.table ?? written?.name;
    if (!name) return e;
    const named = [written && written.name === name ? written.schema : null, e.schema].filter((x): x is string => x !== null);
    let schemas = named;
    if (schemas.length === 0) schemas = await s.session.lookupSchemas().catch(() => []);
    if (schemas.length === 0) schemas = (await engine.introspector.listSchemas()).filter((x) => x.isDefault).map((x) => x.name);
    const candidates: TableRef[] = [...new Set(schemas)].map((schema) => ({ schema, name }));
    return engine.tableData.explainFromCatalog(e, candidates, writtenBy(sql).action);
  }

  credit(runId: string, batches: number): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    run.credit += batches;
    run.wake?.();
    run.wake = null;
    return true;
  }

  /** Cancels what the session runs (its tab closing); a run's caller cancels through its signal instead. */
  async cancel(sessionId: string): Promise<boolean> {
    const s = this.get(sessionId);
    const run = s.run;
    if (!run) return false;
    await this.cancelRun(s, run);
    return true;
  }

  /** Stops `run` if it is still the session's: the statement is cancelled on the server, the rest skipped. */
  private async cancelRun(s: OpenSession, run: Run): Promise<void> {
    if (s.run !== run || run.cancelled) return;
    run.cancelled = true;
    run.wake?.();
    run.wake = null;
    await s.session.cancel();
  }

  async setAutoCommit(sessionId: string, autoCommit: boolean): Promise<SessionState> {
    const s = this.get(sessionId);
    return this.exclusive(s, async () => {
      if (autoCommit && s.session.status().open) {
        throw new CoreError('conflict', 'A transaction is open: commit or roll it back before switching to auto-commit.');
      }
      await s.session.setAutoCommit(autoCommit);
      return this.announce(s);
    });
  }

  async endTransaction(sessionId: string, how: 'commit' | 'rollback'): Promise<SessionState> {
    const s = this.get(sessionId);
    return this.exclusive(s, async () => {
      await (how === 'commit' ? s.session.commit() : s.session.rollback());
      return this.announce(s);
    });
  }

  /** `signal`: the caller's; aborting cancels the plan (with analyze, the statement) on the server. */
  async explain(input: CommandParsedInput<'query.explain'>, signal?: AbortSignal): Promise<ExplainPlan> {
    signal?.throwIfAborted();
    const s = this.get(input.sessionId);
    if (s.run) throw new CoreError('conflict', 'This tab is still running a statement. Wait for it or cancel it first.');
    const run: Run = { runId: input.runId, credit: 0, wake: null, cancelled: false };
    s.run = run;
    this.announce(s);
    const onAbort = () => void this.cancelRun(s, run).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.exclusive(s, () => s.session.explain(input.sql, input.analyze));
    } catch (err) {
      if (run.cancelled) throw new CoreError('cancelled', 'The plan was cancelled.');
      const at = s.session.errorOffset(err, input.sql);
      const e = toIpcError(err, 'query-failed', this.registry.allSecrets());
      throw new CoreError(e.code, e.message, { ...e.detail, offset: at });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      s.run = null;
      this.announce(s);
    }
  }
}

/** `work`'s answer if it comes within `ms`, else null (the work goes on, unawaited, to its own end). */
function withinTime<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function statementCode(err: unknown): string | null {
  if (err instanceof CoreError) return null;
  const e = err as { code?: unknown; errno?: unknown };
  if (typeof e.errno === 'number') return String(e.errno);
  return typeof e.code === 'string' ? e.code : null;
}

function skipped(index: number, sql: string, offset: number): StatementResult {
  return { index, offset, sql, status: 'skipped', command: null, columns: null, rowCount: 0, truncated: false, rowsAffected: null, notices: [], durationMs: 0, error: null };
}
