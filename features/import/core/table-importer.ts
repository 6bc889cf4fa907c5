import type { TableRef } from '../../../shared/model/schema';
import type { ValueKind } from '../../../shared/model/values';
import type { ImportValue } from './convert';
import type { FieldProfile } from './infer';

/** A column rows are loaded into, in the order of each row's values. */
export interface LoadColumn {
  name: string;
  kind: ValueKind;
}

/** A batch or row the server refused: which row of it (when the server says), which column, and its words. */
export class LoadFailure extends Error {
  override name = 'LoadFailure';
  constructor(
    message: string,
    /** Index into the batch of the refused row; null when the server does not say. */
    readonly rowIndex: number | null,
    readonly column: string | null,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The server reads the file's CSV itself (PostgreSQL COPY … FROM STDIN): what it must know of the file. */
export interface ServerCsv {
  header: boolean;
  delimiter: string;
  quote: string;
  encoding: 'utf-8' | 'latin1';
  /** The table's columns in the file's field order. */
  columns: string[];
}

/**
 * An import's connection and transaction. `loadBatch` and `loadRow` either load everything they were
 * given or nothing (the transaction stays usable after a LoadFailure), so skip mode can retry a refused
 * batch row by row.
 */
export interface TableLoad {
  /**
   * Rows per loadBatch, when the engine wants other than the runner's default: an engine without a round
   * trip per batch (SQLite) takes small ones, so converted rows die young instead of piling up.
   */
  readonly batchRows?: number;
  /** Statements outside the load (the new table's DDL), each committed on its own. */
  execute(statements: readonly string[]): Promise<void>;
  /** Starts the load's transaction for these columns. */
  begin(columns: readonly LoadColumn[]): Promise<void>;
  loadBatch(rows: readonly ImportValue[][]): Promise<void>;
  loadRow(row: readonly ImportValue[]): Promise<void>;
  /**
   * Streams the file's bytes to the server's own CSV reader; resolves with the rows loaded. Absent when
   * the engine has none. A refused line is a LoadFailure whose rowIndex is the file's line (1-based).
   */
  copyCsv?(chunks: AsyncIterable<Buffer>, csv: ServerCsv): Promise<number>;
  commit(): Promise<void>;
  /** Rolls the transaction back (if any) and gives the connection back. Safe after commit. */
  rollback(): Promise<void>;
}

/**
 * What import needs from an engine (declared here, implemented in engines/<family>/<family>-import.ts):
 * its fastest bulk path, and its type names for a new table.
 */
export interface TableImporter {
  /** The engine's type for a field profiled from a sample (the new-table flow). */
  typeFor(field: FieldProfile): string;
  /** A connection of its own for one import into `table`; `signal` cancels what is running on the server. */
  open(table: TableRef, signal: AbortSignal): Promise<TableLoad>;
}
