import type { ExplainPlan, LongTransactionRule } from '../../../../shared/model/query';
import { CoreError } from '../../errors';
import type { LaunchRunner, RunnerChannel } from '../../runner/runner-channel';
import { findWord } from '../common/error-position';
import type { QuerySession, StatementOptions, StatementOutcome, StatementSink, TransactionStatus } from '../query-session';
import { RunningStatement } from '../common/running-statement';
import type { FromRunner, ToRunner } from './sqlite-runner-protocol';
import { SpoolReader, spoolDirectory } from './sqlite-spool';
import type { EncodedRows } from '../../../../shared/model/columnar-batch';

interface Request {
  onMessage(msg: FromRunner): void;
  fail(err: Error): void;
}

const RUNNER_START_TIMEOUT_MS = 15_000;
/** Batches the runner may send ahead of the window (and slots in the result spool). */
const RUN_CREDIT = 2;

/**
 * An editor tab's SQLite session: its own connection inside a runner process. Cancel kills the
 * process (better-sqlite3 has no interrupt); the next statement starts a fresh one, and the
 * transaction that was open is gone (SQLite rolls back what was not committed).
 */
/** Why a long transaction hurts on SQLite: one writer at a time for the whole file. */
export const SQLITE_LONG_TRANSACTION: LongTransactionRule = {
  afterMs: 60_000,
  why: 'Once it has written, an open transaction holds the database file’s only write lock: every other program that writes to it waits, then fails with “database is locked”.',
};

export class SqliteQuerySession implements QuerySession {
  readonly backendId = null;
  readonly longTransaction = SQLITE_LONG_TRANSACTION;
  private runner: RunnerChannel | null = null;
  private starting: Promise<RunnerChannel> | null = null;
  private readonly requests = new Map<number, Request>();
  private nextId = 1;
  private autoCommit = true;
  private inTransaction = false;
  private running: RunningStatement<unknown> | null = null;
  /** Why the runner is being stopped, for the statements it was running. */
  private stopReason: CoreError | null = null;

  private constructor(
    private readonly file: string,
    private readonly readOnly: boolean,
    private readonly launch: LaunchRunner,
  ) {}

  static async open(file: string, readOnly: boolean, launch: LaunchRunner): Promise<SqliteQuerySession> {
    const session = new SqliteQuerySession(file, readOnly, launch);
    await session.process();
    return session;
  }

  /** The runner process, started on first use and after a cancel killed it. */
  private process(): Promise<RunnerChannel> {
    if (this.runner) return Promise.resolve(this.runner);
    this.starting ??= new Promise<RunnerChannel>((resolve, reject) => {
      const runner = this.launch();
      const timer = setTimeout(() => {
        void runner.kill();
        reject(new CoreError('internal', 'The SQLite runner process did not start in time.'));
      }, RUNNER_START_TIMEOUT_MS);
      runner.onMessage((raw) => {
        const msg = raw as FromRunner;
        if (msg.type === 'opened') {
          clearTimeout(timer);
          this.runner = runner;
          resolve(runner);
        } else if (msg.type === 'error' && msg.id === -1) {
          clearTimeout(timer);
          void runner.kill();
          reject(new CoreError('connection-failed', `The SQLite runner could not open "${this.file}": ${msg.message}`, { driverCode: msg.code }));
        } else this.requests.get(msg.id)?.onMessage(msg);
      });
      runner.onExit((code) => {
        clearTimeout(timer);
        if (this.runner === runner) this.runner = null;
        this.inTransaction = false;
        const err = this.stopReason ?? new CoreError('internal', `The SQLite runner process ended unexpectedly (exit code ${code ?? 'none'}).`);
        this.stopReason = null;
        for (const r of this.requests.values()) r.fail(err);
        this.requests.clear();
        reject(err);
      });
      runner.send({ type: 'open', file: this.file, readOnly: this.readOnly, busyTimeoutMs: 5000 } satisfies ToRunner);
    }).finally(() => (this.starting = null));
    return this.starting;
  }

  private async request<T>(build: (id: number) => ToRunner, onMessage: (msg: FromRunner, done: (v: T) => void, fail: (e: Error) => void) => void): Promise<T> {
    const runner = await this.process();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const finish = () => this.requests.delete(id);
      this.requests.set(id, {
        onMessage: (msg) => {
          if (msg.type === 'done' || msg.type === 'error') this.inTransaction = msg.inTransaction;
          if (msg.type === 'error') {
            finish();
            reject(Object.assign(new Error(msg.message), { code: msg.code, offset: msg.offset ?? null }));
            return;
          }
          onMessage(
            msg,
            (v) => {
              finish();
              resolve(v);
            },
            (e) => {
              finish();
              reject(e);
            },
          );
        },
        fail: (e) => {
          finish();
          reject(e);
        },
      });
      runner.send(build(id));
    });
  }

  async run(sql: string, sink: StatementSink, options: StatementOptions): Promise<StatementOutcome> {
    let chain: Promise<void> = Promise.resolve();
    const dir = spoolDirectory();
    const spool = dir ? SpoolReader.create(dir) : null;
    const work = this.request<StatementOutcome>(
      (id) => ({ type: 'run', id, sql, batchRows: options.batchRows, maxRows: options.maxRows, credit: RUN_CREDIT, autoCommit: this.autoCommit, ...(spool ? { spool: spool.path } : {}) }),
      (msg, done, fail) => {
        // The runner opens the spool before its first answer: the file's name has served its purpose.
        spool?.unlink();
        if (msg.type === 'columns') sink.columns(msg.columns);
        else if (msg.type === 'batch' || msg.type === 'spooled') {
          // Read out of the spool now: the runner reuses the slot once the credit below is granted.
          let batch: EncodedRows;
          try {
            batch = msg.type === 'spooled' ? { rowCount: msg.batch.rowCount, values: spool!.read(msg.batch) } : msg.batch;
          } catch (err) {
            fail(err as Error);
            return;
          }
          // Batches are taken in order; each one taken gives the runner credit for another.
          chain = chain.then(async () => {
            await sink.rows(batch);
            this.runner?.send({ type: 'credit', id: msg.id, batches: 1 } satisfies ToRunner);
          });
          chain.catch(fail);
        } else if (msg.type === 'done' && msg.outcome) {
          const outcome = msg.outcome;
          void chain.then(() => done({ ...outcome, notices: [] }), fail);
        }
      },
    ).finally(() => spool?.close());
    const running = new RunningStatement(work);
    this.running = running;
    try {
      return await running.result;
    } finally {
      this.running = null;
    }
  }

  async cancel(): Promise<{ reset: boolean }> {
    const running = this.running;
    const runner = this.runner;
    if (!running || !runner) return { reset: false };
    const reason = new CoreError('cancelled', 'The statement was cancelled: its SQLite process was stopped, and anything not committed was rolled back.');
    this.stopReason = reason;
    this.runner = null;
    this.inTransaction = false;
    await runner.kill();
    running.abort(reason);
    return { reset: true };
  }

  status(): TransactionStatus {
    return { autoCommit: this.autoCommit, open: this.inTransaction, failed: false };
  }

  async setAutoCommit(autoCommit: boolean): Promise<void> {
    this.autoCommit = autoCommit;
  }

  commit(): Promise<void> {
    return this.request<void>((id) => ({ type: 'exec', id, sql: 'COMMIT' }), (_m, done) => done());
  }

  rollback(): Promise<void> {
    return this.request<void>((id) => ({ type: 'exec', id, sql: 'ROLLBACK' }), (_m, done) => done());
  }

  async explain(sql: string, analyze: boolean): Promise<ExplainPlan> {
    const work = this.request<ExplainPlan>(
      (id) => ({ type: 'explain', id, sql, analyze }),
      (msg, done, fail) => (msg.type === 'done' && msg.plan ? done(msg.plan) : fail(new Error('The runner sent no plan.'))),
    );
    const running = new RunningStatement(work);
    this.running = running;
    try {
      return await running.result;
    } finally {
      this.running = null;
    }
  }

  /** SQLite's messages name the token or object at fault ('near "FROMM": syntax error', 'no such table: t'). */
  /** The main database: the runner's connection opens the same file (a table it ATTACHed is not seen from the engine's). */
  async lookupSchemas(): Promise<string[]> {
    return ['main'];
  }

  errorOffset(error: unknown, sql: string): number | null {
    const found = (error as { offset?: number | null }).offset;
    if (typeof found === 'number') return found;
    const message = (error as { message?: string }).message ?? '';
    const near = /near "([^"]*)": syntax error/.exec(message);
    if (near) {
      const at = near[1] === '' ? -1 : sql.indexOf(near[1]!);
      return at >= 0 ? at : null;
    }
    if (/incomplete input/.test(message)) return sql.length;
    const name = /no such (?:table|column|function): (?:\S+\.)?([^\s,]+)/.exec(message)?.[1];
    return name ? findWord(sql, name) : null;
  }

  async close(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    this.stopReason = new CoreError('cancelled', 'The editor tab was closed.');
    await runner?.kill();
  }
}
