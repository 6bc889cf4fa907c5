import type { ExplainPlan } from '../../../../shared/model/query';
import type { ColumnMeta, EncodedRows } from '../../../../shared/model/values';

/** Worker → SQLite runner process. */
export type ToRunner =
  | { type: 'open'; file: string; readOnly: boolean; busyTimeoutMs: number }
  | { type: 'run'; id: number; sql: string; batchRows: number; maxRows: number; credit: number; autoCommit: boolean }
  | { type: 'credit'; id: number; batches: number }
  | { type: 'exec'; id: number; sql: 'COMMIT' | 'ROLLBACK' }
  | { type: 'explain'; id: number; sql: string; analyze: boolean };

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
  | { type: 'done'; id: number; outcome: RunnerOutcome | null; plan?: ExplainPlan; inTransaction: boolean }
  | { type: 'error'; id: number; message: string; code: string | null; inTransaction: boolean; offset?: number | null };
