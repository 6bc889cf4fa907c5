import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../support/migrations';
import { fixtures, type EngineFixture } from '../table-browser/fixtures';

describe.each(fixtures)('dbdesk import on $engine', ({ create }) => {
  let f: EngineFixture;
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-import-cli-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const count = async (table: string) => Number((await f.exec(`SELECT count(*) AS n FROM ${f.q(table)}`))[0]!.n);

  beforeAll(async () => {
    f = await create();
    await f.exec(`CREATE TABLE items (id ${f.types.int} PRIMARY KEY, name ${f.types.text} NOT NULL, price ${f.types.decimal})`);
  });
  afterAll(async () => {
    await f?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a file (exit 0) and says how many rows', async () => {
    const path = file('items.csv', 'id,name,price\n1,pen,1.50\n2,"ink, blue",\n');
    const run = await cli(['import', '--url', f.url, '--table', 'items', path]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Imported 2 rows into .*items/);
    expect(await count('items')).toBe(2);
  });

  it('fails with exit 1 naming the line, and changes nothing (all or nothing)', async () => {
    const path = file('bad.jsonl', '{"id": 3, "name": "a"}\n{"id": 4, "name": null}\n');
    const run = await cli(['import', '--url', f.url, '--table', 'items', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/line 2/);
    expect(await count('items')).toBe(2);
  });

  it('skips bad rows into the rejects file (exit 0)', async () => {
    const path = file('mixed.tsv', 'id\tname\tprice\n5\tok\t1\n1\tdup\t1\n6\tfine\tx\n');
    const rejects = join(dir, 'rejects.csv');
    const run = await cli(['import', '--url', f.url, '--table', 'items', '--skip-bad-rows', rejects, path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Imported 1 rows.*2 rejected rows written to/);
    expect(readFileSync(rejects, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    expect(await count('items')).toBe(3);
  });

  it('creates a new table with --create, and refuses to create one that exists (exit 1)', async () => {
    const path = file('fresh.json', '[{"code": "a", "qty": 9223372036854775807}, {"code": "b", "qty": -1}]');
    const run = await cli(['import', '--url', f.url, '--table', 'fresh', '--create', path]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await count('fresh')).toBe(2);
    expect(String((await f.exec(`SELECT qty FROM ${f.q('fresh')} WHERE code = 'a'`))[0]!.qty)).toBe('9223372036854775807');
    expect((await cli(['import', '--url', f.url, '--table', 'fresh', '--create', path])).code).toBe(1);
  });

  it('exits 2 on bad arguments before connecting', async () => {
    const path = file('x.csv', 'id\n1\n');
    for (const args of [
      ['import', '--table', 'items', path],
      ['import', '--url', f.url, path],
      ['import', '--url', f.url, '--table', 'items', join(dir, 'missing.csv')],
      ['import', '--url', f.url, '--table', 'items', '--format', 'xml', path],
      ['import', '--url', f.url, '--connection', 'x', '--table', 'items', path],
      ['import', '--url', f.url, '--table', 'items', '--bogus', path],
    ]) {
      const run = await cli(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
    }
    expect(await count('items')).toBe(3);
  });
});
