import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { fixtures, type EngineFixture } from './fixtures';
import { ids } from './helpers';

describe.each(fixtures)('foreign keys and whole values on $engine', ({ create }) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-refs-'));

  beforeAll(async () => {
    f = await create();
    const name = f.engine === 'mariadb' ? 'varchar(50)' : f.types.text;
    await f.exec(`CREATE TABLE ${f.q('parent table')} (${f.q('p id')} ${f.types.int} PRIMARY KEY, name ${name}, photo ${f.types.bytes})`);
    await f.exec(
      `CREATE TABLE ${f.q('child "rows"')} (id ${f.types.int} PRIMARY KEY, ${f.q('parent ref')} ${f.types.int}, CONSTRAINT ${f.q('child_parent')} FOREIGN KEY (${f.q('parent ref')}) REFERENCES ${f.q('parent table')} (${f.q('p id')}))`,
    );
    await f.exec(`INSERT INTO ${f.q('parent table')} VALUES (1, 'one', ?), (2, 'two', NULL)`, [Buffer.from('\u0089PNG\r\n\u001a\n-binary-\u0000-data', 'latin1')]);
    await f.exec(`INSERT INTO ${f.q('child "rows"')} VALUES (10, 1), (11, 1), (12, 2), (13, NULL)`);
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

  it('lists the foreign keys that point at a table, and finds the rows referencing one row', async () => {
    const refs = await w.client.call('table.referencedBy', { connectionId: id, table: { schema: f.schema, name: 'parent table' } });
    expect(refs).toEqual([{ name: f.engine === 'sqlite' ? expect.any(String) : 'child_parent', schema: f.schema, table: 'child "rows"', columns: ['parent ref'], referencedColumns: ['p id'] }]);
    const children = await w.client.call('table.window', {
      connectionId: id,
      query: { table: { schema: f.schema, name: 'child "rows"' }, filter: { kind: 'group', combinator: 'and', children: [{ kind: 'condition', column: 'parent ref', operator: '=', value: 1 }] } },
      window: { offset: 0, limit: 10 },
    });
    expect(ids([children])).toEqual([10, 11]);
    expect(await w.client.call('table.referencedBy', { connectionId: id, table: { schema: f.schema, name: 'child "rows"' } })).toEqual([]);
  });

  it('saves a whole bytes value to a file on the core machine', async () => {
    const path = join(dir, 'photo.png');
    const saved = await w.client.call('table.saveCell', { connectionId: id, table: { schema: f.schema, name: 'parent table' }, rowId: [1], column: 'photo', path });
    const expected = Buffer.from('\u0089PNG\r\n\u001a\n-binary-\u0000-data', 'latin1');
    expect(saved).toEqual({ path, bytes: expected.length });
    expect(readFileSync(path)).toEqual(expected);
    await expect(w.client.call('table.saveCell', { connectionId: id, table: { schema: f.schema, name: 'parent table' }, rowId: [2], column: 'photo', path: join(dir, 'null.bin') })).rejects.toMatchObject({
      message: expect.stringContaining('NULL'),
    });
  });

  it('replaces only a regular file, never a FIFO or a folder, even with overwrite', async () => {
    const fifo = join(dir, `pipe-${f.engine}`);
    execFileSync('mkfifo', [fifo]);
    const folder = join(dir, `folder-${f.engine}`);
    mkdirSync(folder);
    for (const path of [fifo, folder]) {
      await expect(w.client.call('table.saveCell', { connectionId: id, table: { schema: f.schema, name: 'parent table' }, rowId: [1], column: 'photo', path, overwrite: true })).rejects.toMatchObject({
        code: 'invalid-input',
      });
    }
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(statSync(folder).isDirectory()).toBe(true);
  });
});
