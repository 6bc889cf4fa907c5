import type { Direction, LintWarning, MigrationPlan, MigrationSettings, PlanStep, PlanTable, PlanUnit } from '../../../../shared/model/migrations';
import { foreignToolLabels, isRunnableFormat, toolRunCommands, type MigrationFormat, type RunnableFormat } from '../../../../shared/model/migrations';
import type { MigrationAdapter } from '../migration-adapter';
import { CoreError } from '../../../../electron/core/errors';
import { statementHash } from '../checksum';
import type { MigrationFile, MigrationSection } from '../folder/migration-file';
import { compareVersionKeys, versionKey } from '../folder/versions';
import type { HistoryAction } from '../history/history-store';
import { PlanLinter } from '../lint/lint';
import { toolCompatibility, type CompatStatement } from '../lint/tool-compat';
import { identifierKey } from '../../../../shared/sql/identifier-rules';
import { parseStatement } from '../lint/parse-statement';
import { tablesTouched } from './touched-tables';
import { LEASE_TTL_MS } from '../locks/run-lock';
import { SqlSplitError, splitStatements } from '../../../../shared/sql/split-statements';
import type { VersionView, World } from './world';

export type PlanRequest =
  | { action: 'up'; to?: string | undefined }
  | { action: 'down'; to?: string | undefined; steps?: number | undefined }
  | { action: 'baseline'; to: string }
  | { action: 'resume'; version: string };

export interface ExecStatement {
  index: number;
  sql: string;
  line: number;
  nonTransactional?: string;
  /** For lint: the splitter's skeleton and the comments before the statement. */
  skeleton: string;
  leadingComments: string[];
}

export interface ExecUnit {
  kind: PlanUnit['kind'];
  statements: ExecStatement[];
}

/** A plan step with what the executor needs beyond what people see. */
export interface ExecStep {
  plan: PlanStep;
  key: string;
  file: MigrationFile | null;
  action: HistoryAction;
  direction: Direction;
  units: ExecUnit[];
  /** Hashes of every statement of this direction, in order (the resume guard). */
  hashes: string[];
  total: number;
  /** 1-based statement the run starts at (after a resume, the failed one). */
  resumeFrom: number;
  /** Everything that runs is one transaction: a failure leaves nothing behind. */
  atomic: boolean;
  /** The newest applied migration before this one (golang-migrate's version after a revert). */
  previous: MigrationFile | null;
}

export interface BuiltPlan {
  plan: MigrationPlan;
  steps: ExecStep[];
}

export interface PlanOptions {
  settings: MigrationSettings;
  production: boolean;
  readOnly: boolean;
  /** What the run keeps in step besides its own history (filled by the runner). */
  mirrors: string[];
  /** Columns of an existing table (named as the server stores it), where the runner read them: lint names what a table rebuild leaves out. */
  columnsOf?: ((table: string) => string[] | null) | undefined;
}

const TX_CONTROL = /^(BEGIN(\s+(TRANSACTION|WORK|DEFERRED|IMMEDIATE|EXCLUSIVE))?|START\s+TRANSACTION|COMMIT|END(\s+(TRANSACTION|WORK))?|ROLLBACK|SAVEPOINT|RELEASE)\b(?!\s+PREPARED)/i;

interface Units {
  units: ExecUnit[];
  hashes: string[];
  total: number;
  atomic: boolean;
  errors: string[];
  /** The statements that run, as the folder's tool would see them (for tool-incompatible). */
  compat: CompatStatement[];
}

/** Splits a migration's sections and groups the statements the way they will run. */
export function buildUnits(adapter: MigrationAdapter, world: World, file: MigrationFile, sections: MigrationSection[], resumeFrom: number): Units {
  const out: Units = { units: [], hashes: [], total: 0, atomic: true, errors: [], compat: [] };
  let index = 0;
  for (const section of sections) {
    let statements;
    try {
      statements = splitStatements(section.sql, adapter.lexRules);
    } catch (err) {
      if (!(err instanceof SqlSplitError)) throw err;
      out.errors.push(`${file.file}: ${err.message.replace(/\(line (\d+)\)$/, (_m, l: string) => `(line ${Number(l) + section.firstLine - 1})`)}`);
      continue;
    }
    const inTransaction = adapter.transactionalDdl && section.transaction;
    for (const st of statements) {
      index++;
      out.hashes.push(statementHash(st.sql));
      const line = section.firstLine - 1 + st.startLine;
      const cannotBeInTransaction = adapter.transactionalDdl ? adapter.nonTransactionalReason(st, world.target) : null;
      const reason = inTransaction ? cannotBeInTransaction : null;
      if (inTransaction && !reason && TX_CONTROL.test(st.skeleton)) {
        out.errors.push(
          `${file.file} line ${line}: "${st.skeleton.slice(0, 40)}" controls a transaction, but DB Desk already runs this migration in one. Remove it, or run the section without a transaction (dbmate: "-- migrate:up transaction:false").`,
        );
      }
      if (index < resumeFrom) continue;
      out.compat.push({ index, line, leadingComments: st.leadingComments, nonTransactional: cannotBeInTransaction, section });
      const statement: ExecStatement = { index, sql: st.sql, line, skeleton: st.skeleton, leadingComments: st.leadingComments, ...(reason ? { nonTransactional: reason } : {}) };
      const kind: PlanUnit['kind'] = !inTransaction ? 'autocommit' : reason ? 'alone' : 'transaction';
      const last = out.units[out.units.length - 1];
      if (last && last.kind === kind && kind !== 'alone') last.statements.push(statement);
      else out.units.push({ kind, statements: [statement] });
    }
  }
  out.total = index;
  out.atomic = out.units.length <= 1 && out.units.every((u) => u.kind === 'transaction');
  return out;
}

function toPlanStep(step: Omit<ExecStep, 'plan'>, version: string, name: string, lint: LintWarning[], notes: string[], tables: PlanTable[]): PlanStep {
  const s: PlanStep = {
    version,
    name,
    direction: step.direction,
    file: step.direction === 'down' ? (step.file?.downFile ?? step.file?.file ?? null) : (step.file?.file ?? null),
    units: step.units.map((u) => ({ kind: u.kind, statements: u.statements.map((st) => ({ index: st.index, sql: st.sql, line: st.line, ...(st.nonTransactional ? { nonTransactional: st.nonTransactional } : {}) })) })),
    statementsTotal: step.total,
    recordOnly: step.units.length === 0 && step.action !== 'up' && step.action !== 'down',
    lint,
    notes,
    tables,
  };
  if (step.resumeFrom > 1) s.resumeFrom = step.resumeFrom;
  return s;
}

function findVersion(world: World, input: string): VersionView {
  const key = versionKey(world.folder.format, input.trim());
  const v = world.versions.find((x) => x.key === key || x.file?.version === input.trim() || x.own?.version === input.trim());
  if (!v) throw new CoreError('invalid-input', `There is no migration ${input} in the folder or the history.`);
  return v;
}

const isApplied = (v: VersionView) => v.state === 'applied' || v.state === 'edited' || v.state === 'missing';

function lockDescription(adapter: MigrationAdapter, world: World, settings: MigrationSettings): string {
  if (world.lockStrategy !== 'lease-row') return adapter.sessionLockDescription(settings.lockWaitSeconds);
  const why = world.target.galera ? ' GET_LOCK is not cluster-wide on Galera, so a row replicated to every node holds the lock.' : '';
  return `A lease row in dbdesk_migrations_lock names the holder and expires ${LEASE_TTL_MS / 1000} s after its last heartbeat; waits up to ${settings.lockWaitSeconds} s.${why}`;
}

/**
 * The plan of one request: every statement in order, how statements are grouped into transactions,
 * the lock, the session timeouts, lint warnings, and what blocks the run. Nothing runs here.
 */
export function buildPlan(adapter: MigrationAdapter, world: World, request: PlanRequest, options: PlanOptions): BuiltPlan {
  const blockers: string[] = [...world.folder.problems];
  const warnings: string[] = [...world.warnings];
  const target = world.target;
  if (options.readOnly) blockers.push('This connection is read-only: DB Desk does not change the database through it.');
  const format = world.folder.format;
  if (!isRunnableFormat(format)) {
    const steps: ExecStep[] = [];
    blockers.push(readOnlyFolderReason(format));
    return { plan: emptyPlan(adapter, world, request, options, blockers, warnings), steps };
  }

  const views = world.versions;
  const newestAppliedBefore = (key: string): MigrationFile | null => {
    const prior = views.filter((v) => isApplied(v) && v.file && !v.file.repeatable && compareVersionKeys(v.key, key) < 0);
    return prior.at(-1)?.file ?? null;
  };

  let chosen: { view: VersionView; direction: Direction; action: HistoryAction; resumeFrom: number }[] = [];
  const failures = views.filter((v) => v.blockingFailure || v.foreignFailure);
  if (request.action === 'resume') {
    const v = findVersion(world, request.version);
    if (v.foreignFailure) blockers.push(`${v.key} was left failed by ${world.matching ? foreignToolLabels[world.matching.info.tool] : 'another tool'}, which records no per-statement progress: DB Desk cannot tell where to resume. Mark it applied or forget it instead.`);
    else if (!v.blockingFailure && !(v.state === 'failed' && v.own?.lastRolledBack)) blockers.push(`${v.key} has no failed attempt to resume.`);
    else {
      const f = v.blockingFailure;
      const direction = f ? f.direction : v.own!.lastRolledBack!.action === 'down' ? 'down' : 'up';
      chosen = [{ view: v, direction, action: direction, resumeFrom: (f?.statementsApplied ?? 0) + 1 }];
    }
    for (const other of failures.filter((x) => x !== v)) blockers.push(`${other.key} also failed and needs a decision first.`);
  } else {
    for (const v of failures) {
      const f = v.blockingFailure;
      blockers.push(
        f
          ? `${v.key} ${f.interrupted ? 'was interrupted' : 'failed'} at statement ${f.statementsApplied + 1} of ${f.statementsTotal} while going ${f.direction}; ${f.statementsApplied} statement(s) before it stayed applied. Nothing more runs until you resume it, mark it ${f.direction === 'up' ? 'applied' : 'reverted'}, or forget the attempt.`
          : `${v.foreignFailure}. Nothing more runs until you mark it applied or forget it (after undoing it by hand).`,
      );
    }
  }
  if (request.action === 'up' || request.action === 'baseline') {
    for (const v of views.filter((x) => x.state === 'edited')) {
      blockers.push(`${v.key} (${v.file?.file}) was edited after it was applied. Restore the file, or accept the new checksum if the database already matches it.`);
    }
  }

  if (request.action === 'up') {
    const limit = request.to !== undefined ? findVersion(world, request.to).key : null;
    if (limit !== null && limit.startsWith('R:')) throw new CoreError('invalid-input', 'A repeatable migration cannot be a target version.');
    for (const v of views) {
      if (!v.file || v.state !== 'pending' && !(v.state === 'failed' && !v.blockingFailure && !v.foreignFailure)) continue;
      if (v.file.repeatable ? limit !== null : limit !== null && compareVersionKeys(v.key, limit) > 0) continue;
      chosen.push({ view: v, direction: 'up', action: 'up', resumeFrom: 1 });
    }
    // Versioned first (in order), then repeatables, as Flyway runs them.
    chosen.sort((a, b) => compareVersionKeys(a.view.key, b.view.key));
    if (chosen.some((c) => c.view.note?.includes('out of order'))) warnings.push('Some pending migrations are older than the newest applied one; they will be applied out of order.');
  } else if (request.action === 'down') {
    const applied = views.filter((v) => isApplied(v) && !v.key.startsWith('R:')).reverse();
    let picked: VersionView[];
    if (request.to !== undefined) {
      const to = request.to.trim() === '0' ? null : findVersion(world, request.to);
      if (to && !isApplied(to)) throw new CoreError('invalid-input', `${request.to} is not applied, so it cannot be the version to go down to.`);
      picked = applied.filter((v) => to === null || compareVersionKeys(v.key, to.key) > 0);
    } else {
      picked = applied.slice(0, request.steps ?? 1);
    }
    for (const v of picked) {
      if (!v.file) blockers.push(`${v.key} cannot be reverted: its file is missing from the folder.`);
      else if (!v.file.down) blockers.push(`${v.key} (${v.file.file}) has no down migration.`);
      else if (v.state === 'edited') warnings.push(`${v.key} was edited after it was applied: its down section may not match what the database holds.`);
      chosen.push({ view: v, direction: 'down', action: 'down', resumeFrom: 1 });
    }
  } else if (request.action === 'baseline') {
    const limit = findVersion(world, request.to);
    for (const v of views) {
      if (v.file && !v.file.repeatable && v.state === 'pending' && compareVersionKeys(v.key, limit.key) <= 0) chosen.push({ view: v, direction: 'up', action: 'baseline', resumeFrom: 1 });
    }
    const later = views.filter((v) => isApplied(v) && compareVersionKeys(v.key, limit.key) > 0);
    if (later.length > 0) warnings.push(`${later.map((v) => v.key).join(', ')} after ${limit.key} ${later.length === 1 ? 'is' : 'are'} already applied.`);
  }

  const linter = new PlanLinter(adapter, target, options.columnsOf);
  const key = (table: string) => identifierKey(table, adapter.identifiers);
  /** Keys of the tables created earlier in the plan: a later change to them touches no existing data. */
  const created = new Set<string>();
  /** The first spelling of each table the plan changes, by key: one table is one name in the whole plan. */
  const spelling = new Map<string, string>();
  const steps: ExecStep[] = [];
  for (const c of chosen) {
    const file = c.view.file;
    const recordOnly = c.action === 'baseline';
    const sections = !file ? [] : c.direction === 'up' ? file.up : (file.down ?? []);
    const built = file ? buildUnits(adapter, world, file, sections, c.resumeFrom) : { units: [], hashes: [], total: 0, atomic: true, errors: [], compat: [] };
    blockers.push(...built.errors);
    const notes: string[] = [];
    if (c.resumeFrom > 1) {
      notes.push(`Resumes at statement ${c.resumeFrom}: statements 1–${c.resumeFrom - 1} ran in the failed attempt and are skipped.`);
      const ran = c.view.blockingFailure?.record.statementHashes ?? null;
      if (ran) {
        for (let i = 0; i < c.resumeFrom - 1; i++) {
          if (ran[i] !== undefined && built.hashes[i] !== ran[i]) blockers.push(`${c.view.key}: statement ${i + 1} changed since it ran in the failed attempt. Only the failed statement and those after it may change before a resume.`);
        }
      }
    }
    if (c.view.note) notes.push(c.view.note);
    if (file) notes.push(...file.notes);
    if (!recordOnly && built.units.some((u) => u.kind === 'alone')) notes.push('Holds statements that cannot run inside a transaction: they run alone, so a failure after them leaves them applied.');
    if (!recordOnly && built.units.some((u) => u.kind === 'autocommit') && adapter.transactionalDdl) notes.push('Runs without a transaction (the file asks for it): each statement commits by itself.');
    if (recordOnly) notes.push('Recorded as applied without running anything (baseline).');
    const statements = recordOnly || !file ? [] : built.units.flatMap((u) => u.statements).map((st) => ({ index: st.index, sql: st.sql, skeleton: st.skeleton, startLine: st.line, endLine: st.line, leadingComments: st.leadingComments }));
    const lint = statements.flatMap((st) => linter.lint(c.view.key, st, st.startLine));
    if (!recordOnly) lint.push(...toolCompatibility(world.folder.format, c.view.key, built.compat));
    lint.sort((a, b) => a.statementIndex - b.statementIndex);
    const touched = new Set<string>();
    for (const st of statements) {
      for (const t of tablesTouched(st, adapter.identifiers)) {
        if (created.has(key(t))) continue;
        if (!spelling.has(key(t))) spelling.set(key(t), t);
        touched.add(spelling.get(key(t))!);
      }
      const parsed = parseStatement(st, adapter.identifiers);
      if (parsed.kind === 'create-table') created.add(key(parsed.table));
    }
    // Sizes are filled in by the runner, which has a connection (planning itself reads nothing).
    const tables: PlanTable[] = [...touched].map((name) => ({ name, rows: null, bytes: null, exists: true }));
    const exec: Omit<ExecStep, 'plan'> = {
      key: c.view.key,
      file,
      action: c.action,
      direction: c.direction,
      units: recordOnly ? [] : built.units,
      hashes: built.hashes,
      total: built.total,
      resumeFrom: c.resumeFrom,
      atomic: built.atomic,
      previous: newestAppliedBefore(c.view.key),
    };
    steps.push({ ...exec, plan: toPlanStep(exec, file?.version ?? c.view.own?.version ?? c.view.key, file?.name ?? c.view.own?.name ?? '', lint, notes, tables) });
  }

  const plan: MigrationPlan = {
    action: request.action,
    format: world.folder.format,
    dir: world.folder.dir,
    database: target.database,
    production: options.production,
    steps: steps.map((s) => s.plan),
    lock: { strategy: world.lockStrategy, description: lockDescription(adapter, world, options.settings), waitSeconds: options.settings.lockWaitSeconds },
    settings: adapter.sessionSettings(options.settings, target),
    transactions: adapter.transactionModel,
    galera: target.galera
      ? {
          osuMethod: target.galera.osuMethod,
          warning:
            target.galera.osuMethod.toUpperCase() === 'TOI'
              ? 'wsrep_OSU_method is TOI: each DDL statement runs on every node at the same point of the replication stream, and the whole cluster waits for it. A long ALTER pauses writes on every node.'
              : `wsrep_OSU_method is ${target.galera.osuMethod}: DDL runs only on this node while it is desynchronised. Every node must be migrated the same way, one at a time.`,
        }
      : null,
    startsFrom: startsFrom(world),
    mirrors: options.mirrors,
    blockers: [...new Set(blockers)],
    warnings,
  };
  return { plan, steps };
}

/** Why DB Desk does not run a folder of Alembic, Prisma or Kysely migrations, and what does. */
export function readOnlyFolderReason(format: Exclude<MigrationFormat, RunnableFormat>): string {
  const what = format === 'alembic' ? 'Python revisions' : format === 'kysely' ? 'TypeScript/JavaScript modules' : 'migrations applied by Prisma’s engine';
  return `This folder holds ${foreignToolLabels[format]} migrations (${what}): DB Desk shows their state from ${foreignToolLabels[format]}'s history table but does not run them. Run ${toolRunCommands[format]} instead.`;
}

/** The history the plan starts from, in words: the folder's tool's table when it has one. */
function startsFrom(world: World): string | null {
  const m = world.matching;
  if (!m) return null;
  return `${foreignToolLabels[m.info.tool]}'s history (${m.info.table}) decides what is applied — ${m.info.summary}; DB Desk's own history adds who applied what, from where and how long it took.`;
}

/** A plan with nothing to run (a folder DB Desk does not run), with the lock and settings it would use. */
function emptyPlan(adapter: MigrationAdapter, world: World, request: PlanRequest, options: PlanOptions, blockers: string[], warnings: string[]): MigrationPlan {
  return {
    action: request.action,
    format: world.folder.format,
    dir: world.folder.dir,
    database: world.target.database,
    production: options.production,
    steps: [],
    lock: { strategy: world.lockStrategy, description: lockDescription(adapter, world, options.settings), waitSeconds: options.settings.lockWaitSeconds },
    settings: adapter.sessionSettings(options.settings, world.target),
    transactions: adapter.transactionModel,
    galera: null,
    startsFrom: startsFrom(world),
    mirrors: [],
    blockers: [...new Set(blockers)],
    warnings,
  };
}

/** A decision about one version that runs no SQL: mark applied/reverted, forget, accept the checksum. */
export function buildDecision(world: World, action: 'mark-applied' | 'forget' | 'accept-checksum', version: string, options: PlanOptions): { view: VersionView; action: HistoryAction; blockers: string[] } {
  const v = findVersion(world, version);
  const blockers: string[] = [];
  if (options.readOnly) blockers.push('This connection is read-only: DB Desk does not change the database through it.');
  if (!isRunnableFormat(world.folder.format)) blockers.push(readOnlyFolderReason(world.folder.format));
  let historyAction: HistoryAction = action;
  if (action === 'accept-checksum') {
    if (v.state !== 'edited') blockers.push(`${v.key} is ${v.state}, not edited: there is no new checksum to accept.`);
  } else if (action === 'mark-applied' && !v.blockingFailure && v.state === 'failed' && v.own?.lastRolledBack?.action === 'up') {
    // A failed attempt that left nothing (CREATE TABLE of a table made by hand): the admin declares it applied.
  } else if (!v.blockingFailure && !v.foreignFailure) {
    blockers.push(`${v.key} has no failed attempt to ${action === 'forget' ? 'forget' : 'mark'}.`);
  } else if (action === 'mark-applied' && v.blockingFailure?.direction === 'down') {
    historyAction = 'mark-reverted';
  }
  return { view: v, action: historyAction, blockers };
}
