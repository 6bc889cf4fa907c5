import type { CompiledQuery, Kysely, RawBuilder } from 'kysely';
import type { ColumnInfo, TableDetail, TableRef } from '../../../../shared/model/schema';
import type { BoundValue, EditValue, ReferencingKey } from '../../../../shared/model/table-query';
import type { ValueKind } from '../../../../shared/model/values';

/** A fragment of SQL built with Kysely's `sql` tag: identifiers quoted, values bound, placeholders per dialect. */
export type Sql = RawBuilder<unknown>;

/** One expression of a row key: a table column, or a hidden one such as SQLite's rowid or PostgreSQL's ctid. */
export interface KeyPart {
  /** Tells parts apart (`col:<name>`, `rowid`, `ctid`). */
  id: string;
  /** The table column it is, or null for a hidden expression that must be selected separately. */
  column: string | null;
  expr: Sql;
  /** The same expression on the table aliased as `alias` (for the deferred join). */
  qualified(alias: string): Sql;
  kind: ValueKind;
  notNull: boolean;
}

/** How one table's rows are identified for edits, and ordered when the user has not chosen an order. */
export interface RowKeys {
  identity: TableDetail['rowIdentity']['kind'];
  /** The parts that identify a row for edits (primary key, rowid, ctid); empty when rows cannot be identified. */
  identityParts: KeyPart[];
  /**
   * Parts appended to every ORDER BY as a tiebreak (and used alone when the user has not sorted).
   * `unique`: together they tell every row apart, so keyset paging and the deferred join may use them.
   */
  order: { parts: KeyPart[]; unique: boolean };
}

export interface RunResult {
  rows: unknown[][];
  affected: number;
}

/** Runs statements inside one transaction the driver opened. */
export type TransactionRunner = (query: CompiledQuery) => Promise<RunResult>;

/**
 * What an engine family provides so the generic table-data service can browse, count, edit and
 * stream its tables. Every SQL text an engine needs beyond what the service builds with Kysely
 * (transactions, time limits, casts, literals) lives in the family's implementation.
 */
export interface TableDataDriver {
  /** Compiles `sql` fragments with this family's quoting and placeholders; never executes. */
  readonly kysely: Kysely<unknown>;
  /** The statements Review SQL shows around the changes, as the driver runs them. */
  readonly beginStatement: string;
  readonly commitStatement: string;
  /** PostgreSQL and MySQL lock the rows an edit checks (FOR UPDATE); SQLite's write transaction already holds the lock. */
  readonly lockCheckedRows: boolean;
  /**
   * Far offsets skip rows reading only the key, then join the window's rows back (the "deferred
   * join"): a big win on InnoDB and PostgreSQL; SQLite's rowid B-tree walks rows as cheaply as
   * keys, and its planner turns the join into a scan, so it reads plain offsets.
   */
  readonly deferredJoin: boolean;
  /** Case-insensitive LIKE for `contains`: PostgreSQL needs ILIKE, MySQL's and SQLite's LIKE already are. */
  readonly containsOperator: 'ILIKE' | 'LIKE';

  /** The table's columns, keys and identity, read from the catalog. */
  describe(table: TableRef): Promise<TableDetail>;
  rowKeys(detail: TableDetail): RowKeys;
  /** An expression LIKE can compare with, whatever the column's type. */
  textOf(column: Sql): Sql;
  /** Turns a value from the contract (filter value, edit value, key cell) into what this driver binds for a column of this kind. */
  toParam(value: unknown, kind: ValueKind): unknown;
  /**
   * A word about a staged value the engine would take although it goes past the column's declared
   * type (SQLite's affinity stores 'TOOLONG1' in VARCHAR(5)); absent where the server enforces types itself.
   */
  declaredTypeWarning?(column: ColumnInfo, value: EditValue): string | null;
  /** A value `toParam` made, as Review SQL shows it: what this driver sends (params.ts `boundValueOf`, plus any wrapper of its own). */
  boundValue(param: unknown): BoundValue;

  /**
   * Runs a SELECT and returns raw driver values by row. `userSql`: it holds the user's raw WHERE — run it
   * read-only and time-limited. `signal`: the caller's; when it aborts, the statement is stopped on the
   * server (PostgreSQL's cancel request, MySQL's KILL QUERY; SQLite runs it to its bounded end) and the
   * connection goes back to the pool clean; the call then rejects.
   */
  select(query: CompiledQuery, options: { userSql: boolean; timeoutMs: number; signal?: AbortSignal }): Promise<unknown[][]>;
  /** A count(*) query within a time limit; null when the server did not finish in time. Rejects when `signal` aborts (never null for an abort). */
  countWithin(query: CompiledQuery, options: { userSql: boolean; timeoutMs: number; signal?: AbortSignal }): Promise<number | null>;
  /** The planner's estimate of how many rows a SELECT returns; null when it has none. */
  estimateRows(query: CompiledQuery, options: { userSql: boolean; signal?: AbortSignal }): Promise<number | null>;
  /** Runs fn inside one transaction: committed when fn returns, rolled back when it throws. */
  transaction<T>(fn: (run: TransactionRunner) => Promise<T>): Promise<T>;
  /** The error broke the connection (the server went away), as opposed to a statement failing on it. */
  connectionLost(err: unknown): boolean;
  /**
   * Streams the rows of a SELECT from a server-side cursor in batches, waiting for `onRows`
   * before reading on, so the whole result is never in memory. Returns early, without an
   * error, once `signal` aborts (the server stops sending within a second).
   */
  stream(query: CompiledQuery, options: { table: TableRef; userSql: boolean; batchSize: number; signal: AbortSignal }, onRows: (rows: unknown[][]) => Promise<void> | void): Promise<void>;
  /** An INSERT of a row made only of column defaults. */
  insertDefaults(table: Sql): Sql;
  /**
   * The server's own CSV writer (PostgreSQL's COPY … TO STDOUT), when the engine has one: far
   * faster than rows through the driver. Only for SELECTs without bound values (COPY takes none).
   * Writes chunks through `write` (awaited: the disk's pace reaches the server) and returns the row count.
   */
  copyCsv?(query: CompiledQuery, options: { header: boolean; delimiter: string; userSql: boolean; signal: AbortSignal }, write: (chunk: Buffer) => Promise<void>): Promise<number>;
  /** Foreign keys of other tables that point at this one (SQLite's answer at once). */
  referencedBy(table: TableRef): ReferencingKey[] | Promise<ReferencingKey[]>;
  /** A driver value as an SQL literal of this dialect, for SQL exports. */
  literal(value: unknown, kind: ValueKind): string;
  /** `schema.table` quoted for this dialect, for SQL exports. */
  qualifiedName(table: TableRef): string;
  quoteIdentifier(name: string): string;
}
