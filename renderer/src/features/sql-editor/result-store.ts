import type { CellValue, ColumnMeta, RowBatch } from '../../../../shared/model/values';
import type { GridDataSource, GridRows, RowCountInfo, RowState, RowView, WindowFetch, WindowResult } from '../../ui/data-grid/core/types';

/**
 * A query result as it streams in: the columnar batches as they arrived, nothing copied, nothing
 * turned into row objects (a million rows stay a hundred arrays per column). The grid reads it
 * as GridRows — rows appear as batches land — or windows of it as a GridDataSource.
 */
export class StreamedResult implements GridRows, GridDataSource {
  columns: ColumnMeta[] = [];
  private readonly batches: RowBatch[] = [];
  /** First row index of each batch. */
  private readonly starts: number[] = [];
  private total = 0;
  private done = false;
  private versionNo = 0;
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;

  setColumns(columns: ColumnMeta[]): void {
    this.columns = columns;
    this.changed();
  }

  append(batch: RowBatch): void {
    if (batch.rowCount === 0) return;
    this.starts.push(this.total);
    this.batches.push(batch);
    this.total += batch.rowCount;
    this.changed();
  }

  finish(): void {
    this.done = true;
    this.changed();
  }

  get finished(): boolean {
    return this.done;
  }

  /** Rough bytes held, for the status line: 8 per number, 2 per character plus 40 per string. */
  estimatedBytes(): number {
    let bytes = 0;
    for (const b of this.batches) {
      for (const col of b.values) {
        const sample = col.slice(0, 64);
        let s = 0;
        for (const v of sample) s += typeof v === 'string' ? 40 + v.length * 2 : 16;
        bytes += sample.length ? (s / sample.length) * col.length : 0;
      }
    }
    return Math.round(bytes);
  }

  private batchOf(index: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  cell(row: number, column: number): CellValue {
    const b = this.batchOf(row);
    return this.batches[b]!.values[column]![row - this.starts[b]!] ?? null;
  }

  /** Rows [start, start + count) as one batch (copied slices of the stored columns). */
  window(start: number, count: number): RowBatch {
    const end = Math.min(this.total, start + count);
    const values: CellValue[][] = this.columns.map(() => []);
    for (let i = start < 0 ? 0 : start; i < end; ) {
      const b = this.batchOf(i);
      const batch = this.batches[b]!;
      const from = i - this.starts[b]!;
      const take = Math.min(batch.rowCount - from, end - i);
      for (let c = 0; c < values.length; c++) values[c]!.push(...batch.values[c]!.slice(from, from + take));
      i += take;
    }
    return { columns: this.columns, values, rowCount: Math.max(0, end - Math.max(0, start)) };
  }

  // GridRows: everything the result has is in memory, so every row in range is ready.
  rowCount(): number {
    return this.total;
  }

  countExact(): boolean {
    return this.done;
  }

  row(index: number): RowState {
    if (index < 0 || index >= this.total) return { status: 'loading' };
    const b = this.batchOf(index);
    const batch = this.batches[b]!;
    const r = index - this.starts[b]!;
    const view: RowView = {
      key: String(index),
      cell: (column) => batch.values[column]?.[r] ?? null,
      isTruncated: () => false,
    };
    return { status: 'ready', row: view };
  }

  setViewport(): void {
    /* nothing to fetch: the stream brings every row */
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  version(): number {
    return this.versionNo;
  }

  // GridDataSource: windows of what has arrived.
  async count(): Promise<RowCountInfo> {
    return { value: this.total, exact: this.done };
  }

  async fetch(request: WindowFetch): Promise<WindowResult> {
    return { batch: this.window(request.start, request.count), keys: null };
  }

  /** Listeners hear at most once per frame, however many batches land in it. */
  private changed(): void {
    this.versionNo++;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const flush = () => {
      this.notifyScheduled = false;
      for (const l of this.listeners) l();
    };
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(flush);
    else queueMicrotask(flush);
  }
}
