import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditValue, RowChange } from '../../../shared/model/table-query';
import { literalForDisplay, scriptOf } from '../../../features/table-browser/renderer/edits/review-script';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { fixtures, type EngineFixture } from './fixtures';
import { columnOf } from './helpers';

const LONG_DECIMAL = '-123456789012345678901234567890.0123456789';
const BIG_KEY = '9007199254740993'; // 2^53 + 1: a JS number would show 9007199254740992

/**
 * Review SQL shows every bound value as the driver sends it. Each column kind, staged the way the
 * grid stages it (typed text, a boolean choice, hex bytes), with what each engine's driver sends:
 * PostgreSQL binds text, MariaDB writes exact numbers into the statement bare, SQLite binds typed values.
 */
const staged: { column: string; value: EditValue; shown: Record<EngineFixture['engine'], string>; stored: (v: unknown) => unknown }[] = [
  { column: 'id', value: BIG_KEY, shown: { postgresql: `'${BIG_KEY}'`, mariadb: BIG_KEY, sqlite: BIG_KEY }, stored: String },
  { column: 'i', value: '-5', shown: { postgresql: "'-5'", mariadb: '-5', sqlite: '-5' }, stored: Number },
  { column: 'd', value: '7.5', shown: { postgresql: "'7.5'", mariadb: '7.5', sqlite: "'7.5'" }, stored: Number },
  { column: 'long_d', value: LONG_DECIMAL, shown: { postgresql: `'${LONG_DECIMAL}'`, mariadb: LONG_DECIMAL, sqlite: `'${LONG_DECIMAL}'` }, stored: (v) => String(v) },
  { column: 'f', value: '1.5', shown: { postgresql: "'1.5'", mariadb: "'1.5'", sqlite: "'1.5'" }, stored: Number },
  { column: 'b', value: true, shown: { postgresql: 'true', mariadb: '1', sqlite: '1' }, stored: (v) => v === true || Number(v) === 1 },
  { column: 't', value: "O'Reilly", shown: { postgresql: "'O''Reilly'", mariadb: "'O''Reilly'", sqlite: "'O''Reilly'" }, stored: String },
  { column: 'by', value: { hex: '00ff' }, shown: { postgresql: "x'00ff' (2 bytes)", mariadb: "x'00ff' (2 bytes)", sqlite: "x'00ff' (2 bytes)" }, stored: (v) => v },
  { column: 'ts', value: null, shown: { postgresql: 'NULL', mariadb: 'NULL', sqlite: 'NULL' }, stored: (v) => v },
];

describe.each(fixtures)('Review SQL on $engine', ({ engine, create }) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const table = (name: string) => ({ schema: f.schema, name });
  const preview = (name: string, changes: RowChange[]) => w.client.call('table.previewEdits', { connectionId: id, edits: { table: table(name), changes } });

  beforeAll(async () => {
    f = await create();
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, f.url);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await f?.drop();
  });

  it('shows every bound value as it is sent — no value of any kind as an object', async () => {
    const long = engine === 'postgresql' ? 'numeric(40,10)' : engine === 'mariadb' ? 'decimal(40,10)' : 'TEXT';
    await f.exec(
      `CREATE TABLE kinds (id ${f.types.bigint} PRIMARY KEY, i ${f.types.int}, d ${f.engine === 'sqlite' ? 'DECIMAL(10,2)' : 'decimal(10,2)'}, long_d ${long}, f ${f.types.float}, b ${f.types.bool}, t ${f.types.text}, ${f.q('by')} ${f.types.bytes}, ts ${f.types.timestamp} NULL)`,
    );
    const insert: RowChange = { kind: 'insert', id: 'i1', values: staged.map((s) => ({ column: s.column, value: s.value })) };
    const { statements, warnings } = await preview('kinds', [insert]);
    expect(warnings).toEqual([]);
    const write = statements.find((s) => s.purpose === 'insert')!;
    expect(write.params.map(literalForDisplay)).toEqual(staged.map((s) => s.shown[engine]));
    expect(scriptOf(statements)).not.toMatch(/\{\}|\[object/);

    // An update keyed by the big key: the key is shown with every digit too.
    await w.client.call('table.applyEdits', { connectionId: id, edits: { table: table('kinds'), changes: [insert] } });
    const win = await w.client.call('table.window', { connectionId: id, query: { table: table('kinds') }, window: { offset: 0, limit: 5 } });
    expect(String(columnOf(win, 'id')[0])).toBe(BIG_KEY);
    for (const s of staged) {
      const cell = columnOf(win, s.column)[0];
      if (s.column === 'by') expect(cell).toMatchObject({ bytes: '00ff', size: 2 });
      else expect(s.stored(cell)).toEqual(s.stored(s.value));
    }
    const update = await preview('kinds', [{ kind: 'update', id: 'u', rowId: win.rowIds!.map((c) => c[0]!), version: win.versions![0]!, values: [{ column: 'd', value: '-5' }] }]);
    const set = update.statements.find((s) => s.purpose === 'update')!;
    expect(set.params.map(literalForDisplay)).toEqual([engine === 'mariadb' ? '-5' : "'-5'", engine === 'postgresql' ? `'${BIG_KEY}'` : BIG_KEY]);
  });

  it.runIf(engine === 'sqlite')('warns when a value goes past the declared type, saying SQLite does not enforce it', async () => {
    await f.exec('CREATE TABLE typed (id INTEGER PRIMARY KEY, code VARCHAR(5), small SMALLINT, tiny TINYINT UNSIGNED, price DECIMAL(6,2), n INT, ok VARCHAR(5))');
    const { warnings } = await preview('typed', [
      {
        kind: 'insert',
        id: 'i1',
        values: [
          { column: 'id', value: '1' },
          { column: 'code', value: 'TOOLONG1' },
          { column: 'small', value: '99999' },
          { column: 'tiny', value: '-1' },
          { column: 'price', value: '12345.678' },
          { column: 'n', value: 'abc' },
          { column: 'ok', value: 'ünï☃é' }, // five characters (more UTF-16 units and bytes): fits
        ],
      },
    ]);
    expect(warnings.map((x) => x.column)).toEqual(['code', 'small', 'tiny', 'price', 'n']);
    expect(warnings[0]!.message).toBe("'TOOLONG1' is 8 characters, longer than VARCHAR(5) allows (5). SQLite does not enforce declared types: it would store the value as it is.");
    expect(warnings[1]!.message).toMatch(/^99999 is outside the range of SMALLINT \(-32768 to 32767\)\. SQLite does not enforce/);
    expect(warnings[2]!.message).toMatch(/outside the range of TINYINT UNSIGNED \(0 to 255\)/);
    expect(warnings[3]!.message).toMatch(/^12345\.678 has 5 digits before the decimal point; DECIMAL\(6,2\) allows 4\./);
    expect(warnings[4]!.message).toMatch(/'abc' is not a number.*store it as text/);
    // …and SQLite really stores them as they are: the warning is the only word the user gets.
    const result = await w.client.call('table.applyEdits', {
      connectionId: id,
      edits: { table: table('typed'), changes: [{ kind: 'insert', id: 'i1', values: [{ column: 'id', value: '1' }, { column: 'code', value: 'TOOLONG1' }, { column: 'small', value: '99999' }] }] },
    });
    expect(result.applied).toBe(true);
    expect(await f.exec('SELECT code, small FROM typed')).toEqual([{ code: 'TOOLONG1', small: 99999n }]);
  });
});
