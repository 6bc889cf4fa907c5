import { decodeRows, type CellValue, type ColumnMeta, type EncodedRows, type RowBatch } from '../../../shared/model/values';
import type { GridDataSource, GridRows, RowCountInfo, RowState, RowView, WindowFetch, WindowResult } from '../../../renderer/src/ui/data-grid/core/types';

/** A batch as it arrived (columnar bytes), with its columns while it is among the recently shown. */
interface StoredBatch {
  rowCount: number;
  encoded: Uint8Array | null;
  decoded: CellValue[][] | null;
}

/** Batches kept decoded at once; the rest stay as the bytes they arrived as. */
const DECODED_BATCHES = 8;

/**
 * A query result as it streams in: each batch kept as the bytes it arrived as (compact: one
 * buffer per 10,000 rows, nothing turned into cells or row objects), decoded into columns only when the
 * grid shows rows from it, with a few decoded batches cached. The grid reads it as GridRows —
 * rows appear as batches land — or windows of it as a GridDataSource.
 */
export class StreamedResult implements GridRows, GridDataSource {
  columns: ColumnMeta[] = [];
  /** Why some rows cannot be shown (a batch that arrived damaged); null while every row can. */
  damage: string | null = null;
  private readonly batches: StoredBatch[] = [];
  /** Batch indexes decoded lately, most recent last. */
  private readonly decodedOrder: number[] = [];
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

  /** A batch as it arrived (encoded), or already decoded. */
  append(batch: EncodedRows | RowBatch): void {
    if (batch.rowCount === 0) return;
    this.starts.push(this.total);
    this.batches.push(batch.values instanceof Uint8Array ? { rowCount: batch.rowCount, encoded: batch.values, decoded: null } : { rowCount: batch.rowCount, encoded: null, decoded: batch.values });
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

  /** Rough bytes held: the encoded batches, plus the decoded ones. */
  estimatedBytes(): number {
    let bytes = 0;
    for (const b of this.batches) bytes += (b.encoded?.byteLength ?? 0) + (b.decoded ? b.rowCount * b.decoded.length * 24 : 0);
    return bytes;
  }

  /** Batch `b` as columns: decoded on first use, kept among the few most recent. */
  private decoded(b: number): CellValue[][] {
    const batch = this.batches[b]!;
    if (batch.decoded) return batch.decoded;
    try {
      batch.decoded = decodeRows(this.columns, { rowCount: batch.rowCount, values: batch.encoded! }).values;
    } catch (err) {
      // A damaged batch must not take the grid (and the window) down: its rows stay empty, and the
      // result says why (damage). Kept decoded for good: there is nothing to decode again.
      const start = this.starts[b]!;
      this.damage ??= `Rows ${(start + 1).toLocaleString()}–${(start + batch.rowCount).toLocaleString()} cannot be shown: ${(err as Error).message}`;
      batch.encoded = null;
      batch.decoded = this.columns.map(() => new Array<CellValue>(batch.rowCount).fill(null));
      this.changed();
      return batch.decoded;
    }
    this.decodedOrder.push(b);
    if (this.decodedOrder.length > DECODED_BATCHES) {
      // The oldest decoded batch goes back to being its bytes only.
      const old = this.batches[this.decodedOrder.shift()!]!;
      if (old.encoded !== null) old.decoded = null;
    }
    return batch.decoded;
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
    return this.decoded(b)[column]![row - this.starts[b]!] ?? null;
  }

  /** Rows [start, start + count) as one batch (copied slices of the stored columns). */
  window(start: number, count: number): RowBatch {
    const end = Math.min(this.total, start + count);
    const values: CellValue[][] = this.columns.map(() => []);
    for (let i = start < 0 ? 0 : start; i < end; ) {
      const b = this.batchOf(i);
      const cols = this.decoded(b);
      const from = i - this.starts[b]!;
      const take = Math.min(this.batches[b]!.rowCount - from, end - i);
      for (let c = 0; c < values.length; c++) values[c]!.push(...cols[c]!.slice(from, from + take));
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
    const cols = this.decoded(b);
    const r = index - this.starts[b]!;
    const view: RowView = {
      key: String(index),
      cell: (column) => cols[column]?.[r] ?? null,
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
