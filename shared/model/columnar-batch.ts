import type { CellValue } from './values';

/**
 * The wire form of a batch of streamed rows (the SQL editor's results): one Uint8Array, by column.
 * Encoded where the rows are read (electron/core/engines/common/row-batch.ts), decoded in the window
 * only for the batches the grid shows (decodeColumnarBatch).
 *
 * Each batch picks, per column, the cheapest form its cells allow:
 *  - Numbers: every cell a finite number, an integer within ±2^53, or NULL → raw Float64 (no
 *    decimal text to format where the rows are read, none to parse in the window);
 *  - Text: every cell text or NULL → the texts back to back as UTF-8, with where each ends;
 *  - Utf8: the same, with the ends in bytes, for text the reader got as bytes from the server's
 *    protocol (MariaDB's rows): the bytes are copied as they came, no JS string is made;
 *  - Json: anything else (integers past 2^53 as their digits, bytes, booleans, mixed types, which
 *    SQLite allows in one column) → a JSON array of cells.
 * Numbers and Text columns carry a NULL mask when the batch has NULLs in them.
 *
 * Why bytes rather than one JSON string: every hop after the reader then moves an ArrayBuffer
 * (Node IPC copies it as it is, the worker transfers it to the main thread, the WebSocket sends
 * it as a binary frame) where a string is copied or re-encoded at each hop.
 *
 * Layout (little-endian; both ends run on the same machine). Every section starts 8-aligned.
 *   header: u32 magic 'DBC2' · u32 rowCount · u32 width · width × u8 encoding · pad
 *   then each column in order:
 *     Numbers   rowCount × f64                       [· rowCount × u8 NULL mask] · pad
 *     Text      (rowCount + 1) × u32 UTF-16 end offsets (the first is 0) · u32 byte length ·
 *               UTF-8 of the texts back to back      [· rowCount × u8 NULL mask] · pad
 *     Utf8      (rowCount + 1) × u32 UTF-8 byte end offsets (the first is 0; the last is the byte
 *               length) · the UTF-8 bytes back to back [· rowCount × u8 NULL mask] · pad
 *     Json      u32 byte length · UTF-8 JSON array of the column's cells · pad
 */
export const COLUMNAR_MAGIC = 0x32434244; // 'DBC2' read as a little-endian u32
export const COLUMNAR_HEADER = 12;

/** How a column travels in a batch (the u8 per column in the header); `Masked` is or-ed in when it has NULLs. */
export const ColumnEncoding = { Json: 0, Numbers: 1, Text: 2, Utf8: 3, Masked: 0x80 } as const;

export const align8 = (n: number): number => (n + 7) & ~7;

export interface EncodedRows {
  rowCount: number;
  /** The batch in the layout above. */
  values: Uint8Array;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

const malformed = () => new Error('A batch of result rows arrived malformed; run the statement again.');

/** A batch back to its columns; `expectedWidth`, the statement's column count, is checked against the batch when given. */
export function decodeColumnarBatch(bytes: Uint8Array, expectedWidth?: number): { rowCount: number; values: CellValue[][] } {
  if (!(bytes instanceof Uint8Array) || bytes.length < COLUMNAR_HEADER) throw malformed();
  // Float64 and u32 views need alignment; a batch that arrived inside a larger buffer is copied.
  const data = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== COLUMNAR_MAGIC) throw malformed();
  const n = view.getUint32(4, true);
  const width = view.getUint32(8, true);
  if (expectedWidth !== undefined && width !== expectedWidth) throw new Error(`A batch of result rows does not match the statement (${width} columns, the statement has ${expectedWidth}); run the statement again.`);
  let at = align8(COLUMNAR_HEADER + width);
  const need = (bytes: number) => {
    if (at + bytes > data.length) throw malformed();
  };
  const values: CellValue[][] = new Array(width);
  for (let c = 0; c < width; c++) {
    need(0);
    const tag = data[COLUMNAR_HEADER + c]!;
    const masked = (tag & ColumnEncoding.Masked) !== 0;
    const encoding = tag & ~ColumnEncoding.Masked;
    let column: CellValue[];
    if (encoding === ColumnEncoding.Numbers) {
      need(n * 8);
      const numbers = new Float64Array(data.buffer, data.byteOffset + at, n);
      column = new Array<CellValue>(n);
      for (let r = 0; r < n; r++) column[r] = numbers[r]!;
      at += n * 8;
    } else if (encoding === ColumnEncoding.Text) {
      need((n + 1) * 4 + 4);
      const ends = new Uint32Array(data.buffer, data.byteOffset + at, n + 1);
      at += (n + 1) * 4;
      const byteLength = view.getUint32(at, true);
      at += 4;
      need(byteLength);
      const text = utf8(data.subarray(at, at + byteLength));
      at += byteLength;
      if (ends[0] !== 0 || ends[n] !== text.length) throw malformed();
      column = new Array<CellValue>(n);
      for (let r = 0; r < n; r++) {
        if (ends[r + 1]! < ends[r]!) throw malformed();
        column[r] = text.slice(ends[r], ends[r + 1]);
      }
    } else if (encoding === ColumnEncoding.Utf8) {
      need((n + 1) * 4);
      const ends = new Uint32Array(data.buffer, data.byteOffset + at, n + 1);
      at += (n + 1) * 4;
      const byteLength = ends[n]!;
      need(byteLength);
      const bytes = data.subarray(at, at + byteLength);
      column = utf8Cells(bytes, utf8(bytes), ends, n);
      at += byteLength;
    } else if (encoding === ColumnEncoding.Json && !masked) {
      need(4);
      const byteLength = view.getUint32(at, true);
      at += 4;
      need(byteLength);
      let parsed: unknown;
      try {
        parsed = JSON.parse(utf8(data.subarray(at, at + byteLength)));
      } catch {
        throw malformed();
      }
      if (!Array.isArray(parsed) || parsed.length !== n) throw malformed();
      column = parsed as CellValue[];
      at += byteLength;
    } else throw malformed();
    if (masked) {
      need(n);
      for (let r = 0; r < n; r++) if (data[at + r] === 1) column[r] = null;
      at += n;
    }
    values[c] = column;
    at = align8(at);
  }
  if (at !== data.length) throw malformed();
  return { rowCount: n, values };
}

/**
 * Cells of a Utf8 column: its text decoded once, cut at each cell's end. The ends are in bytes; an
 * all-ASCII block (the usual case) has one UTF-16 unit per byte, otherwise the units are counted:
 * one per character, two for a 4-byte sequence (a surrogate pair).
 */
function utf8Cells(bytes: Uint8Array, text: string, ends: Uint32Array, n: number): CellValue[] {
  if (ends[0] !== 0) throw malformed();
  const column = new Array<CellValue>(n);
  const ascii = text.length === bytes.length;
  let b = 0;
  let unit = 0;
  for (let r = 0; r < n; r++) {
    const end = ends[r + 1]!;
    if (end < ends[r]!) throw malformed();
    if (ascii) {
      column[r] = text.slice(ends[r], end);
      continue;
    }
    const from = unit;
    for (; b < end; b++) {
      const x = bytes[b]!;
      if ((x & 0xc0) !== 0x80) unit += x >= 0xf0 ? 2 : 1;
    }
    column[r] = text.slice(from, unit);
  }
  return column;
}

function utf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw malformed();
  }
}
