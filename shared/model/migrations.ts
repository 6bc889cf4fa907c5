import { ExplainedError } from './explained-error';
import { z } from 'zod';
import { PathText } from '../ipc/limits';

/**
 * Folder layouts DB Desk reads as they are. The first three are SQL that DB Desk runs (new folders
 * are written in dbmate's format); the others are recognised and shown with the state their tool's
 * history records, but run only by their own tool (Python, TypeScript, or Prisma's engine).
 */
export const runnableFormats = ['dbmate', 'golang-migrate', 'flyway'] as const;
export const migrationFormats = [...runnableFormats, 'alembic', 'prisma', 'kysely'] as const;
export const MigrationFormat = z.enum(migrationFormats);
export type MigrationFormat = z.infer<typeof MigrationFormat>;
export type RunnableFormat = (typeof runnableFormats)[number];

export function isRunnableFormat(format: string): format is RunnableFormat {
  return (runnableFormats as readonly string[]).includes(format);
}

export const migrationFormatLabels: Record<MigrationFormat, string> = {
  dbmate: 'dbmate (YYYYMMDDHHMMSS_name.sql with -- migrate:up / -- migrate:down)',
  'golang-migrate': 'golang-migrate (N_name.up.sql / N_name.down.sql)',
  flyway: 'Flyway (V…__name.sql, U…__name.sql, R__name.sql)',
  alembic: 'Alembic (Python revisions in versions/; run by alembic, shown read-only)',
  prisma: 'Prisma Migrate (<timestamp>_name/migration.sql; run by prisma migrate, shown read-only)',
  kysely: 'Kysely (TypeScript/JavaScript modules with up/down; run by Kysely’s Migrator, shown read-only)',
};

/** The command that runs a read-only folder's migrations, for the messages that send people to it. */
export const toolRunCommands: Record<Exclude<MigrationFormat, RunnableFormat>, string> = {
  alembic: 'alembic upgrade head',
  prisma: 'prisma migrate deploy',
  kysely: 'your app’s Kysely Migrator (migrateToLatest)',
};

export const MigrationState = z.enum(['applied', 'pending', 'failed', 'edited', 'missing']);
export type MigrationState = z.infer<typeof MigrationState>;

export const Direction = z.enum(['up', 'down']);
export type Direction = z.infer<typeof Direction>;

/** One migration as the status view shows it: the folder and every history joined. */
export const MigrationEntry = z.object({
  version: z.string(),
  name: z.string(),
  state: MigrationState,
  repeatable: z.boolean(),
  /** The file (relative to the folder); null when the migration is missing from the folder. */
  file: z.string().nullable(),
  hasDown: z.boolean(),
  statementsApplied: z.number().int().optional(),
  statementsTotal: z.number().int().optional(),
  /** The server's error of the failed attempt. */
  error: z.string().optional(),
  /** 1-based statement that failed. */
  errorStatement: z.number().int().optional(),
  errorSql: z.string().optional(),
  /** Which way the failed attempt was going. */
  failedDirection: Direction.optional(),
  /** Resume is possible: the attempt recorded its progress statement by statement. */
  resumable: z.boolean().optional(),
  appliedAt: z.string().nullable().optional(),
  /** Who applied it: "DB Desk (alice on build-7)", "dbmate", "Flyway (postgres)"… */
  appliedBy: z.string().optional(),
  /** A pending migration older than the newest applied one. */
  outOfOrder: z.boolean().optional(),
  /** Anything else a person should know about this one, in words. */
  note: z.string().optional(),
  /** The failed statement is a CREATE TABLE of this table: the table can be compared with what exists (`migrations.compareTable`). */
  failedCreateTable: z.string().optional(),
});
export type MigrationEntry = z.infer<typeof MigrationEntry>;

/** A table a failed CREATE TABLE wanted to make, next to the table of that name in the database. */
export const TableComparison = z.object({
  version: z.string(),
  table: z.string(),
  /** A table of that name exists. */
  exists: z.boolean(),
  /** Each column of either side: its definition in the migration and in the database (null: not there). */
  columns: z.array(z.object({ name: z.string(), migration: z.string().nullable(), database: z.string().nullable(), same: z.boolean() })),
  /** Every column the same on both sides: marking the migration applied is safe as far as columns go. */
  match: z.boolean(),
  /** What was and was not compared, in words. */
  note: z.string(),
});
export type TableComparison = z.infer<typeof TableComparison>;

export const foreignTools = ['flyway', 'liquibase', 'golang-migrate', 'dbmate', 'atlas', 'prisma', 'kysely', 'alembic'] as const;
export const ForeignTool = z.enum(foreignTools);
export type ForeignTool = z.infer<typeof ForeignTool>;

export const foreignToolLabels: Record<ForeignTool, string> = {
  flyway: 'Flyway',
  liquibase: 'Liquibase',
  'golang-migrate': 'golang-migrate',
  dbmate: 'dbmate',
  atlas: 'Atlas',
  prisma: 'Prisma Migrate',
  kysely: 'Kysely',
  alembic: 'Alembic',
};

/** Another tool's history table found in the database. */
export const ForeignHistory = z.object({
  tool: ForeignTool,
  table: z.string(),
  /**
   * How many migrations (changesets, versions) it records as applied; null where the table holds no
   * count (Alembic keeps only its current head revision or revisions).
   */
  applied: z.number().int().nullable(),
  /** What the table says, in the tool's own terms ("at revision ae1027a6acf", "12 changesets ran, the last 7 by ann"). */
  summary: z.string(),
  /** Dirty, failed or locked markers, in words ("dirty at version 3", "V2 failed"). */
  markers: z.array(z.string()),
  /** Its newest applied version, or the current revision. */
  latest: z.string().nullable(),
  /** The folder was written for this tool, so its table decides what is already applied. */
  matchesFolder: z.boolean(),
});
export type ForeignHistory = z.infer<typeof ForeignHistory>;

export const lockStrategies = ['advisory-lock', 'named-lock', 'lease-row'] as const;
export const LockStrategy = z.enum(lockStrategies);
export type LockStrategy = z.infer<typeof LockStrategy>;

export const LockHolder = z.object({
  holder: z.string(),
  /** Which session or lease this is, so "release" frees exactly the one that was shown. */
  ref: z.string(),
  since: z.string().nullable(),
  strategy: LockStrategy,
  /** The lease ran out or its process is gone: releasing it is safe. */
  stale: z.boolean(),
  /** What "release" does for this strategy, in words (ends a session, deletes a lock row). */
  releaseEffect: z.string(),
});
export type LockHolder = z.infer<typeof LockHolder>;

/**
 * `tool-incompatible`: DB Desk runs the statement (it is more lenient on purpose), but the folder's
 * own tool would fail there, so a teammate running that tool on another database would break.
 */
export const lintRules = ['drop-table', 'drop-column', 'type-rewrite', 'not-null-without-default', 'index-without-concurrently', 'table-copy', 'set-not-null-scan', 'tool-incompatible', 'table-exists'] as const;
export const LintRule = z.enum(lintRules);
export type LintRule = z.infer<typeof LintRule>;

export const LintWarning = z.object({
  rule: LintRule,
  version: z.string(),
  statementIndex: z.number().int(),
  line: z.number().int(),
  message: z.string(),
  suggestion: z.string().optional(),
});
export type LintWarning = z.infer<typeof LintWarning>;

export const PlanStatement = z.object({
  index: z.number().int(),
  sql: z.string(),
  line: z.number().int(),
  /** Why this statement cannot run inside a transaction (it then runs alone). */
  nonTransactional: z.string().optional(),
});
export type PlanStatement = z.infer<typeof PlanStatement>;

/**
 * How statements are grouped on the server:
 * - `transaction`: BEGIN … COMMIT around them, all or nothing;
 * - `alone`: one statement outside any transaction (it cannot run inside one);
 * - `autocommit`: each statement commits by itself (MySQL/MariaDB DDL, or `transaction:false`).
 */
export const PlanUnit = z.object({
  kind: z.enum(['transaction', 'alone', 'autocommit']),
  statements: z.array(PlanStatement),
});
export type PlanUnit = z.infer<typeof PlanUnit>;

/** A table a migration step changes, with its size — so the admin can pick a quiet time for it. */
export const PlanTable = z.object({
  /** As the statements name it, unqualified, as the server stores it (PostgreSQL folds an unquoted name to lower case; MySQL, MariaDB and SQLite keep its case). */
  name: z.string(),
  /** The server's estimate (InnoDB TABLE_ROWS, pg reltuples); null when unknown or the table does not exist yet. */
  rows: z.number().nullable(),
  /** Data and indexes on disk; null when unknown. */
  bytes: z.number().nullable(),
  /** False for a table the plan creates (or that is missing). */
  exists: z.boolean(),
});
export type PlanTable = z.infer<typeof PlanTable>;

/** `42.0 MiB`, `950 KiB`: a table's size on disk. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** `orders ≈1,204,000 rows, 340 MiB` — or why there is no size. */
export function tableSizeText(t: PlanTable): string {
  if (!t.exists) return `${t.name} (not there yet)`;
  const parts = [t.rows !== null ? `≈${t.rows.toLocaleString('en-US')} rows` : null, t.bytes !== null ? sizeText(t.bytes) : null].filter(Boolean);
  return parts.length ? `${t.name} ${parts.join(', ')}` : t.name;
}


/** Every existing table the plan's steps change, once, the biggest first (by bytes, then rows). */
export function tablesOfPlan(steps: { tables: PlanTable[] }[]): PlanTable[] {
  const all = new Map<string, PlanTable>();
  for (const s of steps) for (const t of s.tables) if (t.exists && !all.has(t.name)) all.set(t.name, t);
  return [...all.values()].sort((a, b) => (b.bytes ?? -1) - (a.bytes ?? -1) || (b.rows ?? -1) - (a.rows ?? -1) || a.name.localeCompare(b.name));
}

export const PlanStep = z.object({
  version: z.string(),
  name: z.string(),
  direction: Direction,
  file: z.string().nullable(),
  units: z.array(PlanUnit),
  statementsTotal: z.number().int(),
  /** Resume: statements before this one (1-based) already ran and are skipped. */
  resumeFrom: z.number().int().optional(),
  /** Baseline/mark-applied: nothing runs, the history records the migration as applied. */
  recordOnly: z.boolean(),
  lint: z.array(LintWarning),
  notes: z.array(z.string()),
  /** The tables its statements alter, drop, index or write to, with their sizes where the engine reports them. */
  tables: z.array(PlanTable),
});
export type PlanStep = z.infer<typeof PlanStep>;

export const PlanSetting = z.object({ name: z.string(), value: z.string(), why: z.string() });
export type PlanSetting = z.infer<typeof PlanSetting>;

export const PlanAction = z.enum(['up', 'down', 'baseline', 'resume']);
export type PlanAction = z.infer<typeof PlanAction>;

export const MigrationPlan = z.object({
  action: PlanAction,
  format: MigrationFormat,
  dir: z.string(),
  database: z.string(),
  production: z.boolean(),
  steps: z.array(PlanStep),
  lock: z.object({ strategy: LockStrategy, description: z.string(), waitSeconds: z.number() }),
  /** Session settings applied before the first statement: lock_timeout, lock_wait_timeout… */
  settings: z.array(PlanSetting),
  transactions: z.string(),
  galera: z.object({ osuMethod: z.string(), warning: z.string() }).nullable(),
  /** The history the plan starts from when another tool wrote the folder. */
  startsFrom: z.string().nullable(),
  /** Other tools' history tables kept in step with this run. */
  mirrors: z.array(z.string()),
  /** Why nothing may run yet; empty when the plan can be applied. */
  blockers: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type MigrationPlan = z.infer<typeof MigrationPlan>;

export const HistoryRow = z.object({
  id: z.number().int(),
  version: z.string(),
  name: z.string(),
  action: z.string(),
  status: z.string(),
  checksum: z.string().nullable(),
  statementsApplied: z.number().int(),
  statementsTotal: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  errorStatement: z.number().int().nullable(),
  errorSql: z.string().nullable(),
  dbUser: z.string().nullable(),
  osUser: z.string().nullable(),
  clientHost: z.string().nullable(),
  appVersion: z.string().nullable(),
  note: z.string().nullable(),
});
export type HistoryRow = z.infer<typeof HistoryRow>;

export const MigrationSettings = z.object({
  dir: PathText.nullable(),
  /** PostgreSQL lock_timeout / MySQL lock_wait_timeout for every statement; 0 turns it off. */
  lockTimeoutSeconds: z.number().min(0).max(86_400),
  /** PostgreSQL statement_timeout / MariaDB max_statement_time; 0 = none. */
  statementTimeoutSeconds: z.number().min(0).max(86_400),
  /** How long to wait for another runner's migration lock before giving up. */
  lockWaitSeconds: z.number().min(0).max(3600),
});
export type MigrationSettings = z.infer<typeof MigrationSettings>;

export const defaultMigrationSettings: MigrationSettings = { dir: null, lockTimeoutSeconds: 5, statementTimeoutSeconds: 0, lockWaitSeconds: 30 };

export const MigrationStatus = z.object({
  dir: z.string(),
  format: MigrationFormat,
  /** True when the folder has no migrations yet (the format is then dbmate's, for new files). */
  empty: z.boolean(),
  migrations: z.array(MigrationEntry),
  lock: LockHolder.nullable(),
  foreign: z.array(ForeignHistory),
  /** Whether our own history table exists yet. */
  historyTable: z.boolean(),
  database: z.string(),
  production: z.boolean(),
  /** Folder problems (unreadable files, mixed formats, duplicate versions), in words. */
  problems: z.array(z.string()),
  galera: z.object({ osuMethod: z.string() }).nullable(),
});
export type MigrationStatus = z.infer<typeof MigrationStatus>;

export const RunOutcome = z.enum(['success', 'nothing-to-do', 'failed', 'cancelled', 'lock-not-acquired', 'refused']);
export type RunOutcome = z.infer<typeof RunOutcome>;

/**
 * Galera: after a run, the migrated database's schema read on every node of the cluster and compared
 * (tables, columns, indexes, keys, checks, views, triggers, routines) once each node caught up.
 */
export const ClusterSchemaCheck = z.object({
  database: z.string(),
  /** Every node was reached, caught up, and has exactly the same schema. */
  identical: z.boolean(),
  summary: z.string(),
  nodes: z.array(
    z.object({
      endpoint: z.string(),
      name: z.string().nullable(),
      /** The node the run used: the one the others are compared with. */
      reference: z.boolean(),
      reached: z.boolean(),
      /** It had applied everything the run's node had committed when the check began. */
      caughtUp: z.boolean(),
      /** Schema objects read there (tables, columns, indexes…). */
      objects: z.number().int(),
      error: z.string().nullable(),
    }),
  ),
  /** What differs, object by object: its definition on each node (null: missing there). At most 50. */
  differences: z.array(z.object({ object: z.string(), values: z.array(z.object({ endpoint: z.string(), definition: z.string().nullable() })) })),
  moreDifferences: z.number().int(),
});
export type ClusterSchemaCheck = z.infer<typeof ClusterSchemaCheck>;

export const RunResult = z.object({
  outcome: RunOutcome,
  message: z.string(),
  done: z.array(z.object({ version: z.string(), name: z.string(), direction: Direction, statements: z.number().int(), durationMs: z.number(), recordOnly: z.boolean() })),
  failed: z
    .object({
      version: z.string(),
      name: z.string(),
      direction: Direction,
      statementIndex: z.number().int(),
      statementsTotal: z.number().int(),
      statementsApplied: z.number().int(),
      error: z.string(),
      sql: z.string(),
      /** Whether what ran before the failure stays applied (MySQL/MariaDB, non-transactional statements). */
      partial: z.boolean(),
      /** The failing statement ran inside a transaction (rolled back), not on its own. */
      ranInTransaction: z.boolean().optional(),
      /** The server's refusal in the user's terms (already exists, unique, foreign key…), when it is one of those. */
      explained: ExplainedError.optional(),
    })
    .nullable(),
  holder: LockHolder.nullable(),
  /** Galera runs that changed something: the schema compared on every node afterwards. */
  schemaCheck: ClusterSchemaCheck.optional(),
});
export type RunResult = z.infer<typeof RunResult>;

export const ProgressKind = z.enum([
  'waiting-for-lock',
  'locked',
  'migration-started',
  'statement-started',
  'statement-finished',
  'migration-finished',
  'migration-failed',
  'run-finished',
  'schema-check',
  /** A drift check or rehearsal: its shadow database made, read, copied into, dropped (message only). */
  'shadow',
]);

export const MigrationProgress = z.object({
  runId: z.string(),
  kind: ProgressKind,
  version: z.string().optional(),
  name: z.string().optional(),
  direction: Direction.optional(),
  statementIndex: z.number().int().optional(),
  statementsTotal: z.number().int().optional(),
  /** The statement's first line, for the progress line. */
  sql: z.string().optional(),
  /** Steps done and planned in this run. */
  stepsDone: z.number().int(),
  stepsTotal: z.number().int(),
  holder: LockHolder.optional(),
  message: z.string(),
  elapsedMs: z.number(),
});
export type MigrationProgress = z.infer<typeof MigrationProgress>;

export const RepairAction = z.enum(['resume', 'mark-applied', 'forget', 'accept-checksum']);
export type RepairAction = z.infer<typeof RepairAction>;
