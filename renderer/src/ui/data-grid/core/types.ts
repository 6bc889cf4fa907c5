import type { CellValue, ColumnMeta, RowBatch } from '../../../../../shared/model/values';

/** A column as the grid shows it. */
export type GridColumn = ColumnMeta;

/**
 * Where to read a window. The controller picks the cheapest way it knows: seek from a cached
 * neighbour's key (`anchor`), count from the end of a table whose size is known (`fromEnd`),
 * or a plain offset. A source without keys ignores anchors (they are never offered then).
 */
export interface WindowFetch {
  /** The first row index of the window and how many rows it holds. */
  start: number;
  count: number;
  /** Seek from a cached neighbour: rows `after` its last key (skipping `skip`), or `before` its first key (ending `skip` rows before it). */
  anchor?: { key: unknown; direction: 'after' | 'before'; skip: number };
  /** Read from the end: the window ends `offsetFromEnd` rows before the last row. */
  offsetFromEnd?: number;
  /** The window will be cut into blocks of this many rows: return every row's key (`keyAt`) if the source can. */
  splitInto?: number;
  signal: AbortSignal;
}

export interface WindowResult {
  batch: RowBatch;
  /** Opaque keys of the window's first and last rows, for seeking its neighbours later; null when the source has none. */
  keys: { first: unknown; last: unknown } | null;
  /** Cells whose text was cut for the grid, as [column, row]. */
  truncated?: readonly (readonly [number, number])[];
  /** Whatever else the source wants to keep per window (row ids, versions). */
  extra?: unknown;
  /** The key of any row of the window (when asked with `splitInto` and the source has keys). */
  keyAt?: (row: number) => unknown;
}

export interface RowCountInfo {
  value: number;
  exact: boolean;
}

/**
 * Rows the grid can show: a table view, or a query result (the SQL editor's streamed results
 * use the same grid). Windows arrive as columnar batches.
 */
export interface GridDataSource {
  readonly columns: GridColumn[];
  /** Counts the rows (exact when cheap, else an estimate the controller corrects as it learns the end). */
  count(signal: AbortSignal): Promise<RowCountInfo>;
  fetch(request: WindowFetch): Promise<WindowResult>;
  /**
   * Rows `start`..`end` of a window as a window of their own (its batch, extra data and cut cells
   * re-based). Sources that have it let the controller read the two blocks in view with one fetch.
   */
  slice?(result: WindowResult, start: number, end: number): WindowResult;
}

/** One row as the view sees it. */
export interface RowView {
  /** Stable identity for React keys and staged edits. */
  key: string;
  cell(column: number): CellValue;
  /** The cell's text was cut for the grid; the whole value must be fetched. */
  isTruncated(column: number): boolean;
}

export type RowState = { status: 'ready'; row: RowView } | { status: 'loading' } | { status: 'error'; message: string };

/** What the grid view renders from: the controller, or a feature's wrapper around it (staged inserts). */
export interface GridRows {
  rowCount(): number;
  countExact(): boolean;
  row(index: number): RowState;
  setViewport(first: number, last: number): void;
  subscribe(listener: () => void): () => void;
  /** Changes whenever anything visible may have changed. */
  version(): number;
}
