import type { EncodedRows } from '../../../shared/model/values';
import { toCell } from './cells';

/**
 * Makes one driver row JSON-safe and exact, in place (the row is the driver's fresh array, ours
 * to change). Most cells are already strings, finite numbers, booleans or null: only the others
 * (bigint, bytes, dates, NaN/Infinity, undefined) take the general conversion.
 */
export function cellsInPlace(row: unknown[]): void {
  for (let c = 0; c < row.length; c++) {
    const v = row[c];
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) continue;
    row[c] = toCell(v);
  }
}

/**
 * Collects a batch while rows are read and encodes it as one JSON text (see EncodedRows).
 *
 * The text holds the batch row after row, as the driver's arrays, and the window turns it into
 * columns when it shows it (decodeRows). Measured on 1M rows × 5 columns read with mysql2 in the
 * worker: copying cells into columns while reading and stringifying the columns cost 0.6–1.2 s per
 * million rows; stringifying the rows as read, 0.5–0.8 s, with no copying — JSON.stringify walks
 * freshly read rows much faster in the order they were allocated than strided by column.
 */
export class RowBatcher {
  private rows: unknown[][] = [];

  get rowCount(): number {
    return this.rows.length;
  }

  push(row: unknown[]): void {
    cellsInPlace(row);
    this.rows.push(row);
  }

  /** The batch so far, encoded; the batcher starts over. */
  take(): EncodedRows {
    const out = { rowCount: this.rows.length, values: JSON.stringify(this.rows) };
    this.rows = [];
    return out;
  }
}

/** Driver rows (arrays, one per row, changed in place) → the encoded batch a query stream sends. */
export function encodeRows(rows: unknown[][]): EncodedRows {
  for (const row of rows) cellsInPlace(row);
  return { rowCount: rows.length, values: JSON.stringify(rows) };
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
