import type { CellValue, ColumnMeta, EncodedRows, RowBatch } from '../../../shared/model/values';
import { toCell } from './cells';

/** Driver rows (arrays, one per row) → one columnar batch, cells made JSON-safe and exact. */
export function rowsToBatch(columns: ColumnMeta[], rows: readonly (readonly unknown[])[]): RowBatch {
  const n = rows.length;
  const values: CellValue[][] = new Array(columns.length);
  for (let c = 0; c < columns.length; c++) {
    const col: CellValue[] = new Array(n);
    for (let r = 0; r < n; r++) {
      const v = rows[r]![c];
      // Most cells are already strings, numbers or null: skip the general conversion for them.
      col[r] = v === null || v === undefined ? null : typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : toCell(v);
    }
    values[c] = col;
  }
  return { columns, values, rowCount: n };
}

/**
 * Builds a batch column by column while rows are read, so no row arrays are kept and transposed
 * (the SQLite runner reads row after row; this is its hot loop).
 */
export class ColumnarBuilder {
  private values: CellValue[][];
  rowCount = 0;

  constructor(private readonly width: number) {
    this.values = Array.from({ length: width }, () => []);
  }

  push(row: readonly unknown[]): void {
    const values = this.values;
    for (let c = 0; c < this.width; c++) {
      const v = row[c];
      values[c]!.push(v === null || v === undefined ? null : typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : toCell(v));
    }
    this.rowCount++;
  }

  /** The batch so far, encoded; the builder starts over. */
  take(): EncodedRows {
    const out = { rowCount: this.rowCount, values: JSON.stringify(this.values) };
    this.values = Array.from({ length: this.width }, () => []);
    this.rowCount = 0;
    return out;
  }
}

/** Driver rows → the encoded columnar batch a query stream sends (see EncodedRows). */
export function encodeRows(columns: ColumnMeta[], rows: readonly (readonly unknown[])[]): EncodedRows {
  return { rowCount: rows.length, values: JSON.stringify(rowsToBatch(columns, rows).values) };
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
