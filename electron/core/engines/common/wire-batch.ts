import { isUtf8 } from 'node:buffer';
import { ColumnEncoding, type EncodedRows } from '../../../../shared/model/columnar-batch';
import type { CellValue } from '../../../../shared/model/values';
import { assembleBatch, cellsColumn, numbersAsCells, numbersColumn, textColumn, type PendingColumn } from './row-batch';

/** How a column of a wire batch is kept while its rows are read. */
export const WireColumn = {
  /** JS numbers (or NULL): raw Float64 on the wire. */
  Number: 0,
  /** Text as the server sent it, in UTF-8: the bytes are copied, no string is made. */
  Utf8: 1,
  /** Anything else, as cells (bytes, bit strings): a Json (or Text) column on the wire. */
  Cells: 2,
} as const;
export type WireColumnKind = (typeof WireColumn)[keyof typeof WireColumn];

/** Below this, a JS loop copies bytes faster than Buffer.copy's trip into C++. */
const SHORT_COPY = 32;

/**
 * A batch of a streamed result built from the protocol's bytes, for readers that parse the
 * server's rows themselves (MariaDB's and PostgreSQL's text rows): text cells go from the
 * socket's buffer into the batch as bytes. The row-object path (RowBatcher) makes a JS string per text cell and
 * then turns the strings back into bytes; this path does neither, which is where a million-row
 * stream spent most of its time.
 *
 * Readers call startRow(), then one set… call per column, in order.
 */
export class WireBatch {
  private count = 0;
  private capacity: number;
  private readonly numbers: (Float64Array | null)[] = [];
  private readonly nulls: (Uint8Array | null)[] = [];
  private readonly bytes: (Buffer | null)[] = [];
  private readonly used: number[] = [];
  private readonly ends: (Uint32Array | null)[] = [];
  private readonly cells: (CellValue[] | null)[] = [];
  /** Bytes of text in the batch so far, all columns together. */
  private textBytes = 0;

  constructor(
    private readonly kinds: readonly WireColumnKind[],
    capacity = 1024,
  ) {
    this.capacity = Math.max(16, capacity);
    for (const kind of kinds) {
      this.numbers.push(kind === WireColumn.Number ? new Float64Array(this.capacity) : null);
      this.nulls.push(null);
      this.bytes.push(kind === WireColumn.Utf8 ? Buffer.allocUnsafe(this.capacity * 16) : null);
      this.used.push(0);
      this.ends.push(kind === WireColumn.Utf8 ? new Uint32Array(this.capacity + 1) : null);
      this.cells.push(kind === WireColumn.Cells ? [] : null);
    }
  }

  get rowCount(): number {
    return this.count;
  }

  /** Roughly the encoded size of the batch so far, for cutting batches at BATCH_BYTES. */
  get approxBytes(): number {
    return this.textBytes + this.count * this.kinds.length * 8;
  }

  /** The index of a new row. */
  startRow(): number {
    if (this.count === this.capacity) this.grow();
    return this.count++;
  }

  setNumber(c: number, r: number, v: number): void {
    const cells = this.cells[c];
    if (cells) cells[r] = v;
    else this.numbers[c]![r] = v;
  }

  /** Bytes `start`…`end` of `src`, UTF-8 text, as column `c`'s cell in row `r`. */
  setBytes(c: number, r: number, src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    let at = this.used[c]!;
    let dst = this.bytes[c]!;
    if (at + len > dst.length) dst = this.growBytes(c, at + len);
    if (len < SHORT_COPY) for (let i = start; i < end; i++) dst[at++] = src[i]!;
    else {
      dst.set(src.subarray(start, end), at);
      at += len;
    }
    this.used[c] = at;
    this.ends[c]![r + 1] = at;
    this.textBytes += len;
  }

  /** A cell of a Cells column, or one a Number column cannot hold ('NaN'): that column then goes as cells for this batch. */
  setCell(c: number, r: number, v: CellValue): void {
    (this.cells[c] ?? this.numbersToCells(c, r))[r] = v;
  }

  setNull(c: number, r: number): void {
    (this.nulls[c] ??= new Uint8Array(this.capacity))[r] = 1;
    const ends = this.ends[c];
    if (ends) ends[r + 1] = this.used[c]!;
    else if (this.cells[c]) this.cells[c]![r] = null;
  }

  /** The batch so far, encoded; the batch starts over, keeping its buffers. */
  take(): EncodedRows {
    const n = this.count;
    const columns: PendingColumn[] = this.kinds.map((kind, c) => {
      const mask = this.nulls[c] ?? null;
      const cells = this.cells[c];
      if (cells) {
        cells.length = n;
        return cellsColumn(cells, n);
      }
      if (kind === WireColumn.Number) return numbersColumn(this.numbers[c]!, mask, n);
      return this.utf8Column(c, mask, n);
    });
    const values = assembleBatch(columns, n);
    this.count = 0;
    this.textBytes = 0;
    for (let c = 0; c < this.kinds.length; c++) {
      this.nulls[c] = null;
      this.used[c] = 0;
      this.cells[c] = this.kinds[c] === WireColumn.Cells ? [] : null;
    }
    return { rowCount: n, values };
  }

  /** Number column `c` met a value that is not a number at row `r`: its rows so far become cells (as RowBatcher does). */
  private numbersToCells(c: number, r: number): CellValue[] {
    if (this.kinds[c] !== WireColumn.Number) throw new Error('Only a number column of a wire batch can take other cells.');
    const cells = numbersAsCells(this.numbers[c]!, this.nulls[c] ?? null, r);
    this.cells[c] = cells;
    return cells;
  }

  private utf8Column(c: number, mask: Uint8Array | null, n: number): PendingColumn {
    const bytes = this.bytes[c]!.subarray(0, this.used[c]);
    const ends = this.ends[c]!.subarray(0, n + 1);
    ends[0] = 0;
    // Bytes that are not UTF-8 (a server's misdeclared charset) become what a driver would have
    // made of them: the text with U+FFFD where the bytes were wrong, as a Text column.
    if (!isUtf8(bytes)) {
      const cells = new Array<string | null>(n);
      for (let r = 0; r < n; r++) cells[r] = mask?.[r] ? null : bytes.toString('utf8', ends[r], ends[r + 1]);
      return textColumn(cells, n);
    }
    const head = (n + 1) * 4;
    return {
      tag: ColumnEncoding.Utf8 | (mask ? ColumnEncoding.Masked : 0),
      size: head + bytes.length + (mask ? n : 0),
      write(out, at) {
        out.set(new Uint8Array(ends.buffer, ends.byteOffset, head), at);
        out.set(bytes, at + head);
        if (mask) out.set(mask.subarray(0, n), at + head + bytes.length);
      },
    };
  }

  private grow(): void {
    this.capacity *= 2;
    for (let c = 0; c < this.kinds.length; c++) {
      const numbers = this.numbers[c];
      if (numbers) {
        this.numbers[c] = new Float64Array(this.capacity);
        this.numbers[c]!.set(numbers);
      }
      const ends = this.ends[c];
      if (ends) {
        this.ends[c] = new Uint32Array(this.capacity + 1);
        this.ends[c]!.set(ends);
      }
      const mask = this.nulls[c];
      if (mask) {
        this.nulls[c] = new Uint8Array(this.capacity);
        this.nulls[c]!.set(mask);
      }
    }
  }

  private growBytes(c: number, need: number): Buffer {
    const grown = Buffer.allocUnsafe(Math.max(need, this.bytes[c]!.length * 2));
    grown.set(this.bytes[c]!.subarray(0, this.used[c]));
    this.bytes[c] = grown;
    return grown;
  }
}
