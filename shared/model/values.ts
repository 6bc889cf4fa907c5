import { z } from 'zod';
import { decodeColumnarBatch, type EncodedRows } from './columnar-batch';

export type { EncodedRows } from './columnar-batch';

/**
 * One cell as it travels over IPC. JSON-safe, so the WebSocket transport and Electron's
 * structured clone carry the same shape, and exact:
 *  - null is SQL NULL ('' stays '');
 *  - int8/bigint/numeric/decimal are strings with every digit;
 *  - dates, times and timestamps are the server's own text, never shifted by a local timezone;
 *  - bytes are `{ bytes: hex, size }`, the hex possibly cut to a preview (`truncated`);
 *  - JSON stays text, as the server sent it.
 */
export const BytesValue = z.object({
  bytes: z.string().regex(/^[0-9a-f]*$/),
  size: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type BytesValue = z.infer<typeof BytesValue>;

export const CellValue = z.union([z.null(), z.string(), z.number(), z.boolean(), BytesValue]);
export type CellValue = z.infer<typeof CellValue>;

/** The most text one value may carry into a command (an edited cell, a row's key): 16 M characters. */
export const MAX_INPUT_CELL_CHARS = 16 * 1024 * 1024;

/**
 * A cell value a window sends back (a row's identity, a keyset anchor): the shape of CellValue,
 * bounded. Cells read from a database have no such limit; what comes in over IPC does.
 */
export const CellValueInput = z.union([
  z.null(),
  z.string().max(MAX_INPUT_CELL_CHARS),
  z.number(),
  z.boolean(),
  BytesValue.extend({ bytes: z.string().max(2 * MAX_INPUT_CELL_CHARS).regex(/^[0-9a-f]*$/) }),
]);

export function isBytes(v: CellValue): v is BytesValue {
  return typeof v === 'object' && v !== null;
}

/** How the grid should treat a column's values. Engines map their own types onto these. */
export const ValueKind = z.enum([
  'integer', // fits a JS number exactly (int2/int4, SQLite integers within 2^53)
  'bigint', // exact text
  'decimal', // exact text
  'float',
  'boolean',
  'text',
  'date',
  'time',
  'timestamp',
  'json',
  'bytes',
  'uuid',
  'other',
]);
export type ValueKind = z.infer<typeof ValueKind>;

export const ColumnMeta = z.object({
  name: z.string(),
  dataType: z.string(),
  kind: ValueKind,
});
export type ColumnMeta = z.infer<typeof ColumnMeta>;

/** Rows travel by column: `values[c][r]` is row r of column c. */
export const RowBatch = z.object({
  columns: z.array(ColumnMeta),
  values: z.array(z.array(CellValue)),
  rowCount: z.number().int().nonnegative(),
});
export type RowBatch = z.infer<typeof RowBatch>;

const hexDigits = '0123456789abcdef';

/** Hex of at most `limit` bytes; whole when smaller. */
export function bytesToCell(data: Uint8Array, limit = Infinity): BytesValue {
  const n = Math.min(data.length, limit);
  let hex = '';
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    hex += hexDigits[b >> 4]! + hexDigits[b & 15]!;
  }
  return { bytes: hex, size: data.length, truncated: n < data.length };
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('Not a hex string of whole bytes.');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A streamed batch (see columnar-batch.ts) back to columns, checked against the statement's columns. */
export function decodeRows(columns: ColumnMeta[], encoded: EncodedRows): RowBatch {
  const { rowCount, values } = decodeColumnarBatch(encoded.values, columns.length);
  if (rowCount !== encoded.rowCount) throw new Error(`A batch of result rows does not match the statement (${rowCount} rows, announced as ${encoded.rowCount}); run the statement again.`);
  return { columns, values, rowCount };
}
