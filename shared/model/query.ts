import { z } from 'zod';
import { ExplainedError } from './explained-error';
import { ColumnMeta } from './values';

/**
 * The SQL editor's domain: statements run in a query session (one dedicated connection per editor
 * tab), their results, plans, the server's process list, history and saved queries.
 */

/** A message the server sent while a statement ran: PostgreSQL notices, MySQL warnings and notes. */
export const QueryNotice = z.object({
  level: z.enum(['error', 'warning', 'notice', 'info', 'log', 'debug', 'note']),
  message: z.string(),
  /** SQLSTATE or the server's error number, as text. */
  code: z.string().nullable(),
});
export type QueryNotice = z.infer<typeof QueryNotice>;

/** Why a statement failed, with the place in the editor when the server said where. */
export const StatementError = z.object({
  message: z.string(),
  /** SQLSTATE (PostgreSQL), error number (MySQL), result code (SQLite). */
  code: z.string().nullable(),
  /** 0-based offset in the editor's text, when the server gave a position. */
  offset: z.number().int().nullable(),
  detail: z.string().nullable(),
  hint: z.string().nullable(),
  /** A constraint or limit the statement broke, in the user's terms (kind, table, column, constraint, key); absent for other errors. */
  explained: ExplainedError.nullable().optional(),
});
export type StatementError = z.infer<typeof StatementError>;

export const StatementStatus = z.enum(['ok', 'error', 'cancelled', 'skipped']);
export type StatementStatus = z.infer<typeof StatementStatus>;

/** One statement's outcome: a result set (columns + streamed rows) or a command (rows affected). */
export const StatementResult = z.object({
  index: z.number().int().nonnegative(),
  /** Where the statement is in the editor's text. */
  offset: z.number().int().nonnegative(),
  sql: z.string(),
  status: StatementStatus,
  /** The statement's keyword as the server or the text names it: SELECT, INSERT, CREATE TABLE… */
  command: z.string().nullable(),
  /** Null when the statement returned no result set. */
  columns: z.array(ColumnMeta).nullable(),
  /** Rows streamed to the window. */
  rowCount: z.number().int().nonnegative(),
  /** The row cap stopped the stream: more rows existed. */
  truncated: z.boolean(),
  rowsAffected: z.number().int().nullable(),
  notices: z.array(QueryNotice),
  durationMs: z.number().nonnegative(),
  error: StatementError.nullable(),
});
export type StatementResult = z.infer<typeof StatementResult>;

export const LongTransactionRule = z.object({ afterMs: z.number().int().positive(), why: z.string() });
export type LongTransactionRule = z.infer<typeof LongTransactionRule>;

/** What the transaction indicator shows. */
export const SessionState = z.object({
  sessionId: z.string(),
  connectionId: z.string(),
  autoCommit: z.boolean(),
  /** A transaction is open on the session's connection (started by manual mode or by the user's BEGIN). */
  transactionOpen: z.boolean(),
  /** PostgreSQL: the open transaction failed; only ROLLBACK works until it ends. */
  transactionFailed: z.boolean(),
  /** How long the open transaction had been open when this state was sent (ms); null when none is open. */
  transactionAgeMs: z.number().nonnegative().nullable(),
  /** When an open transaction counts as long on this server, and why that matters here (Galera: certification). */
  longTransaction: LongTransactionRule,
  readOnly: z.boolean(),
  production: z.boolean(),
  /** The server's id of the session's connection (PostgreSQL backend pid, MySQL thread id), to find it in the process list. */
  backendId: z.string().nullable(),
  running: z.boolean(),
});
export type SessionState = z.infer<typeof SessionState>;

/** One node of a query plan, the same shape for every engine; fields an engine does not report are null. */
export interface PlanNode {
  /** "Seq Scan", "Hash Join", "table scan", "SEARCH t USING INDEX …". */
  operation: string;
  /** Table, index, condition: the node's details as one line. */
  detail: string | null;
  /** Total estimated cost (PostgreSQL, MySQL). */
  cost: number | null;
  /** Estimated rows (PostgreSQL, MySQL). */
  rows: number | null;
  /** ANALYZE: rows actually produced (per loop × loops for PostgreSQL). */
  actualRows: number | null;
  /** ANALYZE: time spent in the node and below, ms. */
  actualTimeMs: number | null;
  loops: number | null;
  /** Other facts the engine reports (filter, index condition, buffers…), as label/value. */
  extra: { label: string; value: string }[];
  children: PlanNode[];
}
export const PlanNode: z.ZodType<PlanNode> = z.lazy(() =>
  z.object({
    operation: z.string(),
    detail: z.string().nullable(),
    cost: z.number().nullable(),
    rows: z.number().nullable(),
    actualRows: z.number().nullable(),
    actualTimeMs: z.number().nullable(),
    loops: z.number().nullable(),
    extra: z.array(z.object({ label: z.string(), value: z.string() })),
    children: z.array(PlanNode),
  }),
);

export const ExplainPlan = z.object({
  analyzed: z.boolean(),
  root: PlanNode,
  /** Planning/execution time and other totals the engine reports. */
  totals: z.array(z.object({ label: z.string(), value: z.string() })),
  /** The engine's own output (JSON or text), for copying. */
  raw: z.string(),
  /** What the user should know: "the statement ran and was rolled back", "MySQL 5.7 gives no actual times". */
  notes: z.array(z.string()),
});
export type ExplainPlan = z.infer<typeof ExplainPlan>;

/** A session on the server, from its process list. */
export const ServerProcess = z.object({
  /** PostgreSQL pid, MySQL thread id. */
  id: z.string(),
  user: z.string().nullable(),
  database: z.string().nullable(),
  client: z.string().nullable(),
  application: z.string().nullable(),
  /** active, idle, idle in transaction, Query, Sleep… */
  state: z.string().nullable(),
  /** The running (or last) statement. */
  query: z.string().nullable(),
  /** How long the current statement has run, ms; null when idle. */
  durationMs: z.number().nullable(),
  waiting: z.string().nullable(),
  /** This is one of DB Desk's own connections of this window. */
  own: z.boolean(),
});
export type ServerProcess = z.infer<typeof ServerProcess>;

export const HistoryEntry = z.object({
  id: z.number().int(),
  profileId: z.string(),
  sql: z.string(),
  executedAt: z.string(),
  durationMs: z.number(),
  status: StatementStatus,
  rowCount: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const SavedQuery = z.object({
  id: z.string(),
  profileId: z.string(),
  name: z.string(),
  sql: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedQuery = z.infer<typeof SavedQuery>;

/** An editor tab as it is kept across restarts. */
export const EditorTab = z.object({
  id: z.string().min(1).max(64),
  profileId: z.string().min(1).max(64),
  title: z.string().min(1).max(200),
  text: z.string().max(5_000_000),
  /** Cursor/selection as offsets in `text`. */
  anchor: z.number().int().nonnegative(),
  head: z.number().int().nonnegative(),
  position: z.number().int().nonnegative(),
});
export type EditorTab = z.infer<typeof EditorTab>;

/** A column for completion: every column of every table of one schema, in one round trip. */
export const CompletionColumn = z.object({ table: z.string(), column: z.string(), dataType: z.string() });
export type CompletionColumn = z.infer<typeof CompletionColumn>;
