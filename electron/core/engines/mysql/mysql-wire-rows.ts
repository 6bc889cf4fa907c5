import type { CellValue } from '../../../../shared/model/values';
import { toCell } from '../common/cells';
import { parseAsciiFloat, parseAsciiInteger } from '../common/ascii-numbers';
import { WireBatch, WireColumn, type WireColumnKind } from '../common/wire-batch';
import type { Packet } from './mysql2-internals';

/** mysql2's column definition, as much of it as the wire reader needs. */
export interface WireField {
  columnType: number;
  characterSet: number;
  encoding: string;
  extendedFormat?: string;
}


// Column types of the text protocol (mysql2/lib/constants/types.js).
const T = {
  DECIMAL: 0x00, TINY: 0x01, SHORT: 0x02, LONG: 0x03, FLOAT: 0x04, DOUBLE: 0x05, NULL: 0x06, TIMESTAMP: 0x07,
  LONGLONG: 0x08, INT24: 0x09, DATE: 0x0a, TIME: 0x0b, DATETIME: 0x0c, YEAR: 0x0d, VARCHAR: 0x0f, BIT: 0x10,
  JSON: 0xf5, NEWDECIMAL: 0xf6, ENUM: 0xf7, SET: 0xf8, TINY_BLOB: 0xf9, MEDIUM_BLOB: 0xfa, LONG_BLOB: 0xfb,
  BLOB: 0xfc, VAR_STRING: 0xfd, STRING: 0xfe,
} as const;
const BINARY_CHARSET = 63;

/** How a column's text-protocol value is read. */
const Read = { Int: 0, Float: 1, Text: 2, Bytes: 3, Bit: 4 } as const;
type ReadKind = (typeof Read)[keyof typeof Read];

/**
 * How each column is read, giving exactly the cells mysql2 gives with the app's options
 * (mysql-connection-options.ts: dateStrings, bigNumberStrings, jsonStrings, no decimalNumbers,
 * mysqlTypeCast): integers up to INT as numbers, FLOAT/DOUBLE as numbers; BIGINT, DECIMAL, dates
 * and times as their text; UTF-8 text and JSON as text; binary strings as bytes; BIT as its
 * number's digits. Null when a column is anything else (GEOMETRY, VECTOR, text in a charset that
 * is not UTF-8): the result is then read by mysql2 as before.
 */
export function wireReadPlan(fields: readonly WireField[]): ReadKind[] | null {
  const plan: ReadKind[] = [];
  for (const f of fields) {
    const kind = readKindOf(f);
    if (kind === null) return null;
    plan.push(kind);
  }
  return plan;
}

function readKindOf(f: WireField): ReadKind | null {
  if (f.extendedFormat === 'json') return f.encoding === 'utf8' ? Read.Text : null;
  switch (f.columnType) {
    case T.TINY:
    case T.SHORT:
    case T.LONG:
    case T.INT24:
    case T.YEAR:
    case T.NULL:
      return Read.Int;
    case T.FLOAT:
    case T.DOUBLE:
      return Read.Float;
    case T.LONGLONG:
    case T.DECIMAL:
    case T.NEWDECIMAL:
    case T.DATE:
    case T.DATETIME:
    case T.TIMESTAMP:
    case T.TIME:
    case T.JSON:
      return Read.Text;
    case T.BIT:
      return Read.Bit;
    case T.VARCHAR:
    case T.ENUM:
    case T.SET:
    case T.TINY_BLOB:
    case T.MEDIUM_BLOB:
    case T.LONG_BLOB:
    case T.BLOB:
    case T.VAR_STRING:
    case T.STRING:
      if (f.characterSet === BINARY_CHARSET) return Read.Bytes;
      return f.encoding === 'utf8' ? Read.Text : null;
    default:
      return null;
  }
}

const wireKind = (k: ReadKind): WireColumnKind =>
  k === Read.Int || k === Read.Float ? WireColumn.Number : k === Read.Text ? WireColumn.Utf8 : WireColumn.Cells;

/**
 * Reads MariaDB/MySQL text-protocol rows straight into a WireBatch: numbers are parsed from their
 * digits, text is copied as bytes. mysql2 would make a JS string of every cell (and a number from
 * some), which the stream then had to turn back into bytes.
 */
export class MysqlWireRows {
  readonly batch: WireBatch;

  constructor(
    private readonly plan: readonly ReadKind[],
    capacity: number,
  ) {
    this.batch = new WireBatch(plan.map(wireKind), capacity);
  }

  /** One row packet into the batch. */
  read(packet: Packet): void {
    const buf = packet.buffer;
    const batch = this.batch;
    const plan = this.plan;
    const r = batch.startRow();
    let at = packet.offset;
    for (let c = 0; c < plan.length; c++) {
      let len = buf[at++]!;
      if (len >= 0xfb) {
        if (len === 0xfb) {
          batch.setNull(c, r);
          continue;
        }
        if (len === 0xfc) {
          len = buf[at]! | (buf[at + 1]! << 8);
          at += 2;
        } else if (len === 0xfd) {
          len = buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16);
          at += 3;
        } else {
          len = buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 0x1_0000_0000;
          at += 8;
        }
      }
      const end = at + len;
      if (end > packet.end) throw new Error("A row from the server ended before its last value (the connection's data is damaged); run the statement again, and reconnect if it happens again.");
      switch (plan[c]) {
        case Read.Int:
          batch.setNumber(c, r, parseAsciiInteger(buf, at, end));
          break;
        case Read.Float:
          batch.setNumber(c, r, parseAsciiFloat(buf, at, end));
          break;
        case Read.Text:
          batch.setBytes(c, r, buf, at, end);
          break;
        case Read.Bytes:
          batch.setCell(c, r, toCell(buf.subarray(at, end)));
          break;
        default:
          batch.setCell(c, r, bitDigits(buf, at, end));
      }
      at = end;
    }
  }
}

/** BIT(n) arrives as its bytes, big-endian; the cell is the number's exact digits (as mysqlTypeCast gives). */
function bitDigits(buf: Buffer, at: number, end: number): CellValue {
  let n = 0n;
  for (; at < end; at++) n = (n << 8n) | BigInt(buf[at]!);
  return n.toString();
}

/** The sentinel the installed reader hands mysql2 for each row it read (mysql2 emits it as the row). */
export const WIRE_ROW = Symbol('row read from the wire');
