import type { CompletionColumn, ExplainPlan, LongTransactionRule, QueryNotice, ServerProcess } from '../../../shared/model/query';
import type { ColumnMeta, EncodedRows } from '../../../shared/model/values';
import type { LaunchRunner } from '../runner/runner-channel';

/**
 * Where a running statement's rows go. `rows` resolves when the consumer can take the next batch
 * (credit-based flow control): an adapter awaits it before it reads more from its cursor, so no
 * hop between the server and the window ever holds more than a few batches.
 */
export interface StatementSink {
  columns(columns: ColumnMeta[]): void;
  rows(batch: EncodedRows): Promise<void>;
}

/**
 * A batch is cut at this many bytes even before `batchRows` rows: a result of long texts would
 * otherwise make batches of gigabytes, and every hop to the window holds a batch or two.
 */
export const BATCH_BYTES = 4 * 1024 * 1024;

export interface StatementOptions {
  batchRows: number;
  /** Stop reading (and close the cursor) after this many rows. */
  maxRows: number;
}

export interface StatementOutcome {
  command: string | null;
  rowsAffected: number | null;
  /** Rows read; equal to maxRows with `truncated` when the cap stopped the stream. */
  rowCount: number;
  truncated: boolean;
  /** True when the statement returned a result set (even an empty one). */
  hasResultSet: boolean;
  notices: QueryNotice[];
}

export interface TransactionStatus {
  autoCommit: boolean;
  open: boolean;
  failed: boolean;
}

/**
 * One dedicated connection for an editor tab: its statements, its transaction, its cancel.
 * Each engine family implements it in engines/<family>/; nothing outside knows its SQL.
 */
export interface QuerySession {
  /** The server's id of this connection (pid, thread id), shown in the process list. */
  readonly backendId: string | null;
  /** When an open transaction counts as long on this server, and why it matters here: the editor warns past it. */
  readonly longTransaction: LongTransactionRule;
  /** Runs one statement the user wrote, streaming any rows into the sink. Throws the server's error. */
  run(sql: string, sink: StatementSink, options: StatementOptions): Promise<StatementOutcome>;
  /**
   * Stops the running statement; resolves once the server (or the runner process) let go. After
   * a cancel that had to reset the connection, `reset` is true and the transaction is gone.
   */
  cancel(): Promise<{ reset: boolean }>;
  status(): TransactionStatus;
  setAutoCommit(autoCommit: boolean): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  explain(sql: string, analyze: boolean): Promise<ExplainPlan>;
  /**
   * The schemas a table name written without one is looked up in by this session, in order — its
   * search path, its current database — to explain a refused statement from the catalog. Never
   * touches an open transaction's state: a session that would have to run a statement inside one to
   * know answers from what it read before it (PostgreSQL); empty when it cannot tell.
   */
  lookupSchemas(): Promise<string[]>;
  /** Where in `sql` (0-based) the server says the error is, if it says. */
  errorOffset(error: unknown, sql: string): number | null;
  close(): Promise<void>;
}

export interface QuerySessionOptions {
  /** The profile is read-only: the session's connection is made read-only on the server (or opened read-only). */
  readOnly: boolean;
  /** Starts a process that can be killed (SQLite runs editor statements in one). */
  launchRunner: LaunchRunner;
}

/** What the SQL editor needs from an engine besides browsing. */
export interface QueryCapable {
  openQuerySession(options: QuerySessionOptions): Promise<QuerySession>;
  /** Every column of every table of a schema (completion). */
  listColumns(schema: string): Promise<CompletionColumn[]>;
  /** The server's sessions; null when the engine has none (SQLite). */
  processList(ownBackendIds: ReadonlySet<string>): Promise<ServerProcess[] | null>;
  killProcess(id: string, mode: 'cancel' | 'terminate'): Promise<boolean>;
}
