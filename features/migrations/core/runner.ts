import { explainedErrorTitles } from '../../../shared/model/explained-error';
import { hostname, userInfo } from 'node:os';
import { isRunnableFormat, type HistoryRow, type LockStrategy, type MigrationPlan, type MigrationProgress, type MigrationSettings, type MigrationStatus, type RepairAction, type RunnableFormat, type RunResult, type TableComparison } from '../../../shared/model/migrations';
import { compareDeclaredTable, warnExistingTables } from './planner/compare-table';
import { identifierKey } from '../../../shared/sql/identifier-rules';
import type { MigrationAdapter, MigrationConnection, MigrationTarget } from './migration-adapter';
import { CoreError } from '../../../electron/core/errors';
import { appVersion } from '../../../electron/core/paths';
import { CancelledError, Executor } from './executor';
import { readMigrationFolder } from './folder/read-folder';
import type { MigrationFolder } from './folder/migration-file';
import { createMirror, createToolTable, creationDescription, TOOL_TABLES, type ToolMirror } from './foreign/mirrors';
import { HistoryStore, type Audit } from './history/history-store';
import { createRunLock, releaseHeldLock } from './locks/run-lock';
import { buildDecision, buildPlan, buildUnits, readOnlyFolderReason, type BuiltPlan, type PlanRequest } from './planner/plan';
import { loadWorld, toEntry, type World } from './planner/world';
import { compareVersionKeys } from './folder/versions';

export interface RunnerOptions {
  adapter: MigrationAdapter;
  settings: MigrationSettings;
  /** The profile is marked production: applying needs the database name typed (or --yes). */
  production: boolean;
  readOnly: boolean;
  /** Forces a lock strategy (DBDESK_MIGRATION_LOCK=lease-row exercises Galera's on plain MariaDB). */
  lockStrategy?: LockStrategy | undefined;
}

/** How a person confirmed a production run: the database name typed, or the CLI's --yes. */
export type Confirmation = { database: string } | 'yes' | undefined;

export interface RunOptions {
  runId: string;
  confirm?: Confirmation;
  signal?: AbortSignal | undefined;
  onProgress?: (p: MigrationProgress) => void;
  /**
   * The steps the person saw in the plan (`version:direction`). Re-planned under the lock, only
   * these run: something applied meanwhile by another runner is skipped, nothing new sneaks in.
   */
  approved?: string[] | undefined;
}

/** DBDESK_MIGRATION_LOCK=lease-row forces the Galera strategy (tests exercise it on plain MariaDB). */
export function forcedLockStrategy(env: NodeJS.ProcessEnv = process.env): LockStrategy | undefined {
  const v = env.DBDESK_MIGRATION_LOCK;
  return v === 'lease-row' || v === 'advisory-lock' || v === 'named-lock' ? v : undefined;
}

function currentAudit(): Omit<Audit, 'dbUser'> {
  let osUser = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    /* no passwd entry (containers): keep the environment's name */
  }
  return { osUser, clientHost: hostname(), appVersion: appVersion(), pid: process.pid };
}

/**
 * The migration runner: status, plan, apply, decisions about failed attempts, history, and the
 * lock. Every call opens its own connection(s) through the engine's adapter and closes them.
 * The GUI runs it in the window's worker; the CLI runs it directly. The schema designer writes
 * files with writeNewMigration() and applies them with apply({ action: 'up', to }).
 */
export class MigrationRunner {
  private readonly base = currentAudit();
  constructor(private readonly options: RunnerOptions) {}

  private get adapter() {
    return this.options.adapter;
  }

  private async withConnection<T>(fn: (conn: MigrationConnection, target: MigrationTarget, audit: Audit) => Promise<T>): Promise<T> {
    const conn = await this.adapter.openConnection();
    try {
      const target = await this.adapter.describeTarget(conn);
      return await fn(conn, target, { ...this.base, dbUser: target.dbUser });
    } finally {
      await conn.close();
    }
  }

  private strategy(target: MigrationTarget): LockStrategy {
    return this.adapter.lockStrategy(target, this.options.lockStrategy);
  }

  private async world(conn: MigrationConnection, folder: MigrationFolder, target: MigrationTarget, audit: Audit, underLock = false): Promise<World> {
    return loadWorld(conn, this.adapter, folder, target, audit, this.strategy(target), underLock);
  }

  /** The table of the folder's tool that the run keeps in step, when it has one. */
  private mirror(conn: MigrationConnection, world: World): ToolMirror | null {
    const tool = world.matching?.info.tool;
    if (!world.matching || !tool || !isRunnableFormat(tool)) return null;
    return createMirror(tool, { conn, adapter: this.adapter, table: world.matching.table, dbUser: world.target.dbUser });
  }

  /** The folder's tool has no table here yet, and its name is free: a run creates it (see createToolTable). */
  private toolTableToCreate(world: World): RunnableFormat | null {
    const format = world.folder.format;
    if (!isRunnableFormat(format) || world.matching || world.folder.migrations.length === 0) return null;
    const taken = world.tables.some((t) => t.schema === null && t.name.toLowerCase() === TOOL_TABLES[format]);
    return taken ? null : format;
  }

  /** What the plan says is kept in step besides DB Desk's own history. */
  private mirrorDescriptions(conn: MigrationConnection, world: World): string[] {
    const created = this.toolTableToCreate(world);
    if (created) return [creationDescription(created)];
    const mirror = this.mirror(conn, world);
    return mirror ? [mirror.description] : [];
  }

  async status(dir: string): Promise<MigrationStatus> {
    const folder = await readMigrationFolder(dir);
    return this.withConnection(async (conn, target, audit) => {
      const world = await this.world(conn, folder, target, audit);
      const newest = world.versions.filter((v) => v.state === 'applied' && !v.key.startsWith('R:')).map((v) => v.key).sort(compareVersionKeys).at(-1);
      return {
        dir,
        format: folder.format,
        empty: folder.migrations.length === 0,
        migrations: world.versions.map((v) => toEntry(v, newest, this.adapter.identifiers)),
        lock: world.lock,
        foreign: world.foreign.map((f) => f.info),
        historyTable: world.historyTable,
        database: target.database,
        production: this.options.production,
        problems: [...folder.problems, ...folder.ignored.map((i) => `Ignored: ${i}`), ...world.warnings],
        galera: target.galera,
      };
    });
  }

  private planWith(world: World, request: PlanRequest, mirrors: string[], columnsOf?: (table: string) => string[] | null): BuiltPlan {
    return buildPlan(this.adapter, world, request, {
      settings: this.options.settings,
      production: this.options.production,
      readOnly: this.options.readOnly,
      mirrors,
      columnsOf,
    });
  }

  async plan(dir: string, request: PlanRequest): Promise<MigrationPlan> {
    const folder = await readMigrationFolder(dir);
    return this.withConnection(async (conn, target, audit) => {
      const world = await this.world(conn, folder, target, audit);
      const mirrors = this.mirrorDescriptions(conn, world);
      let built = this.planWith(world, request, mirrors);
      // A plan that drops a table: read the columns of the tables it touches (one query) and lint
      // again, so a table rebuild names the columns it leaves out.
      if (built.plan.steps.some((s) => s.lint.some((w) => w.rule === 'table-copy' && /^Rebuilds /.test(w.message)))) {
        const names = [...new Set(built.plan.steps.flatMap((s) => s.tables.map((t) => t.name)))];
        const key = (table: string) => identifierKey(table, this.adapter.identifiers);
        const columns = new Map((await this.adapter.listTables(conn, names)).filter((t) => t.schema === null).map((t) => [key(t.name), t.columns]));
        built = this.planWith(world, request, mirrors, (table) => columns.get(key(table)) ?? null);
      }
      return this.withTableSizes(conn, await warnExistingTables(conn, this.adapter, built.plan, built.steps));
    });
  }

  /** The size of every table the plan's steps change, from the server's estimates (one query). */
  private async withTableSizes(conn: MigrationConnection, plan: MigrationPlan): Promise<MigrationPlan> {
    const names = [...new Set(plan.steps.flatMap((s) => s.tables.map((t) => t.name)))];
    if (names.length === 0 || !this.adapter.tableSizes) return plan;
    const sizes = new Map((await this.adapter.tableSizes(conn, names)).map((s) => [s.name, s]));
    return {
      ...plan,
      steps: plan.steps.map((s) => ({ ...s, tables: s.tables.map((t) => { const z = sizes.get(t.name); return z ? { name: t.name, rows: z.rows, bytes: z.bytes, exists: true } : { ...t, exists: false }; }) })),
    };
  }

  async history(): Promise<HistoryRow[]> {
    return this.withConnection(async (conn, _target, audit) => {
      const tables = await this.adapter.listTables(conn, ['dbdesk_migrations']);
      if (!tables.some((t) => t.schema === null)) return [];
      return (await new HistoryStore(conn, this.adapter, audit).read()).map(({ statementHashes: _h, folderFormat: _f, transactional: _t, ...row }) => row).reverse();
    });
  }

  /**
   * A failed CREATE TABLE next to the table of that name that exists: whether the migration can be
   * marked applied instead of being run (the guide's "table already exists").
   */
  async compareTable(dir: string, version: string): Promise<TableComparison> {
    const folder = await readMigrationFolder(dir);
    return this.withConnection(async (conn, target, audit) => {
      const world = await this.world(conn, folder, target, audit);
      const v = world.versions.find((x) => x.key === version || x.file?.version === version || x.own?.version === version);
      const failed = v?.blockingFailure?.record ?? (v?.state === 'failed' ? v.own?.lastRolledBack : null);
      const compared = failed?.errorSql ? await compareDeclaredTable(conn, this.adapter, failed.version, failed.errorSql) : null;
      if (!compared) throw new CoreError('invalid-input', `${version} did not fail at a CREATE TABLE: there is no table to compare.`);
      return compared;
    });
  }

  async releaseLock(ref: string): Promise<string> {
    return this.withConnection(async (conn, target, audit) => releaseHeldLock(conn, this.adapter, this.strategy(target), target, audit, ref));
  }

  private checkConfirmation(target: MigrationTarget, confirm: Confirmation): void {
    if (!this.options.production || confirm === 'yes') return;
    if (confirm?.database === target.database) return;
    throw new CoreError(
      'forbidden',
      confirm?.database
        ? `"${confirm.database}" is not the name of this database. Type ${target.database} exactly to confirm a change to production.`
        : `This is a production connection: confirm by typing the database name (${target.database}), or pass --yes on the command line.`,
      { database: target.database },
    );
  }

  /**
   * Runs a plan under the migration lock: up, down, baseline or resume. Re-plans once the lock is
   * held, so a migration another runner applied meanwhile never runs twice.
   */
  apply(dir: string, request: PlanRequest, run: RunOptions): Promise<RunResult> {
    return this.locked(dir, run, async (ctx) => {
      const { plan, steps } = this.planWith(ctx.world, request, ctx.mirror ? [ctx.mirror.description] : []);
      if (plan.blockers.length > 0) return { outcome: 'refused', message: `Nothing was run:\n- ${plan.blockers.join('\n- ')}` };
      const approved = run.approved ? new Set(run.approved) : null;
      const chosen = approved ? steps.filter((s) => approved.has(`${s.plan.version}:${s.direction}`)) : steps;
      const skipped = approved ? [...approved].filter((a) => !steps.some((s) => `${s.plan.version}:${s.direction}` === a)) : [];
      if (chosen.length === 0) {
        return { outcome: 'nothing-to-do', message: skipped.length > 0 ? `Nothing left to do: ${skipped.join(', ')} ${skipped.length === 1 ? 'was' : 'were'} done by someone else meanwhile.` : 'Nothing to do: the database is up to date with the folder.' };
      }
      this.checkConfirmation(ctx.world.target, run.confirm);
      ctx.setStepsTotal(chosen.length);
      const outcome = await ctx.executor.run(chosen);
      const done = ctx.executor.done.length;
      if (outcome === 'success') {
        return { outcome: 'success', message: `${done} migration${done === 1 ? '' : 's'} ${request.action === 'down' ? 'reverted' : request.action === 'baseline' ? 'recorded as applied (baseline)' : 'applied'}.${skipped.length ? ` Skipped ${skipped.join(', ')} (done by someone else meanwhile).` : ''}` };
      }
      const f = ctx.executor.failed!;
      if (outcome === 'cancelled') {
        return { outcome: 'cancelled', message: `Cancelled before statement ${f.statementIndex} of ${f.version}. ${done} migration(s) finished before that.${f.partial ? ` ${f.statementsApplied} statement(s) of ${f.version} stay applied: resume it later, or mark or forget it.` : ''}` };
      }
      const what = f.partial
        ? `Statements 1–${f.statementsApplied} of ${f.version} stayed applied. Fix the cause, then resume from statement ${f.statementIndex}; or mark it ${f.direction === 'up' ? 'applied' : 'reverted'}; or undo it by hand and forget the attempt.`
        : `Nothing of ${f.version} stayed applied (${this.adapter.nothingAppliedBecause(f.ranInTransaction ?? false)}). ${nextStepAfter(f)}`;
      // The server's refusal in the user's terms, when the engine's explainer knows it (duplicate key, foreign key…).
      const explained = f.explained ? `${explainedErrorTitles[f.explained.kind]}: ${f.explained.summary}\n` : '';
      return { outcome: 'failed', message: `${f.version} ${f.name} failed at statement ${f.statementIndex} of ${f.statementsTotal}: ${f.error.split('\n')[0]}\n${explained}${what}` };
    });
  }

  /** The admin's decision about a failed attempt or an edited file: resume, mark applied, forget, accept checksum. */
  repair(dir: string, action: RepairAction, version: string, run: RunOptions): Promise<RunResult> {
    if (action === 'resume') return this.apply(dir, { action: 'resume', version }, run);
    return this.locked(dir, run, async (ctx) => {
      const decision = buildDecision(ctx.world, action, version, { settings: this.options.settings, production: this.options.production, readOnly: this.options.readOnly, mirrors: [] });
      if (decision.blockers.length > 0) return { outcome: 'refused', message: decision.blockers.join('\n') };
      this.checkConfirmation(ctx.world.target, run.confirm);
      const v = decision.view;
      const units = v.file ? buildUnits(this.adapter, ctx.world, v.file, v.file.up, 1) : null;
      const previous = ctx.world.versions.filter((x) => (x.state === 'applied' || x.state === 'edited') && x.file && !x.file.repeatable && compareVersionKeys(x.key, v.key) < 0).at(-1)?.file ?? null;
      const notes: Record<string, string> = {
        'mark-applied': 'Marked applied by an admin: the failed attempt is declared finished.',
        'mark-reverted': 'Marked reverted by an admin: the failed revert is declared finished.',
        forget: 'Failed attempt forgotten by an admin (its effects were undone by hand).',
        'accept-checksum': 'Edited file accepted by an admin: the new checksum is the applied one.',
      };
      await ctx.executor.decide(decision.action as 'mark-applied', {
        version: v.file?.repeatable ? v.key : (v.file?.version ?? v.own?.version ?? v.key),
        name: v.file?.name ?? v.own?.name ?? '',
        file: v.file,
        hashes: units?.hashes ?? [],
        total: units?.total ?? 0,
        previous,
      }, notes[decision.action]!);
      const words: Record<string, string> = { 'mark-applied': 'marked applied', 'mark-reverted': 'marked reverted', forget: 'failed attempt forgotten', 'accept-checksum': 'new checksum accepted' };
      return { outcome: 'success', message: `${v.key}: ${words[decision.action]}.` };
    });
  }

  /** Opens the run's connection, takes the lock, prepares history and mirror, runs `body`, and always lets go. */
  private async locked(
    dir: string,
    run: RunOptions,
    body: (ctx: { conn: MigrationConnection; world: World; mirror: ToolMirror | null; executor: Executor; setStepsTotal(n: number): void }) => Promise<Pick<RunResult, 'outcome' | 'message'>>,
  ): Promise<RunResult> {
    const folder = await readMigrationFolder(dir);
    // A folder of Python, TypeScript or Prisma migrations: refused before anything is written (not even our tables).
    if (!isRunnableFormat(folder.format)) return { outcome: 'refused', message: `Nothing was run:\n- ${readOnlyFolderReason(folder.format)}`, done: [], failed: null, holder: null };
    const started = Date.now();
    const conn = await this.adapter.openConnection();
    let stepsTotal = 0;
    const emit = (p: Omit<MigrationProgress, 'runId' | 'stepsTotal' | 'elapsedMs'>) => run.onProgress?.({ ...p, runId: run.runId, stepsTotal, elapsedMs: Date.now() - started });
    try {
      const target = await this.adapter.describeTarget(conn);
      const audit: Audit = { ...this.base, dbUser: target.dbUser };
      if (this.options.readOnly) throw new CoreError('read-only', 'This connection is read-only: DB Desk does not change the database through it.');
      await this.adapter.applySessionSettings(conn, this.options.settings, target, `DB Desk migrate ${audit.osUser}@${audit.clientHost} pid ${audit.pid}`);
      const lock = createRunLock(this.strategy(target), conn, this.adapter, target, audit);
      const got = await lock.acquire(this.options.settings.lockWaitSeconds * 1000, run.signal, (holder) =>
        emit({ kind: 'waiting-for-lock', stepsDone: 0, ...(holder ? { holder } : {}), message: holder ? `Waiting for the migration lock, held by ${holder.holder}${holder.since ? ` since ${holder.since}` : ''}` : 'Waiting for the migration lock' }),
      );
      if (!got.ok) {
        const who = got.holder ? `${got.holder.holder}${got.holder.since ? ` (since ${got.holder.since})` : ''}` : 'another runner or program (it did not say who)';
        return {
          outcome: got.cancelled ? 'cancelled' : 'lock-not-acquired',
          message: got.cancelled ? 'Cancelled while waiting for the migration lock.' : `The migration lock is held by ${who}; gave up after ${this.options.settings.lockWaitSeconds} s. Nothing was run.`,
          done: [],
          failed: null,
          holder: got.holder,
        };
      }
      try {
        emit({ kind: 'locked', stepsDone: 0, message: 'Migration lock acquired' });
        const history = new HistoryStore(conn, this.adapter, audit);
        await history.ensureTables();
        let world = await this.world(conn, folder, target, audit, true);
        const create = this.toolTableToCreate(world);
        if (create) {
          // The table the folder's tool would create on this database, listing what DB Desk already
          // applied; from here on it decides what is applied, as it does for the tool.
          const applied = world.versions.filter((v) => v.state === 'applied' || v.state === 'edited' || v.state === 'missing');
          const seed = applied.map((v) => ({ version: v.file?.repeatable ? v.key : (v.file?.version ?? v.own?.version ?? v.key), file: v.file, name: v.file?.name ?? v.own?.name ?? '', durationMs: v.own?.last.durationMs ?? 0 }));
          await createToolTable(conn, this.adapter, create, target.dbUser, seed);
          world = await this.world(conn, folder, target, audit, true);
        }
        const mirror = this.mirror(conn, world);
        const executor = new Executor({ conn, adapter: this.adapter, history, lock, mirror, format: folder.format, signal: run.signal, progress: emit });
        const result = await body({ conn, world, mirror, executor, setStepsTotal: (n) => (stepsTotal = n) });
        // A cluster (Galera): once something changed, the schema is compared on every node (still
        // under the lock, so no other runner changes it meanwhile).
        const changed = executor.done.some((d) => !d.recordOnly) || executor.failed?.partial === true;
        const clusterCheck = changed ? (this.adapter.clusterSchemaCheck?.(target) ?? null) : null;
        let schemaCheck: RunResult['schemaCheck'];
        if (clusterCheck) {
          emit({ kind: 'schema-check', stepsDone: executor.done.length, message: 'Comparing the schema on every node of the cluster' });
          schemaCheck = (await clusterCheck(conn)) ?? undefined;
        }
        emit({ kind: 'run-finished', stepsDone: executor.done.length, message: result.message.split('\n')[0]! });
        return { ...result, done: executor.done, failed: executor.failed, holder: null, ...(schemaCheck ? { schemaCheck } : {}) };
      } catch (err) {
        if (err instanceof CancelledError) return { outcome: 'cancelled', message: err.message, done: [], failed: null, holder: null };
        throw err;
      } finally {
        await lock.release().catch(() => undefined);
      }
    } finally {
      await conn.close();
    }
  }
}


/** What to do after a failure that left nothing applied: "already exists" has its own way out. */
function nextStepAfter(f: NonNullable<RunResult['failed']>): string {
  const e = f.explained;
  if (e?.kind === 'already-exists' && f.direction === 'up') {
    const what = e.table ? `${e.table} already exists` : 'What it creates already exists';
    return `${what}: if it is what this migration creates (made by hand, or by another tool), compare the two (Migrations view: "Compare with the database") and, when they match, mark ${f.version} applied (dbdesk migrate repair --mark-applied ${f.version}). Otherwise fix the cause and run again.`;
  }
  return 'Fix the cause and run again.';
}
