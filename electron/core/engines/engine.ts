import type { Dialect } from './dialect';
import type { DesignSchema, EngineType } from '../../../features/designer/shared/model';
import type { DesignDialect } from '../../../features/designer/core/design-dialect';
import type { ClusterSnapshot } from '../../../shared/model/galera';
import type { ExplainedError } from '../../../shared/model/explained-error';
import type { MigrationAdapter } from '../../../features/migrations/core/migration-adapter';
import type { QueryCapable } from './query-session';
import type { SshTunnel } from '../ssh/ssh-tunnel';
import type { TableImporter } from '../../../features/import/core/table-importer';
import type { RowCount, SchemaSummary, ServerInfo, TableDetail, TableRef, TableSummary } from '../../../shared/model/schema';
import type { ApplyResult, EditBatchLimit, EditPreview, EditRequest, ReferencingKey, TableQuery, TableWindow, WindowSpec } from '../../../shared/model/table-query';
import type { CellValue, ColumnMeta, ValueKind } from '../../../shared/model/values';

/** How an engine writes identifiers and values as SQL text (SQL exports; never for running user values). */
export interface SqlText {
  literal(value: unknown, kind: ValueKind): string;
  qualifiedName(table: TableRef): string;
  quoteIdentifier(name: string): string;
}

export interface ReadDesignOptions {
  /** Views, sequences, types, routines and triggers too (in `objects`), texts relative to the schema. */
  complete?: boolean;
}

export interface StreamOptions {
  batchSize: number;
  signal: AbortSignal;
}

type MaybeAsync<T> = T | Promise<T>;

/** The schema tree's names, from the engine's catalog. SQLite's introspector answers at once. */
export interface Introspection {
  listSchemas(): MaybeAsync<SchemaSummary[]>;
  listTables(schema: string): MaybeAsync<TableSummary[]>;
}

/**
 * The table browser's side of an engine: windows, counts, cells, staged edits and export streams
 * (`TableDataService` over the family's `TableDataDriver`).
 */
export interface TableData {
  /** A table's columns, keys and identity from the catalog, remembered for the windows that follow. */
  describeTable(table: TableRef): Promise<TableDetail>;
  /**
   * One window of a table view (filter, raw WHERE, sort), by offset or by key. `signal` (the caller's):
   * aborting stops the window's statement on the server; the call rejects.
   */
  readWindow(query: TableQuery, window: WindowSpec, signal?: AbortSignal): Promise<TableWindow>;
  /** Rows of a view: exact when the server counts within `timeoutMs`, else the planner's estimate. */
  countRows(query: TableQuery, timeoutMs: number, signal?: AbortSignal): Promise<RowCount>;
  /** The whole value of one cell as the driver returns it (Uint8Array for bytes, full text). */
  readCell(table: TableRef, rowId: CellValue[], column: string): Promise<unknown>;
  /** The statements applying these staged changes would run, exactly as they would be sent. */
  planEdits(edits: EditRequest): Promise<EditPreview>;
  /**
   * Applies staged changes in one transaction with conflict checks; on any problem nothing is applied.
   * With `edits.transactions` (a split the user agreed to), in those transactions, stopping at the first that fails.
   */
  applyEdits(edits: EditRequest): Promise<ApplyResult>;
  /**
   * Galera: whether the staged changes fit one transaction (wsrep_max_ws_rows / wsrep_max_ws_size);
   * null when they do, and always on engines without such a limit.
   */
  checkEditLimits(edits: EditRequest): Promise<EditBatchLimit | null>;
  /** Every row of a view from a server-side cursor, in batches of raw driver values; returns early when aborted. */
  streamRows(query: TableQuery, options: StreamOptions, onRows: (rows: unknown[][]) => Promise<void> | void): Promise<void>;
  /** CSV of a view written by the server itself (PostgreSQL COPY) into `write`; null when this engine or view needs rows streamed instead. */
  copyCsv(query: TableQuery, options: { header: boolean; delimiter: string; signal: AbortSignal }, write: (chunk: Buffer) => Promise<void>): Promise<number | null>;
  /** The columns a stream of this table yields, in order. */
  columnsOf(table: TableRef): Promise<ColumnMeta[]>;
  /** Foreign keys of other tables that point at this one. */
  referencedBy(table: TableRef): Promise<ReferencingKey[]>;
  /**
   * A statement of the SQL editor the server refused, as the dialect's explainer read it, filled in
   * from the catalog of the table it writes (the first of `candidates` that exists — the schema the
   * server or the statement named, else the session's search path or current database): the unique
   * key's columns and definition, the foreign key and the other table, the CHECK's expression, the
   * column and type of a value too long. Runs on the pool's connections, never in the session's
   * transaction; best effort (what cannot be read stays as the explainer had it); the caller bounds the time.
   */
  explainFromCatalog(explained: ExplainedError, candidates: readonly TableRef[], action?: 'insert' | 'update' | 'delete'): Promise<ExplainedError>;
  /** How this engine writes names and values as SQL text (SQL exports). */
  readonly sqlText: SqlText;
}

/**
 * What every database adapter does. Engine-specific SQL lives only behind this interface,
 * in engines/<family>/. Browsing, table data and the SQL editor's calls are its three members
 * (`introspector`, `tableData`, `queryTools`): callers use them directly.
 */
export interface Engine {
  /** Everything that differs by engine family: ask it, never which engine this is. */
  readonly dialect: Dialect;
  /** `host:port` (or the file) this engine is connected to. */
  readonly endpoint: string;
  /** The SSH tunnel this engine's connections go through (set by openEngine); client tools forward a local port over it. */
  sshTunnel?: SshTunnel;
  /** Schemas and tables for the schema tree. */
  readonly introspector: Introspection;
  /** Table windows, counts, cells, edits and export streams. */
  readonly tableData: TableData;
  /** The SQL editor's sessions, completion columns and the process list (made on first use). */
  readonly queryTools: QueryCapable;
  serverInfo(): Promise<ServerInfo>;
  /**
   * The schema designer's view of one schema: every table with keys, indexes and checks, read in a few
   * queries. `complete` (schema compare) adds every other object kind, with the schema's own names unqualified.
   */
  readDesign(schema: string, options?: ReadDesignOptions): Promise<DesignSchema>;
  /** Type names for the designer's type picker: the engine's built-in ones plus the database's own. */
  listTypes(): Promise<EngineType[]>;
  /** DDL generation for this server (its product and version decide some statements). */
  designDialect(): Promise<DesignDialect>;
  /**
   * Galera (mysql family only): reads every node of the cluster this connection belongs to.
   * Absent on engines that have no clusters.
   */
  clusterStatus?(): ClusterStatusSource;
  /** The engine's side of the migration runner: its connections, locks, DDL and dialect rules. */
  migrations(): MigrationAdapter;
  /** The engine's side of import: its bulk load path (COPY, multi-row INSERT, prepared INSERTs) and type names. */
  importer(): TableImporter;

  /** Closes every connection of the engine. Safe to call twice. */
  close(): Promise<void>;
}

/** Live health of a cluster's nodes, for the cluster view. Keeps one small connection per node. */
export interface ClusterStatusSource {
  /** One reading of every known node (the connection id is filled in by the caller). */
  read(): Promise<Omit<ClusterSnapshot, 'connectionId'>>;
  close(): Promise<void>;
}

/** Below this many (estimated) rows a count(*) is cheap enough to show the exact number. */
export const EXACT_COUNT_THRESHOLD = 100_000;
