import type { CellValue, ColumnMeta, RowBatch } from '../../../shared/model/values';
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

/** The first keyword(s) of a statement, upper-cased, for the result's label when the server names none. */
export function commandOf(sql: string): string | null {
  const m = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*([A-Za-z]+)(?:\s+([A-Za-z]+))?/.exec(sql);
  if (!m) return null;
  const first = m[1]!.toUpperCase();
  const second = m[2]?.toUpperCase();
  if (second && ['CREATE', 'DROP', 'ALTER', 'TRUNCATE'].includes(first)) return `${first} ${second === 'OR' ? 'OR REPLACE' : second}`;
  return first;
}
