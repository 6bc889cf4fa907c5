import type { ErrorExplainer } from '../../../electron/core/engines/explained-errors';
import type { CompiledQuery, Kysely, RawBuilder } from 'kysely';
import type { ClusterSchemaCheck, LintRule, LockStrategy, MigrationSettings, PlanSetting, RunnableFormat } from '../../../shared/model/migrations';
import type { SqlLexRules } from '../../../shared/sql/dialect-rules';
import type { IdentifierRules } from '../../../shared/sql/identifier-rules';
import type { SqlStatement } from '../../../shared/sql/split-statements';
import type { ParsedStatement } from './lint/parse-statement';

/** The history and tool tables are named at run time: queries are built without a schema type. */
export type SchemalessDatabase = Record<string, Record<string, unknown>>;

/** What a run needs to know about the database it migrates. */
export interface MigrationTarget {
  /** The name a person types to confirm a production run: database name, or the SQLite file's name. */
  database: string;
  /** Where the history tables live (PostgreSQL: the current schema). */
  schema: string | null;
  serverVersion: string;
  /** Major version as a number (PostgreSQL 15 → 15; MariaDB 10.11 → 10.11), for version-dependent rules. */
  serverMajor: number;
  dbUser: string | null;
  /** Galera (wsrep_on): GET_LOCK is unsupported; DDL replicates by wsrep_OSU_method. */
  galera: { osuMethod: string } | null;
}

export interface QueryResult<R> {
  rows: R[];
  affected: number;
  insertId: number | null;
}

/**
 * One connection owned by one run (or one status read). It is never returned to a pool:
 * session settings and session locks end with it.
 */
export interface MigrationConnection {
  /** Runs one statement of a migration file exactly as written: the one place raw SQL runs. */
  executeRaw(sql: string): Promise<void>;
  /** Runs a query compiled by Kysely, values bound. */
  query<R = Record<string, unknown>>(query: CompiledQuery): Promise<QueryResult<R>>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** How other sessions see this one: PostgreSQL backend pid, MySQL connection id. */
  readonly sessionId: string | null;
  close(): Promise<void>;
}

/** Another session holding the run lock (advisory or named lock), as the server reports it. */
export interface SessionLockHolder {
  sessionId: string;
  /** user@client, application name… */
  who: string;
  since: string | null;
}

export interface TableSize {
  /** One of the names asked for, exactly as asked. */
  name: string;
  rows: number | null;
  bytes: number | null;
}

export interface TableColumns {
  schema: string | null;
  name: string;
  /** Lower-case column names. */
  columns: string[];
}

/** What a statement that ran alone (no transaction) left when it was the first to fail: a failed statement changes nothing. */
export function nothingAppliedWords(ranInTransaction: boolean): string {
  return ranInTransaction ? 'its transaction was rolled back' : 'the statement that failed was its first, and it ran on its own: a statement that fails changes nothing';
}

/** A lint finding of one dialect rule (the version and line are added by the caller). */
export interface DialectLintFinding {
  rule: LintRule;
  message: string;
  suggestion?: string;
}

export interface LintContext {
  /** Whether a table (named as the server stores it) was created earlier in the plan: changes to it lock nothing in use. */
  isNewTable(name: string): boolean;
  target: MigrationTarget;
}

/**
 * Everything about migrations that differs between engine families. Implemented in
 * engines/<family>/<family>-migrations.ts; the runner in features/migrations/core calls only this.
 */
export interface MigrationAdapter {
  readonly lexRules: SqlLexRules;
  /** How names in the migration's SQL map to tables (case folding and comparison): the dialect's own `identifiers`. */
  readonly identifiers: IdentifierRules;
  /** DDL can be rolled back (PostgreSQL, SQLite). MySQL/MariaDB commit DDL implicitly. */
  readonly transactionalDdl: boolean;
  /** INSERT … RETURNING works (PostgreSQL, SQLite); otherwise the driver's insert id is used. */
  readonly supportsReturning: boolean;
  /**
   * Where a lease lock's heartbeat runs: `timer` on a connection of its own (async drivers), or
   * `inline` between statements on the run's connection (SQLite: a second writer would wait on us).
   */
  readonly leaseHeartbeat: 'timer' | 'inline';
  /** Compiles queries for this dialect (never connected). */
  readonly compiler: Kysely<SchemalessDatabase>;
  /** Server time in epoch milliseconds, as SQL (lease expiry must not trust client clocks). */
  nowMs(): RawBuilder<number>;

  describeTarget(connection: MigrationConnection): Promise<MigrationTarget>;
  openConnection(): Promise<MigrationConnection>;

  /** The timeouts a run sets, described for the plan. */
  sessionSettings(settings: MigrationSettings, target: MigrationTarget): PlanSetting[];
  /** Sets the timeouts on the run's connection, and `label` where the server shows who a session is. */
  applySessionSettings(connection: MigrationConnection, settings: MigrationSettings, target: MigrationTarget, label: string): Promise<void>;

  /** Why this statement cannot run inside a transaction, or null. */
  nonTransactionalReason(statement: SqlStatement, target: MigrationTarget): string | null;
  /** The dialect's own lint rules for one parsed statement. */
  lint(statement: ParsedStatement, context: LintContext): DialectLintFinding[];

  historyTableDdl(table: string): string[];
  lockTableDdl(table: string): string[];
  /** The history table of the folder's tool (dbmate, golang-migrate, Flyway) as that tool creates it on this engine. */
  toolTableDdl(tool: RunnableFormat, table: string): string[];
  /** Tables (and their columns) where history tables may live: the migration schema, plus tool-specific places. */
  listTables(connection: MigrationConnection, names: string[]): Promise<TableColumns[]>;
  /**
   * Estimated rows and bytes on disk of these tables (named as `identifierName` gives them) in the
   * migration's schema, each answered under the name asked for, the table found as the engine finds it;
   * absent where the engine has no cheap way.
   */
  tableSizes?(connection: MigrationConnection, names: string[]): Promise<TableSize[]>;
  /**
   * A cluster whose nodes must agree after a run that changed something (Galera): the check that reads
   * the schema on every node and compares it. Null when the target is one server.
   */
  clusterSchemaCheck?(target: MigrationTarget): ((connection: MigrationConnection) => Promise<ClusterSchemaCheck | null>) | null;

  /**
   * The run lock of this target: `forced` (DBDESK_MIGRATION_LOCK, for tests) when the target allows
   * it, else its own (a Galera cluster only ever gets the lease row: no other lock holds across nodes).
   */
  lockStrategy(target: MigrationTarget, forced?: LockStrategy): LockStrategy;
  /** Session-lock strategies (advisory, named): try once, on the run's connection. */
  trySessionLock(connection: MigrationConnection, lockName: string): Promise<boolean>;
  releaseSessionLock(connection: MigrationConnection, lockName: string): Promise<void>;
  sessionLockHolder(connection: MigrationConnection, lockName: string): Promise<SessionLockHolder | null>;
  /** Ends another session to free its lock: what "release a stale lock" means for session locks. */
  endSession(connection: MigrationConnection, sessionId: string): Promise<void>;
  /** What ending a lock holder's session does, in words. */
  readonly endSessionEffect: string;
  /** How this engine groups a migration's statements, in words, for the plan. */
  readonly transactionModel: string;
  /**
   * Why nothing of a failed migration stayed applied, in this engine's words: `ranInTransaction` says
   * whether its statements ran in one transaction (rolled back) or each on its own (MySQL/MariaDB DDL).
   */
  nothingAppliedBecause(ranInTransaction: boolean): string;
  /** How a failed statement's error reads in the user's terms (the dialect's reader). */
  readonly explainer: ErrorExplainer;
  /** A type as the catalog spells it (`varchar(40)` → `character varying(40)`), to compare a CREATE TABLE with a table. */
  normalizeType(type: string): string;
  /** The columns of a table in the migration's schema (named as `identifierName` gives it, found as the engine finds it), as the catalog has them; null when there is no such table. */
  columnTypes(connection: MigrationConnection, table: string): Promise<{ name: string; type: string; nullable: boolean }[] | null>;
  /** The session lock (advisory, named) in words, for the plan. */
  sessionLockDescription(waitSeconds: number): string;
  /** Advice for a statement that failed because it waited too long for a lock; null for other errors. */
  lockTimeoutAdvice(error: unknown): string | null;
}
