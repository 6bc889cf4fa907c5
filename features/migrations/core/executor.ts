import { writtenBy } from '../../../shared/sql/written-table';
import type { MigrationProgress, RunResult } from '../../../shared/model/migrations';
import type { MigrationAdapter, MigrationConnection } from './migration-adapter';
import { driverErrorDetail } from '../../../electron/core/errors';
import type { ToolMirror } from './foreign/mirrors';
import type { HistoryAction, HistoryStore } from './history/history-store';
import type { RunLock } from './locks/run-lock';
import type { ExecStatement, ExecStep } from './planner/plan';

export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** A failure at one statement, with the server's words. */
export class StatementFailure extends Error {
  override name = 'StatementFailure';
  constructor(
    message: string,
    readonly statement: ExecStatement,
    readonly original: unknown,
  ) {
    super(message);
  }
}

/** The server's error as an admin wants to read it: message, code, SQLSTATE, detail, hint. */
export function serverError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const d = driverErrorDetail(err);
  const codes = [d.driverCode && d.driverCode !== d.sqlState ? String(d.driverCode) : null, d.errno ? `errno ${String(d.errno)}` : null, d.sqlState ? `SQLSTATE ${String(d.sqlState)}` : null].filter(Boolean);
  const extra = [d.detail ? `Detail: ${String(d.detail)}` : null, d.hint ? `Hint: ${String(d.hint)}` : null].filter(Boolean);
  return [`${message}${codes.length ? ` (${codes.join(', ')})` : ''}`, ...extra].join('\n');
}

export interface ExecutorDeps {
  conn: MigrationConnection;
  adapter: MigrationAdapter;
  history: HistoryStore;
  lock: RunLock;
  mirror: ToolMirror | null;
  format: string;
  signal: AbortSignal | undefined;
  progress(p: Omit<MigrationProgress, 'runId' | 'stepsTotal' | 'elapsedMs'>): void;
}

const firstLine = (sql: string) => {
  const line = sql.split('\n').find((l) => l.trim() !== '') ?? sql;
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
};

/** Runs the steps of a plan one by one, under a lock the caller already holds. */
export class Executor {
  readonly done: RunResult['done'] = [];
  failed: RunResult['failed'] = null;

  constructor(private readonly d: ExecutorDeps) {}

  private checkCancel(): void {
    if (this.d.signal?.aborted) throw new CancelledError('Cancelled by the user between statements.');
  }

  /** Runs every step; stops at the first failure or cancel. Returns how it ended. */
  async run(steps: ExecStep[]): Promise<'success' | 'failed' | 'cancelled'> {
    const baseline = steps.filter((s) => s.action === 'baseline');
    if (baseline.length > 0) await this.baseline(baseline);
    for (const step of steps.filter((s) => s.action !== 'baseline')) {
      try {
        this.checkCancel();
        await this.d.lock.check();
      } catch (err) {
        if (err instanceof CancelledError) return 'cancelled';
        throw err;
      }
      const outcome = await this.step(step);
      if (outcome !== 'success') return outcome;
    }
    return 'success';
  }

  private async step(s: ExecStep): Promise<'success' | 'failed' | 'cancelled'> {
    const { conn, history, mirror, adapter } = this.d;
    const file = s.file!;
    const started = Date.now();
    const base = { version: s.plan.version, name: s.plan.name, direction: s.direction, statementsTotal: s.total, stepsDone: this.done.length };
    this.d.progress({ ...base, kind: 'migration-started', message: `${s.direction === 'up' ? 'Applying' : 'Reverting'} ${s.plan.version} ${s.plan.name}${s.resumeFrom > 1 ? ` from statement ${s.resumeFrom}` : ''}` });
    const id = await history.insert({
      version: file.repeatable ? file.key : file.version,
      name: file.name,
      action: s.action,
      status: 'running',
      checksum: s.direction === 'up' ? file.checksum : null,
      statementHashes: s.hashes,
      statementsApplied: s.resumeFrom - 1,
      statementsTotal: s.total,
      startedAt: new Date(started).toISOString(),
      folderFormat: this.d.format,
      transactional: s.atomic && adapter.transactionalDdl,
      note: s.resumeFrom > 1 ? `Resumed at statement ${s.resumeFrom}.` : null,
    });
    if (!s.atomic && s.direction === 'up') await mirror?.beforeUp(file);
    let applied = s.resumeFrom - 1;
    const finish = async () => {
      await history.update(id, { status: 'applied', statementsApplied: s.total, finishedAt: new Date().toISOString(), durationMs: Date.now() - started });
      if (s.direction === 'up') await mirror?.applied(file, Date.now() - started);
      else await mirror?.reverted(file, s.previous);
    };
    const runStatement = async (st: ExecStatement) => {
      // Let the event loop in: a cancel request (and, with SQLite's synchronous driver, anything
      // else) is only seen between two statements if the run yields here.
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.checkCancel();
      await this.d.lock.check();
      this.d.progress({ ...base, kind: 'statement-started', statementIndex: st.index, sql: firstLine(st.sql), message: `Statement ${st.index} of ${s.total}` });
      try {
        await conn.executeRaw(st.sql);
      } catch (err) {
        const advice = adapter.lockTimeoutAdvice(err);
        throw new StatementFailure(advice ? `${serverError(err)}\n${advice}` : serverError(err), st, err);
      }
      this.d.progress({ ...base, kind: 'statement-finished', statementIndex: st.index, message: `Statement ${st.index} of ${s.total} done` });
    };

    let current: ExecStatement | null = null;
    let currentUnit: ExecStep['units'][number] | null = null;
    try {
      for (let u = 0; u < s.units.length; u++) {
        const unit = s.units[u]!;
        currentUnit = unit;
        const last = u === s.units.length - 1;
        if (unit.kind === 'transaction') {
          await conn.begin();
          try {
            for (const st of unit.statements) {
              current = st;
              await runStatement(st);
            }
            // The last transaction records success with the migration: both commit, or neither.
            if (last) await finish();
            else await history.update(id, { statementsApplied: applied + unit.statements.length });
            await conn.commit();
          } catch (err) {
            await conn.rollback().catch(() => undefined);
            throw err;
          }
          applied += unit.statements.length;
        } else {
          for (const st of unit.statements) {
            current = st;
            await runStatement(st);
            applied++;
            if (!(last && st === unit.statements[unit.statements.length - 1])) await history.update(id, { statementsApplied: applied });
          }
          if (last) await finish();
        }
      }
      if (s.units.length === 0) await finish();
    } catch (err) {
      const cancelled = err instanceof CancelledError;
      const failedAt = current ?? s.units[0]?.statements[0] ?? null;
      // Cancelled: `current` is the statement that was about to run and did not.
      const index = err instanceof StatementFailure ? err.statement.index : (failedAt?.index ?? applied + 1);
      const message = err instanceof StatementFailure ? err.message : (err as Error).message;
      // MySQL: a migration that opened its own transaction must not keep it open under our history writes.
      if (!adapter.transactionalDdl) await conn.rollback().catch(() => undefined);
      await history
        .update(id, {
          status: 'failed',
          statementsApplied: applied,
          finishedAt: new Date().toISOString(),
          durationMs: Date.now() - started,
          error: cancelled ? `Cancelled before statement ${index}.` : message,
          errorStatement: index,
          errorSql: cancelled ? null : (err instanceof StatementFailure ? err.statement.sql : (failedAt?.sql ?? null)),
        })
        .catch(() => undefined);
      if (applied > 0) await mirror?.failed(file, Date.now() - started, s.direction).catch(() => undefined);
      this.failed = {
        version: s.plan.version,
        name: s.plan.name,
        direction: s.direction,
        statementIndex: index,
        statementsTotal: s.total,
        statementsApplied: applied,
        error: cancelled ? 'Cancelled by the user between statements.' : message,
        sql: err instanceof StatementFailure ? err.statement.sql : '',
        partial: applied > 0,
        ranInTransaction: currentUnit?.kind === 'transaction',
      };
      const explained = err instanceof StatementFailure ? adapter.explainer.explain(err.original, writtenBy(err.statement.sql)) : null;
      if (explained) this.failed.explained = explained;
      this.d.progress({
        ...base,
        kind: 'migration-failed',
        statementIndex: index,
        message: cancelled ? `Cancelled before statement ${index} of ${s.total}` : `Statement ${index} of ${s.total} failed: ${message.split('\n')[0]}`,
      });
      return cancelled ? 'cancelled' : 'failed';
    }
    const ms = Date.now() - started;
    this.done.push({ version: s.plan.version, name: s.plan.name, direction: s.direction, statements: s.total - s.resumeFrom + 1, durationMs: ms, recordOnly: false });
    this.d.progress({ ...base, stepsDone: this.done.length, kind: 'migration-finished', message: `${s.plan.version} ${s.direction === 'up' ? 'applied' : 'reverted'} in ${ms} ms` });
    return 'success';
  }

  /** Baseline: history rows (and the tool's history) for versions that already exist, in one transaction. */
  private async baseline(steps: ExecStep[]): Promise<void> {
    const { conn, history, mirror, adapter } = this.d;
    const now = new Date().toISOString();
    if (adapter.transactionalDdl) await conn.begin();
    try {
      for (const s of steps) {
        await history.insert({
          version: s.file!.version,
          name: s.file!.name,
          action: 'baseline',
          status: 'done',
          checksum: s.file!.checksum,
          statementHashes: s.hashes,
          statementsApplied: 0,
          statementsTotal: s.total,
          startedAt: now,
          finishedAt: now,
          durationMs: 0,
          folderFormat: this.d.format,
          transactional: false,
          note: `Baseline: recorded as applied without running (up to ${steps[steps.length - 1]!.plan.version}).`,
        });
      }
      await mirror?.baseline(steps[steps.length - 1]!.file!, steps.map((s) => s.file!));
      if (adapter.transactionalDdl) await conn.commit();
    } catch (err) {
      if (adapter.transactionalDdl) await conn.rollback().catch(() => undefined);
      throw err;
    }
    for (const s of steps) this.done.push({ version: s.plan.version, name: s.plan.name, direction: 'up', statements: 0, durationMs: 0, recordOnly: true });
  }

  /** Records an admin's decision about one version (mark applied/reverted, forget, accept checksum). */
  async decide(
    action: Extract<HistoryAction, 'mark-applied' | 'mark-reverted' | 'forget' | 'accept-checksum'>,
    step: { version: string; name: string; file: import('./folder/migration-file').MigrationFile | null; hashes: string[]; total: number; previous: import('./folder/migration-file').MigrationFile | null },
    note: string,
  ): Promise<void> {
    const { conn, history, mirror, adapter } = this.d;
    const now = new Date().toISOString();
    if (adapter.transactionalDdl) await conn.begin();
    try {
      await history.insert({
        version: step.version,
        name: step.name,
        action,
        status: 'done',
        checksum: action === 'mark-applied' || action === 'accept-checksum' ? (step.file?.checksum ?? null) : null,
        statementHashes: action === 'mark-applied' || action === 'accept-checksum' ? step.hashes : null,
        statementsApplied: action === 'mark-applied' ? step.total : 0,
        statementsTotal: step.total,
        startedAt: now,
        finishedAt: now,
        durationMs: 0,
        folderFormat: this.d.format,
        transactional: false,
        note,
      });
      if (step.file && mirror) {
        if (action === 'mark-applied') await mirror.applied(step.file, 0);
        else if (action === 'mark-reverted') await mirror.reverted(step.file, step.previous);
        else if (action === 'forget') await mirror.forgot(step.file, step.previous);
        else await mirror.checksumAccepted(step.file);
      }
      if (adapter.transactionalDdl) await conn.commit();
    } catch (err) {
      if (adapter.transactionalDdl) await conn.rollback().catch(() => undefined);
      throw err;
    }
  }
}
