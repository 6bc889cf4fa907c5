import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRID_TEXT_LIMIT, type ColumnValue, type TableWindow } from '../../../shared/model/table-query';
import type { CellValue } from '../../../shared/model/values';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { fixtures, type EngineFixture } from './fixtures';
import { columnOf } from './helpers';

// A local zone far from UTC for this file's process and the session workers it starts (they share
// the process's zone): our machines run in UTC, where a value shifted by the local zone looks right.
const zoneBefore = process.env.TZ;
process.env.TZ = 'America/New_York';
afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

const INT8_MAX = '9223372036854775807';
const INT8_MIN = '-9223372036854775808';
/** 2^53 and 2^53 + 1: a double cannot tell them apart, the database must. */
const TWO_53 = '9007199254740992';
const TWO_53_PLUS_1 = '9007199254740993';
const LONG_DECIMAL = '12345678901234567890123456789012345.123456789012345678901234567891';
const UNICODE = '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 👩‍👩‍👧 ﷽ עִבְרִית e\u0301 \t tab';
const BYTES = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));

describe.each(fixtures)('exact values on $engine', ({ engine, create }) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  let win: TableWindow;
  const table = () => ({ schema: f.schema, name: 'extremes' });
  const cell = (rowKey: string, column: string): CellValue => {
    const r = columnOf(win, 'id').findIndex((v) => String(v) === rowKey);
    if (r < 0) throw new Error(`row ${rowKey} missing`);
    return columnOf(win, column)[r]!;
  };

  beforeAll(async () => {
    f = await create();
    const decimalType = f.engine === 'sqlite' ? 'TEXT' : f.engine === 'mariadb' ? 'decimal(65,30)' : 'numeric';
    await f.exec(
      `CREATE TABLE extremes (id ${f.engine === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'bigint PRIMARY KEY'}, i8 ${f.types.bigint}, amount ${decimalType}, txt ${f.types.text}, bin ${f.types.bytes},
         ts ${f.types.timestamp}, tstz ${f.types.timestamptz}, flag ${f.types.bool}, doc ${f.types.json}, f ${f.types.float})`,
    );
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, f.url);
    await w.client.call('connections.open', { id });
    const row = (values: Record<string, ColumnValue['value']>): ColumnValue[] => Object.entries(values).map(([column, value]) => ({ column, value }));
    const tz = f.engine === 'postgresql' ? '2024-02-29 23:59:59.123456+05:30' : '2024-02-29 23:59:59.123456';
    const result = await w.client.call('table.applyEdits', {
      connectionId: id,
      edits: {
        table: table(),
        changes: [
          { kind: 'insert', id: 'max', values: row({ id: INT8_MAX, i8: INT8_MAX, amount: LONG_DECIMAL, txt: '', bin: { hex: BYTES.toString('hex') }, ts: '2024-02-29 23:59:59.123456', tstz: tz, flag: true, doc: '{"a": [1, 2.50, {"b": null}], "emoji": "😀"}', f: 0.1 }) },
          { kind: 'insert', id: 'min', values: row({ id: INT8_MIN, i8: INT8_MIN, amount: `-${LONG_DECIMAL}`, txt: null, bin: { hex: '' }, ts: '1970-01-01 00:00:00', flag: false, doc: null, f: -1.5e-300 }) },
          { kind: 'insert', id: 'two53', values: row({ id: TWO_53, i8: TWO_53, txt: UNICODE }) },
          { kind: 'insert', id: 'two53+1', values: row({ id: TWO_53_PLUS_1, i8: TWO_53_PLUS_1, txt: 'neighbour' }) },
        ],
      },
    });
    expect(result).toMatchObject({ applied: true, problems: [] });
    win = await w.client.call('table.window', { connectionId: id, query: { table: table() }, window: { offset: 0, limit: 10 } });
  });
  afterAll(async () => {
    await t?.close();
    await f?.drop();
  });

  it('keeps int8 extremes and integers past 2^53 exact, as text', () => {
    expect(columnOf(win, 'id').map(String)).toEqual([INT8_MIN, TWO_53, TWO_53_PLUS_1, INT8_MAX]);
    expect(cell(INT8_MAX, 'i8')).toBe(INT8_MAX);
    expect(cell(INT8_MIN, 'i8')).toBe(INT8_MIN);
    expect(cell(TWO_53_PLUS_1, 'i8')).toBe(TWO_53_PLUS_1);
  });

  it('keeps a decimal of 65 digits exact', () => {
    // MariaDB pads to the column's 30 decimals; the digits written are all there.
    expect(cell(INT8_MAX, 'amount')).toBe(engine === 'mariadb' ? LONG_DECIMAL.slice(0, LONG_DECIMAL.indexOf('.') + 31) : LONG_DECIMAL);
    expect(cell(INT8_MIN, 'amount')).toBe(engine === 'mariadb' ? `-${LONG_DECIMAL.slice(0, LONG_DECIMAL.indexOf('.') + 31)}` : `-${LONG_DECIMAL}`);
  });

  it('keeps NULL and the empty string apart, and unicode intact', () => {
    expect(cell(INT8_MAX, 'txt')).toBe('');
    expect(cell(INT8_MIN, 'txt')).toBeNull();
    expect(cell(TWO_53, 'txt')).toBe(UNICODE);
  });

  it('shows bytes as a preview with the size, and gives the whole value on request', async () => {
    expect(cell(INT8_MAX, 'bin')).toEqual({ bytes: BYTES.subarray(0, 64).toString('hex'), size: 300, truncated: true });
    expect(cell(INT8_MIN, 'bin')).toEqual({ bytes: '', size: 0, truncated: false });
    expect(cell(TWO_53, 'bin')).toBeNull();
    const whole = await w.client.call('table.cell', { connectionId: id, table: table(), rowId: [INT8_MAX], column: 'bin' });
    expect(whole).toEqual({ value: { bytes: BYTES.toString('hex'), size: 300, truncated: false }, size: 300 });
  });

  it('shows dates and timestamps as the server stores them, never shifted', async () => {
    // The local zone really is not UTC here (see the top of the file).
    expect(new Date(Date.UTC(2024, 1, 29, 23, 59, 59)).getHours()).toBe(18);
    expect(cell(INT8_MAX, 'ts')).toBe('2024-02-29 23:59:59.123456');
    expect(String(cell(INT8_MIN, 'ts'))).toMatch(/^1970-01-01 00:00:00(\.0+)?$/);
    const serverText =
      engine === 'postgresql'
        ? (await f.exec('SELECT tstz::text AS v FROM extremes WHERE id = ?', [INT8_MAX]))[0]!.v
        : (await f.exec('SELECT tstz AS v FROM extremes WHERE id = ?', [INT8_MAX]))[0]!.v;
    expect(cell(INT8_MAX, 'tstz')).toBe(serverText);
    if (engine === 'postgresql') expect(serverText).toMatch(/^2024-02-29 18:29:59\.123456\+00$|^2024-02-29 \d\d:29:59\.123456[+-]\d\d/);
  });

  it('shows booleans the way the engine stores them, floats and JSON exactly', async () => {
    expect(cell(INT8_MAX, 'flag')).toBe(engine === 'postgresql' ? true : 1);
    expect(cell(INT8_MIN, 'flag')).toBe(engine === 'postgresql' ? false : 0);
    expect(cell(INT8_MAX, 'f')).toBe(0.1);
    expect(cell(INT8_MIN, 'f')).toBe(-1.5e-300);
    const doc = cell(INT8_MAX, 'doc') as string;
    expect(JSON.parse(doc)).toEqual({ a: [1, 2.5, { b: null }], emoji: '😀' });
    if (engine !== 'postgresql') expect(doc).toBe('{"a": [1, 2.50, {"b": null}], "emoji": "😀"}');
    expect(cell(INT8_MIN, 'doc')).toBeNull();
  });

  it('finds rows by keys past 2^53 exactly: an edit of 2^53 + 1 leaves 2^53 alone', async () => {
    const r = columnOf(win, 'id').findIndex((v) => String(v) === TWO_53_PLUS_1);
    const result = await w.client.call('table.applyEdits', {
      connectionId: id,
      edits: { table: table(), changes: [{ kind: 'update', id: 'u', rowId: [TWO_53_PLUS_1], version: win.versions![r]!, values: [{ column: 'i8', value: INT8_MIN }, { column: 'txt', value: 'edited' }] }] },
    });
    expect(result).toEqual({ applied: true, rowsAffected: 1, problems: [] });
    const again = await w.client.call('table.window', {
      connectionId: id,
      query: { table: table(), filter: { kind: 'group', combinator: 'or', children: [{ kind: 'condition', column: 'id', operator: 'in', values: [TWO_53, TWO_53_PLUS_1] }] } },
      window: { offset: 0, limit: 10 },
    });
    expect(columnOf(again, 'id').map(String)).toEqual([TWO_53, TWO_53_PLUS_1]);
    expect(columnOf(again, 'i8').map(String)).toEqual([TWO_53, INT8_MIN]);
    expect(columnOf(again, 'txt')).toEqual([UNICODE, 'edited']);
    // Keyset past the largest key finds nothing, before the smallest nothing either.
    const after = await w.client.call('table.window', { connectionId: id, query: { table: table() }, window: { offset: 0, limit: 5, anchor: { key: [INT8_MAX], direction: 'after' } } });
    expect(after.batch.rowCount).toBe(0);
    const before = await w.client.call('table.window', { connectionId: id, query: { table: table() }, window: { offset: 0, limit: 5, anchor: { key: [TWO_53_PLUS_1], direction: 'before' } } });
    expect(columnOf(before, 'id').map(String)).toEqual([INT8_MIN, TWO_53]);
  });

  it('stored what was typed, as the server itself reports it', async () => {
    const text =
      engine === 'postgresql'
        ? 'SELECT i8::text AS i8, amount::text AS amount, encode(bin, ?) AS bin FROM extremes WHERE id = ?'
        : engine === 'mariadb'
          ? 'SELECT CAST(i8 AS CHAR) AS i8, CAST(amount AS CHAR) AS amount, LOWER(HEX(bin)) AS bin FROM extremes WHERE id = ? + 0 * LENGTH(?)'
          : 'SELECT CAST(i8 AS TEXT) AS i8, amount, lower(hex(bin)) AS bin FROM extremes WHERE id = ? + 0 * length(?)';
    const params = engine === 'postgresql' ? ['hex', INT8_MAX] : [INT8_MAX, 'x'];
    const [r] = await f.exec(text, params);
    expect(String(r!.i8)).toBe(INT8_MAX);
    expect(String(r!.amount)).toBe(cell(INT8_MAX, 'amount'));
    expect(r!.bin).toBe(BYTES.toString('hex'));
  });

  it('cuts long text in the grid (never inside a character), marks it, and gives the whole value on request', async () => {
    // The cut falls inside the emoji's surrogate pair: the grid gets the text before it, not half a character.
    const long = 'a'.repeat(GRID_TEXT_LIMIT - 1) + '😀' + ' tail'.repeat(500);
    const added = await w.client.call('table.applyEdits', { connectionId: id, edits: { table: table(), changes: [{ kind: 'insert', id: 'long', values: [{ column: 'id', value: 42 }, { column: 'txt', value: long }, { column: 'i8', value: 1 }] }] } });
    expect(added).toMatchObject({ applied: true });
    const only = { table: table(), filter: { kind: 'group' as const, combinator: 'and' as const, children: [{ kind: 'condition' as const, column: 'id', operator: '=' as const, value: 42 }] } };
    const got = await w.client.call('table.window', { connectionId: id, query: only, window: { offset: 0, limit: 5 } });
    const txt = got.batch.columns.findIndex((c) => c.name === 'txt');
    expect(columnOf(got, 'txt')[0]).toBe('a'.repeat(GRID_TEXT_LIMIT - 1));
    expect(got.truncated).toEqual([[txt, 0]]);
    const whole = await w.client.call('table.cell', { connectionId: id, table: table(), rowId: [42], column: 'txt' });
    expect(whole).toEqual({ value: long, size: Buffer.byteLength(long) });
    // Editing another column of that row leaves the long text whole.
    const edited = await w.client.call('table.applyEdits', {
      connectionId: id,
      edits: { table: table(), changes: [{ kind: 'update', id: 'u', rowId: [columnOf(got, 'id')[0]!], version: got.versions![0]!, values: [{ column: 'i8', value: 2 }] }] },
    });
    expect(edited).toMatchObject({ applied: true, rowsAffected: 1 });
    expect((await w.client.call('table.cell', { connectionId: id, table: table(), rowId: [42], column: 'txt' })).value).toBe(long);
    await w.client.call('table.applyEdits', { connectionId: id, edits: { table: table(), changes: [{ kind: 'delete', id: 'd', rowId: [42], version: (await w.client.call('table.window', { connectionId: id, query: only, window: { offset: 0, limit: 1 } })).versions![0]! }] } });
  });
});
