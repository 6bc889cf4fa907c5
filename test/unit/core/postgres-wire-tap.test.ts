import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PgWireTap } from '../../../electron/core/engines/postgres/postgres-wire-rows';
import { decodeColumnarBatch } from '../../../shared/model/columnar-batch';
import type { CellValue } from '../../../shared/model/values';

/** A protocol message: code, u32 length (itself included), body. */
function message(code: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = code.charCodeAt(0);
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** A DataRow of text values (null → SQL NULL). */
function dataRow(values: (string | null)[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0, 0])];
  parts[0]!.writeUInt16BE(values.length);
  for (const v of values) {
    const len = Buffer.alloc(4);
    if (v === null) len.writeInt32BE(-1);
    else len.writeInt32BE(Buffer.byteLength(v));
    parts.push(len);
    if (v !== null) parts.push(Buffer.from(v));
  }
  return message('D', Buffer.concat(parts));
}

const INT4 = { dataTypeID: 23, format: 'text' };
const TEXT = { dataTypeID: 25, format: 'text' };
const FLOAT8 = { dataTypeID: 701, format: 'text' };
const BOOL = { dataTypeID: 16, format: 'text' };

/** A fake connected client: its socket's one 'data' listener is pg's parser, here a recorder of what reaches it. */
function tapped(onPgBytes?: (all: Buffer) => void) {
  const stream = new EventEmitter();
  const reachedPg: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => {
    reachedPg.push(Buffer.from(chunk));
    onPgBytes?.(Buffer.concat(reachedPg));
  });
  const tap = PgWireTap.install({ connection: { stream } })!;
  return { tap, send: (chunk: Buffer) => stream.emit('data', chunk), pgBytes: () => Buffer.concat(reachedPg) };
}

const rows: (string | null)[][] = [
  ['1', 'one', '1.5', 't'],
  ['-2', '', 'NaN', 'f'],
  [null, null, null, null],
  ['2147483647', 'é 日本 🦄'.repeat(50), '-0', 't'],
];

describe('the PostgreSQL wire tap', () => {
  it('reads an armed result’s DataRows and hands every other message to pg unchanged, however the socket cuts the bytes', () => {
    const before = message('Z', Buffer.from('I'));
    const description = message('T', Buffer.from('fields'));
    const after = Buffer.concat([message('C', Buffer.from('SELECT 4\0')), message('N', Buffer.alloc(3000, 0x41)), message('Z', Buffer.from('I'))]);
    const stream = Buffer.concat([description, ...rows.map(dataRow), after]);
    for (const cut of [1, 2, 3, 4, 5, 6, 7, 13, 64, 1000, stream.length]) {
      // pg's cursor describes the result when pg has the whole RowDescription: that must happen before any DataRow is read.
      let described = false;
      const { tap, send, pgBytes } = tapped((all) => {
        if (!described && all.includes(description)) {
          described = true;
          tap.describe([INT4, TEXT, FLOAT8, BOOL], 2);
        }
      });
      send(before);
      tap.arm();
      for (let at = 0; at < stream.length; at += cut) send(stream.subarray(at, at + cut));
      expect(pgBytes()).toEqual(Buffer.concat([before, description, after]));
      const batch = tap.take()!;
      const cells = decodeColumnarBatch(batch.values, 4).values;
      const expected: CellValue[][] = [
        [1, -2, null, 2147483647],
        ['one', '', null, 'é 日本 🦄'.repeat(50)],
        // 'NaN' makes the column JSON for this batch, as the row path does; JSON has no -0.
        [1.5, 'NaN', null, 0],
        [true, false, null, true],
      ];
      expect(cells).toEqual(expected);
      tap.disarm();
    }
  });

  it('hands DataRows to pg while nothing is armed, and when the result has no plan', () => {
    const { tap, send, pgBytes } = tapped();
    const plain = Buffer.concat([message('T', Buffer.from('x')), dataRow(['1']), message('C', Buffer.from('SELECT 1\0'))]);
    send(plain);
    expect(pgBytes()).toEqual(plain);
    tap.arm();
    tap.describe([{ dataTypeID: 23, format: 'binary' }], 16);
    send(plain);
    expect(pgBytes()).toEqual(Buffer.concat([plain, plain]));
    expect(tap.take()).toBeNull();
  });

  it('fails the statement, not the process, on a row that does not match its description', () => {
    const { tap, send } = tapped();
    tap.arm();
    send(message('T', Buffer.from('x')));
    tap.describe([INT4, TEXT], 16);
    expect(() => send(Buffer.concat([dataRow(['1']), dataRow(['2', 'b'])]))).not.toThrow();
    expect(() => tap.take()).toThrow(/1 values; the result has 2 columns/);
  });
});
