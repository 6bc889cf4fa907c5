import { Buffer } from 'node:buffer';
import type { EncodedRows } from '../../../../shared/model/columnar-batch';
import { toCell } from '../common/cells';
import { parseAsciiFloat, parseAsciiInteger } from '../common/ascii-numbers';
import { WireBatch, WireColumn, type WireColumnKind } from '../common/wire-batch';
import { pgTypeParsers } from './postgres-types';
import { socketOf } from './pg-internals';

/** A RowDescription field, as pg hands it to the cursor. */
export interface WireFieldDef {
  dataTypeID: number;
  format: string;
}

const OID = { bool: 16, bytea: 17, int2: 21, int4: 23, oid: 26, float4: 700, float8: 701 } as const;
const Read = { Int: 0, Float: 1, Text: 2, Bool: 3, Bytes: 4 } as const;
type ReadKind = (typeof Read)[keyof typeof Read];

/**
 * How each column's text is read, giving the cells pgTypeParsers gives (postgres-types.ts): int2,
 * int4 and oid as numbers, float4/float8 as numbers ('NaN', 'Infinity' as their text), bool as a
 * boolean, bytea as bytes, and everything else as the server's text. Null for a binary-format
 * column (the editor's cursor asks for text; then pg reads the result as before).
 */
export function wireReadPlan(fields: readonly WireFieldDef[]): ReadKind[] | null {
  const plan: ReadKind[] = [];
  for (const f of fields) {
    if (f.format !== 'text') return null;
    switch (f.dataTypeID) {
      case OID.int2:
      case OID.int4:
      case OID.oid:
        plan.push(Read.Int);
        break;
      case OID.float4:
      case OID.float8:
        plan.push(Read.Float);
        break;
      case OID.bool:
        plan.push(Read.Bool);
        break;
      case OID.bytea:
        plan.push(Read.Bytes);
        break;
      default:
        plan.push(Read.Text);
    }
  }
  return plan;
}

const wireKind = (k: ReadKind): WireColumnKind =>
  k === Read.Int || k === Read.Float ? WireColumn.Number : k === Read.Text ? WireColumn.Utf8 : WireColumn.Cells;

const toBytes = pgTypeParsers.getTypeParser(OID.bytea);

/** DataRow messages of one result, read into a WireBatch. */
class PgWireRows {
  readonly batch: WireBatch;

  constructor(
    private readonly plan: readonly ReadKind[],
    capacity: number,
  ) {
    this.batch = new WireBatch(plan.map(wireKind), capacity);
  }

  /** One DataRow's body: `buf[at…end)`. */
  read(buf: Buffer, at: number, end: number): void {
    const plan = this.plan;
    const batch = this.batch;
    const count = (buf[at]! << 8) | buf[at + 1]!;
    if (count !== plan.length) throw new Error(`A row from the server has ${count} values; the result has ${plan.length} columns. Run the statement again, and reconnect if it happens again.`);
    at += 2;
    const r = batch.startRow();
    for (let c = 0; c < count; c++) {
      const len = (buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!;
      at += 4;
      if (len < 0) {
        batch.setNull(c, r);
        continue;
      }
      const stop = at + len;
      if (stop > end) throw new Error("A row from the server ended before its last value (the connection's data is damaged); run the statement again, and reconnect if it happens again.");
      switch (plan[c]) {
        case Read.Int:
          batch.setNumber(c, r, parseAsciiInteger(buf, at, stop));
          break;
        case Read.Float: {
          const n = parseAsciiFloat(buf, at, stop);
          if (n - n === 0) batch.setNumber(c, r, n);
          else batch.setCell(c, r, buf.toString('latin1', at, stop));
          break;
        }
        case Read.Text:
          batch.setBytes(c, r, buf, at, stop);
          break;
        case Read.Bool:
          batch.setCell(c, r, buf[at] === 0x74);
          break;
        default:
          batch.setCell(c, r, toCell(toBytes(buf.toString('utf8', at, stop))));
      }
      at = stop;
    }
  }
}

const DATA_ROW = 0x44; // 'D'

/**
 * Sits between a pg connection's socket and pg's protocol parser, and takes the DataRow messages
 * of the SQL editor's result for itself while it is armed: their values go from the socket's
 * buffer into a WireBatch as bytes. pg would decode every value into a JS string (and parse some),
 * which the stream then had to turn back into bytes. Every other message, and every DataRow while
 * nothing is armed, reaches pg's parser unchanged and in order — the messages before a DataRow
 * (RowDescription above all) are handed on before the DataRow is read.
 */
export class PgWireTap {
  private rows: PgWireRows | null = null;
  private armed = false;
  /** A row the reader could not read: the statement fails with it, and its remaining rows are dropped. */
  private failure: Error | null = null;
  /** A message header cut by the end of a chunk (fewer than 5 bytes). */
  private carry: Buffer | null = null;
  /** Bytes still to pass of a message pg is being handed as it arrives. */
  private passing = 0;
  /** A DataRow of ours cut by the end of a chunk: its parts, and how many bytes are still to come. */
  private rowParts: Buffer[] = [];
  private rowMissing = 0;

  private constructor(private readonly forward: (chunk: Buffer) => void) {}

  /**
   * Puts a tap on a connected pg.Client's socket. Null when the socket does not look as expected
   * (one 'data' listener, pg's parser): the session then reads its results through pg alone.
   */
  static install(client: unknown): PgWireTap | null {
    const stream = socketOf(client);
    if (!stream) return null;
    const listeners = stream.listeners('data');
    if (listeners.length !== 1) return null;
    const parse = listeners[0] as (chunk: Buffer) => void;
    const tap = new PgWireTap(parse);
    stream.removeListener('data', parse);
    stream.on('data', (chunk: Buffer) => tap.data(chunk));
    return tap;
  }

  /** From now on, DataRows are read for this statement once `describe` gives a plan. */
  arm(): void {
    this.armed = true;
    this.rows = null;
    this.failure = null;
  }

  /** The statement's RowDescription (called from the cursor, while the tap hands it on). */
  describe(fields: readonly WireFieldDef[], capacity: number): void {
    if (!this.armed) return;
    const plan = wireReadPlan(fields);
    this.rows = plan ? new PgWireRows(plan, capacity) : null;
  }

  /** The rows read since the last take, encoded; null when the result is not being read here. */
  take(): EncodedRows | null {
    if (this.failure) throw this.failure;
    return this.rows && this.rows.batch.rowCount > 0 ? this.rows.batch.take() : null;
  }

  disarm(): void {
    this.armed = false;
    this.rows = null;
    this.failure = null;
  }

  private data(input: Buffer): void {
    let chunk = input;
    if (this.carry) {
      chunk = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const len = chunk.length;
    let at = 0;
    // pg's bytes not yet handed on start at `from`.
    let from = 0;
    if (this.passing > 0) {
      at = Math.min(this.passing, len);
      this.passing -= at;
    } else if (this.rowMissing > 0) {
      at = from = Math.min(this.rowMissing, len);
      this.rowParts.push(chunk.subarray(0, at));
      this.rowMissing -= at;
      if (this.rowMissing === 0) {
        const body = Buffer.concat(this.rowParts);
        this.rowParts = [];
        this.readRow(body, 0, body.length);
      }
    }
    while (at < len && this.passing === 0 && this.rowMissing === 0) {
      if (len - at < 5) {
        this.carry = Buffer.from(chunk.subarray(at));
        break;
      }
      const size = 1 + chunk.readUInt32BE(at + 1);
      if (chunk[at] === DATA_ROW && this.armed) {
        // What came before (the RowDescription) reaches pg first: it is what arms the reader.
        if (from < at) this.forward(chunk.subarray(from, at));
        from = at;
        if (this.rows || this.failure) {
          if (at + size <= len) {
            this.readRow(chunk, at + 5, at + size);
            at = from = at + size;
            continue;
          }
          this.rowParts = [chunk.subarray(at + 5)];
          this.rowMissing = size - (len - at);
          at = from = len;
          break;
        }
      }
      if (at + size <= len) at += size;
      else {
        this.passing = size - (len - at);
        at = len;
      }
    }
    if (from < at) this.forward(chunk.subarray(from, at));
  }

  private readRow(buf: Buffer, at: number, end: number): void {
    if (!this.rows || this.failure) return;
    try {
      this.rows.read(buf, at, end);
    } catch (err) {
      // Thrown here it would be an uncaught exception in the socket's handler; the statement reports it.
      this.failure = err as Error;
    }
  }
}
