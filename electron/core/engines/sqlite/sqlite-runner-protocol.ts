import type { ExplainPlan } from '../../../../shared/model/query';
import type { ColumnMeta, EncodedRows } from '../../../../shared/model/values';
import type { SpooledBatch } from './sqlite-spool';

/** Worker → SQLite runner process. */
export type ToRunner =
  | { type: 'open'; file: string; readOnly: boolean; busyTimeoutMs: number }
  /** `spool`: a file in shared memory for the result's batches (sqlite-spool.ts); without one they come as 'batch' messages. */
  | { type: 'run'; id: number; sql: string; batchRows: number; maxRows: number; credit: number; autoCommit: boolean; spool?: string }
  | { type: 'credit'; id: number; batches: number }
  | { type: 'exec'; id: number; sql: 'COMMIT' | 'ROLLBACK' }
  | { type: 'explain'; id: number; sql: string; analyze: boolean }
  /** PRAGMA quick_check of a file, on a connection of its own (diagnostics: a check that can be killed at its deadline). */
  | { type: 'quick-check'; id: number; file: string };

export interface RunnerOutcome {
  command: string | null;
  rowsAffected: number | null;
  rowCount: number;
  truncated: boolean;
  hasResultSet: boolean;
}

/** SQLite runner process → worker. Every answer names the request it belongs to. */
export type FromRunner =
  | { type: 'opened' }
  | { type: 'columns'; id: number; columns: ColumnMeta[] }
  | { type: 'batch'; id: number; batch: EncodedRows }
  | { type: 'spooled'; id: number; batch: SpooledBatch }
  | { type: 'done'; id: number; outcome: RunnerOutcome | null; plan?: ExplainPlan; inTransaction: boolean }
  | { type: 'checked'; id: number; problems: string[] }
  | { type: 'error'; id: number; message: string; code: string | null; inTransaction: boolean; offset?: number | null };
