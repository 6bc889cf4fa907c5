import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { fixtures, type EngineFixture } from '../table-browser/fixtures';
import { columnOf, readAllByOffset } from '../table-browser/helpers';
import { parseCsv } from '../table-browser/csv-parse';
import { HARD_ROWS, hardValuesDdl } from './import-fixtures';

describe.each(fixtures)('import on $engine', ({ engine, create }) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-import-'));
  let seq = 0;
  const table = (name: string) => ({ schema: f.schema, name });
  const importId = () => `imp-${engine}-${++seq}-abcdef`;
  const exportTo = (name: string, format: 'csv' | 'jsonl', path: string) =>
    w.client.call('table.export', { connectionId: id, exportId: `exp-${engine}-${++seq}-abcdef`, query: { table: table(name), sort: [{ column: 'id', direction: 'asc' }] }, format, path, overwrite: true });
  const importFile = (name: string, path: string, extra: Record<string, unknown> = {}, format: 'csv' | 'tsv' | 'jsonl' | 'json' = 'csv') =>
    w.client.call('import.run', { connectionId: id, importId: importId(), source: { path, format, ...((extra.source as object) ?? {}) }, target: { table: table(name), ...((extra.target as object) ?? {}) }, ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'source' && k !== 'target')) });
  const rowsOf = async (name: string) => {
    const windows = await readAllByOffset(w.client, id, { table: table(name), sort: [{ column: 'id', direction: 'asc' }] }, 500);
    return windows[0]!.batch.columns.map((c) => windows.flatMap((x) => columnOf(x, c.name)));
  };
  const count = async (name: string) => Number((await f.exec(`SELECT count(*) AS n FROM ${f.q(name)}`))[0]!.n);
  const write = (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    f = await create();
    await f.exec(hardValuesDdl(f, 'hard'));
    for (const row of HARD_ROWS) await f.exec(`INSERT INTO ${f.q('hard')} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, row);
    await f.exec(`CREATE TABLE ${f.q('small')} (id ${f.types.int} PRIMARY KEY, name ${f.engine === 'sqlite' ? 'TEXT' : 'varchar(5)'} NOT NULL, amount ${f.types.decimal})`);
    await f.exec(`INSERT INTO ${f.q('small')} VALUES (100, 'keep', 1.5)`);
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, f.url);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await f?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['csv', 'all-or-nothing'],
    ['csv', 'skip-bad-rows'],
    ['jsonl', 'all-or-nothing'],
  ] as const)('round trip: %s export → import (%s) gives the hard values exactly', async (format, mode) => {
    const copy = `hard_${format}_${mode === 'skip-bad-rows' ? 'skip' : 'all'}`;
    await f.exec(hardValuesDdl(f, copy));
    const exported = join(dir, `hard.${format}`);
    await exportTo('hard', format, exported);
    const rejects = join(dir, `${copy}.rejects.csv`);
    const done = await importFile(copy, exported, { mode, rejectsPath: mode === 'skip-bad-rows' ? rejects : null }, format);
    expect(done).toMatchObject({ rows: HARD_ROWS.length, rejected: 0, created: false });
    if (engine === 'postgresql') expect(done.path).toBe(format === 'csv' && mode === 'all-or-nothing' ? 'server-csv' : 'rows');
    // The copy's own export is the same file byte for byte, and DB Desk reads the same values.
    const again = join(dir, `${copy}.${format}`);
    await exportTo(copy, format, again);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(exported, 'utf8'));
    expect(await rowsOf(copy)).toEqual(await rowsOf('hard'));
    const big = (await rowsOf(copy))[2]!;
    expect(big.slice(0, 3)).toEqual(['9223372036854775807', '-9223372036854775808', '9007199254740993']);
    const text = (await rowsOf(copy))[5]!;
    expect(text[1]).toBe('');
    expect(text[3]).toBeNull();
    expect(text[6]).toBe('NULL');
  });

  it('reads TSV, a UTF-8 byte order mark and Latin-1, with NULL and the empty string apart', async () => {
    await f.exec(`DELETE FROM ${f.q('small')} WHERE id <> 100`);
    const tsv = write('bom.tsv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id\tname\tamount\n1\tZoë\t\n2\t""\t2.5\n')]));
    expect(await importFile('small', tsv, {}, 'tsv')).toMatchObject({ rows: 2 });
    const latin = write('latin.csv', Buffer.concat([Buffer.from('amount;id;name\n3,25;3;'), Buffer.from([0x4a, 0xe9, 0x72]), Buffer.from('\n')]));
    expect(await importFile('small', latin, { source: { csv: { delimiter: ';', encoding: 'latin1' }, numbers: { decimal: ',' } } })).toMatchObject({ rows: 1, path: 'rows' });
    const [ids, names, amounts] = await rowsOf('small');
    expect(ids!.map(Number)).toEqual([1, 2, 3, 100]);
    expect(names).toEqual(['Zoë', '', 'Jér', 'keep']);
    expect(amounts![0]).toBeNull();
    expect(Number(amounts![2])).toBe(3.25);
    await f.exec(`DELETE FROM ${f.q('small')} WHERE id <> 100`);
  });

  const malformed: [string, string | Buffer, number, string | null, RegExp][] = [
    ['a ragged row', 'id,name,amount\n1,a,1.5\n2,b\n3,c,2\n', 3, null, /2 fields|missing data/],
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from('id,name,amount\n1,a,1.5\n2,'), Buffer.from([0xff, 0xfe]), Buffer.from(',2\n')]), 3, null, /UTF-?8/],
    ['a quote never closed', 'id,name,amount\n1,a,1.5\n2,"b,2\n3,c,3\n', 3, null, /quote|unterminated/i],
    ['a value that does not fit its column', engine === 'sqlite' ? 'id,name,amount\n1,a,1.5\n2,b,2\nthree,c,3\n' : 'id,name,amount\n1,a,1.5\n2,b,2\n3,too long for five,3\n', 4, engine === 'sqlite' ? 'id' : 'name', /too long|whole number/i],
  ];

  it.each(malformed)('refuses %s naming the line, and leaves the table unchanged', async (_what, text, line, column, reason) => {
    const before = await rowsOf('small');
    const path = write(`bad-${++seq}.csv`, text);
    const failed = await importFile('small', path).then(
      () => null,
      (err: unknown) => err as { code: string; message: string; detail?: { line: number; column: string | null } },
    );
    expect(failed, 'the import should fail').not.toBeNull();
    expect(failed!.message).toMatch(new RegExp(`line ${line}\\b`));
    expect(failed!.message).toMatch(reason);
    if (column) expect(failed!.message).toContain(`"${column}"`);
    expect(await rowsOf('small')).toEqual(before);
    // The connection still works.
    expect(await count('small')).toBe(1);
  });

  it('skips bad rows into a rejects file with their lines and reasons, and imports the rest', async () => {
    const path = write('mixed.csv', 'id,name,amount\n1,a,1.5\n2,b\n3,c,x\n100,dup,1\n4,d,4\n5,"e\nf",5\n');
    const rejects = join(dir, 'mixed.rejects.csv');
    const done = await importFile('small', path, { mode: 'skip-bad-rows', rejectsPath: rejects });
    expect(done).toMatchObject({ rows: 3, rejected: 3, rejectsPath: rejects });
    const rows = parseCsv(readFileSync(rejects, 'utf8'));
    expect(rows[0]).toEqual(['line', 'column', 'error', 'id', 'name', 'amount']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['3', '4', '5']);
    expect(rows[2]![1]).toBe('amount');
    expect(rows[3]![2]).toMatch(/duplicate|unique/i);
    expect((await rowsOf('small'))[0]!.map(Number)).toEqual([1, 4, 5, 100]);
    expect((await rowsOf('small'))[1]).toContain('e\nf');
    await f.exec(`DELETE FROM ${f.q('small')} WHERE id <> 100`);
  });

  it('creates a new table from a file: types inferred, DDL shown first, dropped again when the import fails', async () => {
    const path = write('new.csv', 'id,name,price,born,active,big\n1,Ada,1.50,2020-01-02,true,9223372036854775807\n2,Grace,,2021-03-04,false,-1\n');
    const preview = await w.client.call('import.preview', { connectionId: id, source: { path, format: 'csv' }, target: { table: table('fresh') } }).catch((e: unknown) => e);
    // An existing table is needed without `create`.
    expect(preview).toMatchObject({ code: 'not-found' });
    const inferredPreview = await w.client.call('import.preview', {
      connectionId: id,
      source: { path, format: 'csv' },
      target: { table: table('fresh'), create: { columns: [{ name: 'id', type: 'x' }], primaryKey: [] } },
    });
    expect(inferredPreview.inferred.map((c) => c.kind)).toEqual(['integer', 'text', 'decimal', 'date', 'boolean', 'bigint']);
    const columns = inferredPreview.inferred.map((c) => ({ name: c.name, type: c.type, nullable: true }));
    const planned = await w.client.call('import.preview', { connectionId: id, source: { path, format: 'csv' }, target: { table: table('fresh'), create: { columns, primaryKey: ['id'] } } });
    expect(planned.ddl!.join('\n')).toMatch(/CREATE TABLE/i);
    expect(planned.converted[0]).toEqual(['1', 'Ada', '1.50', '2020-01-02', 'true', '9223372036854775807']);
    const done = await importFile('fresh', path, { target: { create: { columns, primaryKey: ['id'] } } });
    expect(done).toMatchObject({ rows: 2, created: true });
    const values = await rowsOf('fresh');
    expect(values[5]!.map(String)).toEqual(['9223372036854775807', '-1']);
    expect(values[2]![1]).toBeNull();
    // A failing import into a table it created leaves no table behind.
    const bad = write('new-bad.csv', 'id,name\n1,a\nx,b\n');
    await expect(importFile('fresh2', bad, { target: { create: { columns: [{ name: 'id', type: inferredPreview.inferred[0]!.type }, { name: 'name', type: inferredPreview.inferred[1]!.type }], primaryKey: [] } } })).rejects.toMatchObject({
      message: expect.stringMatching(/line 3/),
    });
    const tables = await w.client.call('schema.tables', { connectionId: id, schema: f.schema });
    expect(tables.map((x) => x.name)).not.toContain('fresh2');
  });

  it('maps columns by hand, converts dates and numbers, and previews the converted values', async () => {
    const path = write('mapped.csv', 'when;label;value;key\n31/12/2024;x;1.234,5;7\n');
    const source = { path, format: 'csv' as const, csv: { delimiter: ';' }, numbers: { decimal: ',' as const, thousands: '.' as const } };
    const mapping = [
      { column: 'id', source: 3 },
      { column: 'name', source: 1 },
      { column: 'amount', source: 2 },
    ];
    const preview = await w.client.call('import.preview', { connectionId: id, source, target: { table: table('small') }, mapping });
    expect(preview.sources).toEqual(['when', 'label', 'value', 'key']);
    expect(preview.converted[0]).toEqual(['7', 'x', '1234.5']);
    const done = await w.client.call('import.run', { connectionId: id, importId: importId(), source, target: { table: table('small') }, mapping });
    expect(done.rows).toBe(1);
    expect(Number((await f.exec(`SELECT amount FROM ${f.q('small')} WHERE id = 7`))[0]!.amount)).toBe(1234.5);
    await f.exec(`DELETE FROM ${f.q('small')} WHERE id <> 100`);
    const dated = await w.client.call('import.preview', {
      connectionId: id,
      source: { path, format: 'csv', csv: { delimiter: ';' } },
      target: { table: table('hard') },
      mapping: [{ column: 'day', source: 0, dateFormat: 'DD/MM/YYYY' }, { column: 'id', source: 3 }, { column: 'label', source: 1 }],
    });
    expect(dated.converted[0]![dated.columns.findIndex((c) => c.name === 'day')]).toBe('2024-12-31');
  });

  it('cancels a running import and rolls it back', async () => {
    const lines = ['id,name,amount'];
    for (let i = 1; i <= 300_000; i++) lines.push(`${i},n,${i}`);
    const path = write('many.csv', lines.join('\n') + '\n');
    const runId = importId();
    const controller = new AbortController();
    const running = w.client.call('import.run', { connectionId: id, importId: runId, source: { path, format: 'csv' }, target: { table: table('small') }, mode: 'skip-bad-rows', rejectsPath: join(dir, 'many.rejects.csv') }, { signal: controller.signal });
    running.catch(() => undefined);
    for (let i = 0; i < 100 && !w.events.some((e) => e.name === 'import.progress' && (e.payload as { importId: string; rows: number }).importId === runId && (e.payload as { rows: number }).rows > 0); i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(await count('small')).toBe(1);
    expect(existsSync(join(dir, 'many.rejects.csv'))).toBe(false);
  });
});
