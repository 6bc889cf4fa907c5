import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableQueryInput } from '../../../shared/model/table-query';
import type { CellValue } from '../../../shared/model/values';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { fixtures, type EngineFixture } from './fixtures';
import { columnOf, readAllByOffset } from './helpers';
import { parseCsv } from './csv-parse';

const TEXTS = ['plain', 'comma, inside', 'quote " inside', 'line\nbreak', 'crlf\r\nbreak', '', null, ' leading space', 'semi; colon', "O'Reilly \\ back", 'emoji 😀'];
const ROWS = 1234;

describe.each(fixtures)('streamed export on $engine', ({ engine, create }) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-export-'));
  const table = () => ({ schema: f.schema, name: 'exp' });
  const all = (q: TableQueryInput = { table: table() }) => readAllByOffset(w.client, id, q, 500);
  let exportSeq = 0;
  const exportTo = (format: 'csv' | 'jsonl' | 'sql', path: string, query: TableQueryInput = { table: table() }, extra: Record<string, unknown> = {}) =>
    w.client.call('table.export', { connectionId: id, exportId: `exp-${engine}-${++exportSeq}-abcdef`, query, format, path, ...extra });

  beforeAll(async () => {
    f = await create();
    await f.exec(
      `CREATE TABLE exp (id ${f.types.bigint} PRIMARY KEY, label ${f.types.text}, big ${f.types.bigint}, amount ${f.engine === 'sqlite' ? 'TEXT' : f.types.decimal}, bin ${f.types.bytes}, flag ${f.types.bool}, doc ${f.types.json})`,
    );
    for (let i = 1; i <= ROWS; i++) {
      await f.exec('INSERT INTO exp VALUES (?, ?, ?, ?, ?, ?, ?)', [
        i,
        TEXTS[i % TEXTS.length],
        i === 1 ? '9223372036854775807' : i === 2 ? '-9223372036854775808' : String(i * 1000003),
        i % 5 === 0 ? null : `${i}.0123456789`,
        i % 3 === 0 ? null : Buffer.from([i % 256, 0, 255, 10, 13, 44, 34]),
        i % 2 === 0,
        i % 4 === 0 ? null : JSON.stringify({ i, s: TEXTS[i % TEXTS.length] ?? null }),
      ]);
    }
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

  it('writes CSV that keeps NULL and the empty string apart and quotes what needs quoting', async () => {
    const path = join(dir, 'exp.csv');
    const done = await exportTo('csv', path);
    // The test core plays the browser shell: the finished file is offered as a download.
    expect(done).toMatchObject({ path, rows: ROWS, downloadId: expect.stringMatching(/^[\w-]{16}$/) });
    const parsed = parseCsv(readFileSync(path, 'utf8'));
    expect(parsed[0]).toEqual(['id', 'label', 'big', 'amount', 'bin', 'flag', 'doc']);
    expect(parsed).toHaveLength(ROWS + 1);
    const byId = new Map(parsed.slice(1).map((r) => [Number(r[0]), r]));
    for (let i = 1; i <= 40; i++) expect(byId.get(i)![1]).toBe(TEXTS[i % TEXTS.length]);
    expect(byId.get(1)![2]).toBe('9223372036854775807');
    expect(byId.get(2)![2]).toBe('-9223372036854775808');
    expect(byId.get(5)![3]).toBeNull();
    expect(byId.get(7)![3]).toMatch(/^7\.01234567890*$/);
    expect(byId.get(7)![4]).toBe('\\x0700ff0a0d2c22');
    expect(byId.get(3)![4]).toBeNull();
    const progress = w.events.filter((e) => e.name === 'table.exportProgress' && (e.payload as { done: boolean }).done);
    expect(progress.at(-1)!.payload).toMatchObject({ rows: ROWS, done: true, bytes: readFileSync(path).length });
  });

  it('writes the same CSV whether the server writes it (PostgreSQL COPY, no bound values) or rows are streamed (a bound filter)', async () => {
    const sorted: TableQueryInput = { table: table(), sort: [{ column: 'id', direction: 'asc' }] };
    const all = join(dir, 'native.csv');
    const streamed = join(dir, 'streamed.csv');
    await exportTo('csv', all, sorted);
    await exportTo('csv', streamed, { ...sorted, filter: { kind: 'group', combinator: 'and', children: [{ kind: 'condition', column: 'id', operator: '>=', value: 0 }] } });
    expect(readFileSync(streamed, 'utf8')).toBe(readFileSync(all, 'utf8'));
  });

  it('writes JSON lines with exact numbers, bytes as hex and JSON columns embedded', async () => {
    const path = join(dir, 'exp.jsonl');
    await exportTo('jsonl', path, { table: table(), sort: [{ column: 'id', direction: 'desc' }] });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(ROWS);
    expect(lines.map((l) => Number(l.id))).toEqual(Array.from({ length: ROWS }, (_, i) => ROWS - i));
    const one = lines.at(-1)!;
    expect(one.big).toBe('9223372036854775807');
    expect(one.label).toBe(TEXTS[1]);
    expect(one.doc).toEqual({ i: 1, s: TEXTS[1] });
    expect(one.bin).toBe('\\x0100ff0a0d2c22');
    const seven = lines.find((l) => Number(l.id) === 7)!;
    expect(seven.label).toBe(TEXTS[7]);
    expect(String(seven.amount)).toMatch(/^7\.01234567890*$/);
    expect(lines.find((l) => Number(l.id) === 4)!.doc).toBeNull();
  });

  it('writes SQL INSERTs that load back into the table exactly', async () => {
    const before = await all();
    const path = join(dir, 'exp.sql');
    await exportTo('sql', path, { table: table() }, { options: { rowsPerInsert: 50 } });
    const script = readFileSync(path, 'utf8');
    expect(script.match(/^INSERT INTO /gm)).toHaveLength(Math.ceil(ROWS / 50));
    await f.exec('DELETE FROM exp');
    await loadScript(f, script);
    const after = await all();
    const flat = (ws: typeof before) => ws.flatMap((x) => x.batch.columns.map((c) => columnOf(x, c.name)));
    expect(after.reduce((n, x) => n + x.batch.rowCount, 0)).toBe(ROWS);
    expect(flat(after)).toEqual(flat(before));
  });

  it('exports the filtered, sorted view only', async () => {
    const query: TableQueryInput = {
      table: table(),
      filter: { kind: 'group', combinator: 'and', children: [{ kind: 'condition', column: 'label', operator: 'contains', value: 'inside' }] },
      sort: [{ column: 'label', direction: 'asc' }],
    };
    const path = join(dir, 'filtered.csv');
    const done = await exportTo('csv', path, query, { options: { header: false, delimiter: ';' } });
    const view = await all(query);
    const ids: CellValue[] = view.flatMap((x) => columnOf(x, 'id')).map(String);
    expect(done.rows).toBe(ids.length);
    expect(parseCsv(readFileSync(path, 'utf8'), ';').map((r) => r[0])).toEqual(ids);
  });

  it('never overwrites a file silently, and refuses relative paths and missing folders', async () => {
    const path = join(dir, 'keep.csv');
    writeFileSync(path, 'precious');
    await expect(exportTo('csv', path)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already exists') });
    expect(readFileSync(path, 'utf8')).toBe('precious');
    await expect(exportTo('csv', 'relative.csv')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(exportTo('csv', join(dir, 'no-such-folder', 'x.csv'))).rejects.toMatchObject({ code: 'invalid-input' });
    await exportTo('csv', path, { table: table() }, { overwrite: true });
    expect(readFileSync(path, 'utf8')).toMatch(/^id,label/);
  });

  it.skipIf(engine === 'sqlite')('reports progress while the rows are still coming, before the file is complete', async () => {
    // Every row takes the server 2 ms: PostgreSQL's COPY or MariaDB's row stream delivers them over
    // seconds, fewer than one batch, and progress follows them.
    const path = join(dir, 'progress.csv');
    const exportId = `progress-${engine}-abc12345`;
    const seen = () => w.events.filter((e) => e.name === 'table.exportProgress' && (e.payload as { exportId: string }).exportId === exportId).map((e) => e.payload as { rows: number; done: boolean });
    const done = await w.client.call('table.export', { connectionId: id, exportId, query: { table: table(), where: engine === 'postgresql' ? 'pg_sleep(0.002) IS NOT NULL' : 'SLEEP(0.002) = 0' }, format: 'csv', path });
    expect(done.rows).toBe(ROWS);
    const events = seen();
    const midway = events.filter((p) => !p.done && p.rows > 0 && p.rows < ROWS);
    expect(midway.length, JSON.stringify(events)).toBeGreaterThan(0);
    // Counts only grow, and the last report is the finished file.
    // (Line breaks inside quoted values do not count as rows.)
    expect(events.map((p) => p.rows)).toEqual([...events.map((p) => p.rows)].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ rows: ROWS, done: true });
    rmSync(path);
  });

  it('cancels within a second, even while the server is still working, and leaves no file behind', async () => {
    // A raw WHERE that makes every row slow: the server is busy long before the first batch is ready.
    const slow =
      engine === 'postgresql'
        ? 'pg_sleep(0.002) IS NOT NULL'
        : engine === 'mariadb'
          ? 'SLEEP(0.002) = 0'
          : '(WITH RECURSIVE c(i) AS (SELECT exp.id UNION ALL SELECT i + 1 FROM c WHERE i < exp.id + 20000) SELECT count(*) FROM c) > 0';
    const path = join(dir, 'cancelled.csv');
    const exportId = `cancel-${engine}-xyz12345`;
    const controller = new AbortController();
    const running = w.client.call('table.export', { connectionId: id, exportId, query: { table: table(), where: slow }, format: 'csv', path }, { signal: controller.signal });
    running.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 700));
    const asked = performance.now();
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - asked).toBeLessThan(1000);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
    // The connection still works.
    expect((await w.client.call('table.count', { connectionId: id, query: { table: table() } })).value).toBe(ROWS);
  });
});

async function loadScript(f: EngineFixture, script: string): Promise<void> {
  // Each engine's own multi-statement path, as a user would load the file.
  if (f.engine === 'postgresql') {
    const { default: pg } = await import('pg');
    const { POSTGRES } = await import('../../support/servers');
    const c = new pg.Client({ ...POSTGRES, database: new URL(f.url).pathname.slice(1) });
    await c.connect();
    await c.query(script).finally(() => c.end());
  } else if (f.engine === 'mariadb') {
    const { mariadbExec } = await import('../../support/servers');
    await mariadbExec(f.schema, script);
  } else {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(f.url.slice('sqlite:'.length));
    db.exec(script);
    db.close();
  }
}
