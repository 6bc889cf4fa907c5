import { align8, COLUMNAR_HEADER, COLUMNAR_MAGIC, ColumnEncoding, type EncodedRows } from '../../../../shared/model/columnar-batch';
import type { CellValue } from '../../../../shared/model/values';
import { toCell } from './cells';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** A column of the batch being built, encoded when the batch is taken. */
export interface PendingColumn {
  tag: number;
  /** Bytes of the section, before padding. */
  size: number;
  write(out: Buffer, at: number): void;
}

/**
 * Collects a batch of a streamed result while rows are read, by column, and encodes it in the
 * columnar wire form (shared/model/columnar-batch.ts). The window decodes only the batches it shows.
 *
 * A column stays raw Float64 while every cell is a number (or NULL); the first cell that is not
 * turns its rows so far into cells. Text goes out joined and written as UTF-8 once per column:
 * on this machine, turning two million short JS strings into bytes costs ~0.3 s per million rows
 * joined, ~0.5 s through JSON.stringify (the JSON's building and flattening both copy them).
 */
export class RowBatcher {
  private width = -1;
  private count = 0;
  private capacity: number;
  private numbers: Float64Array[] = [];
  private nulls: (Uint8Array | null)[] = [];
  /** A column's cells once the batch holds a value that is not a number in it; null while all are. */
  private cells: (CellValue[] | null)[] = [];
  /** Whether every cell of a cells column is text or NULL (it then travels as Text, not JSON). */
  private textOnly: boolean[] = [];
  /** UTF-16 units of the batch's text so far (its size, give or take the UTF-8 of non-ASCII text). */
  private textUnits = 0;

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
  }

  get rowCount(): number {
    return this.count;
  }

  /** Roughly the encoded size of the batch so far, for cutting batches at BATCH_BYTES. */
  get approxBytes(): number {
    return this.textUnits + this.count * Math.max(0, this.width) * 8;
  }

  /** One driver row (an array in the statement's column order). */
  push(row: readonly unknown[]): void {
    if (this.width < 0) this.start(row.length);
    else if (row.length !== this.width) throw new Error(`A row has ${row.length} values; the statement has ${this.width} columns.`);
    if (this.count === this.capacity) this.grow();
    const r = this.count++;
    for (let c = 0; c < this.width; c++) {
      const v = row[c];
      let cells = this.cells[c]!;
      if (cells === null) {
        // `v - v === 0` is false for NaN and ±Infinity, which travel as text ('NaN').
        if (typeof v === 'number') {
          if (v - v === 0) {
            this.numbers[c]![r] = v;
            continue;
          }
        } else if (typeof v === 'bigint') {
          if (v <= MAX_SAFE && v >= MIN_SAFE) {
            this.numbers[c]![r] = Number(v);
            continue;
          }
        } else if (v === null || v === undefined) {
          (this.nulls[c] ??= new Uint8Array(this.capacity))[r] = 1;
          continue;
        }
        cells = this.toCells(c, r);
      }
      if (typeof v === 'string') {
        cells.push(v);
        this.textUnits += v.length;
      } else if (v === null || v === undefined) cells.push(null);
      else {
        this.textOnly[c] = false;
        cells.push(typeof v === 'boolean' || (typeof v === 'number' && v - v === 0) ? v : toCell(v));
      }
    }
  }

  /** The batch so far, encoded; the batcher starts over (keeping its number buffers). */
  take(): EncodedRows {
    const n = this.count;
    const width = Math.max(0, this.width);
    const columns: PendingColumn[] = [];
    for (let c = 0; c < width; c++) {
      const cells = this.cells[c];
      columns.push(cells ? cellsColumn(cells, n, this.textOnly[c]) : numbersColumn(this.numbers[c]!, this.nulls[c] ?? null, n));
    }
    const values = assembleBatch(columns, n);
    this.count = 0;
    this.textUnits = 0;
    for (let c = 0; c < width; c++) {
      this.cells[c] = null;
      this.nulls[c] = null;
      this.textOnly[c] = true;
    }
    return { rowCount: n, values };
  }

  private start(width: number): void {
    this.width = width;
    for (let c = 0; c < width; c++) {
      this.numbers.push(new Float64Array(this.capacity));
      this.nulls.push(null);
      this.cells.push(null);
      this.textOnly.push(true);
    }
  }

  private grow(): void {
    this.capacity *= 2;
    for (let c = 0; c < this.width; c++) {
      const numbers = new Float64Array(this.capacity);
      numbers.set(this.numbers[c]!);
      this.numbers[c] = numbers;
      const mask = this.nulls[c];
      if (mask) {
        this.nulls[c] = new Uint8Array(this.capacity);
        this.nulls[c]!.set(mask);
      }
    }
  }

  /** Column `c` met a value that is not a number at row `r`: its rows so far become cells. */
  private toCells(c: number, r: number): CellValue[] {
    const cells = numbersAsCells(this.numbers[c]!, this.nulls[c] ?? null, r);
    // Numbers before the first text make the column JSON; NULLs alone keep it text.
    this.textOnly[c] = cells.every((v) => v === null);
    this.cells[c] = cells;
    this.nulls[c] = null;
    return cells;
  }
}

/** The first `r` rows of a number column (its NULL mask applied) as cells, when the column meets a value that is not a number. */
export function numbersAsCells(numbers: Float64Array, mask: Uint8Array | null, r: number): CellValue[] {
  const cells = new Array<CellValue>(r);
  for (let i = 0; i < r; i++) cells[i] = mask?.[i] ? null : numbers[i]!;
  return cells;
}

/** A column held as cells: Text when every cell is text or NULL (`textOnly`, if the caller kept count), JSON otherwise. */
export function cellsColumn(cells: CellValue[], n: number, textOnly = cells.every((v) => v === null || typeof v === 'string')): PendingColumn {
  return textOnly ? textColumn(cells as (string | null)[], n) : jsonColumn(cells);
}

export function numbersColumn(numbers: Float64Array, mask: Uint8Array | null, n: number): PendingColumn {
  return {
    tag: ColumnEncoding.Numbers | (mask ? ColumnEncoding.Masked : 0),
    size: n * 8 + (mask ? n : 0),
    write(out, at) {
      out.set(new Uint8Array(numbers.buffer, 0, n * 8), at);
      if (mask) out.set(mask.subarray(0, n), at + n * 8);
    },
  };
}

export function textColumn(cells: (string | null)[], n: number): PendingColumn {
  const ends = new Uint32Array(n + 1);
  let mask: Uint8Array | null = null;
  let units = 0;
  for (let r = 0; r < n; r++) {
    const v = cells[r]!;
    if (v === null) (mask ??= new Uint8Array(n))[r] = 1;
    else units += v.length;
    ends[r + 1] = units;
  }
  // join() writes NULL as '' (its end offset equals its start); the mask tells it from ''.
  const text = cells.join('');
  // UTF-8 cannot hold a lone surrogate (it would come back as U+FFFD); JSON escapes it. Text a
  // driver decoded from bytes never has one, so this costs one native scan.
  if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) return jsonColumn(cells);
  const byteLength = Buffer.byteLength(text, 'utf8');
  const head = (n + 1) * 4 + 4;
  return {
    tag: ColumnEncoding.Text | (mask ? ColumnEncoding.Masked : 0),
    size: head + byteLength + (mask ? n : 0),
    write(out, at) {
      out.set(new Uint8Array(ends.buffer), at);
      out.writeUInt32LE(byteLength, at + (n + 1) * 4);
      out.write(text, at + head, byteLength, 'utf8');
      if (mask) out.set(mask, at + head + byteLength);
    },
  };
}

export function jsonColumn(cells: CellValue[]): PendingColumn {
  const json = JSON.stringify(cells);
  const byteLength = Buffer.byteLength(json, 'utf8');
  return {
    tag: ColumnEncoding.Json,
    size: 4 + byteLength,
    write(out, at) {
      out.writeUInt32LE(byteLength, at);
      out.write(json, at + 4, byteLength, 'utf8');
    },
  };
}

/** The columns of a batch of `n` rows, laid out in the wire form. */
export function assembleBatch(columns: readonly PendingColumn[], n: number): Uint8Array {
  const width = columns.length;
  let total = align8(COLUMNAR_HEADER + width);
  for (const col of columns) total += align8(col.size);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(COLUMNAR_MAGIC, 0);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(width, 8);
  let at = align8(COLUMNAR_HEADER + width);
  columns.forEach((col, c) => {
    out[COLUMNAR_HEADER + c] = col.tag;
    col.write(out, at);
    at += align8(col.size);
  });
  // A Uint8Array over a buffer of its own (Buffer.alloc never uses the shared pool), so it can be transferred.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Driver rows (arrays, one per row) → the encoded batch a query stream sends. */
export function encodeRows(rows: readonly (readonly unknown[])[]): EncodedRows {
  const batcher = new RowBatcher(rows.length);
  for (const row of rows) batcher.push(row);
  return batcher.take();
}

/** The first keyword(s) of a statement, upper-cased, for the result's label when the server names none. */
export function commandOf(sql: string): string | null {
  const m = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*([A-Za-z]+)(?:\s+([A-Za-z]+))?/.exec(sql);
  if (!m) return null;
  const first = m[1]!.toUpperCase();
  const second = m[2]?.toUpperCase();
  if (second && ['CREATE', 'DROP', 'ALTER', 'TRUNCATE'].includes(first)) return `${first} ${second === 'OR' ? 'OR REPLACE' : second}`;
  return first;
}
