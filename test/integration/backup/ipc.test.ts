import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { postgresSide, rowChecksums, SEED, sqliteSide, type Side } from './helpers';

/** Through the app's own path: IPC → router → worker → runner, progress events, cancel by the call's signal, production confirmation. */
let t: TestCore;
let w: TestWindow;
let dir: string;
let pg: Side;
beforeAll(async () => {
  t = createTestCore();
  w = t.openWindow();
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-backup-ipc-'));
  pg = await postgresSide();
  await pg.exec(SEED.postgres);
});
afterAll(async () => {
  await w?.close();
  await t?.close();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(url: string, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await saveProfileFromUrl(w.client, url, extra);
  await w.client.call('connections.open', { id });
  return id;
}

describe('backup and restore over IPC', () => {
  it('backs up with progress events, restores into a production connection only with the typed name', async () => {
    const from = await connect(pg.url, { name: 'pg source' });
    expect(await w.client.call('backup.info', { connectionId: from })).toEqual({ fileExtension: '.dump', partial: true, tablesFrom: 'every-schema', confirmationName: null, readOnly: false });
    const path = join(dir, 'ipc.dump');
    const done = await w.client.call('backup.run', { connectionId: from, jobId: 'job-backup-1', path, options: { scope: 'all', tables: [] } });
    expect(done).toMatchObject({ path, bytes: statSync(path).size, tool: expect.stringMatching(/^pg_dump/) });
    const progress = w.events.filter((e) => e.name === 'backup.progress' && (e.payload as { jobId: string }).jobId === 'job-backup-1');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.payload).toMatchObject({ bytes: done.bytes });

    const target = await postgresSide();
    try {
      const to = await connect(target.url, { name: 'pg live', production: true });
      const info = await w.client.call('backup.info', { connectionId: to });
      expect(info.confirmationName).toBe(target.url.replace(/.*\/([^/?]+)\?.*/, '$1'));
      await expect(w.client.call('backup.restore', { connectionId: to, jobId: 'job-restore-0', path })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(w.client.call('backup.restore', { connectionId: to, jobId: 'job-restore-0', path, confirmDatabase: 'wrong' })).rejects.toMatchObject({ code: 'forbidden' });
      expect(await target.rows(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).toEqual([{ n: 0 }]);
      await w.client.call('backup.restore', { connectionId: to, jobId: 'job-restore-1', path, confirmDatabase: info.confirmationName! });
      expect(await rowChecksums('postgres', target)).toEqual(await rowChecksums('postgres', pg));
      await w.client.call('connections.close', { id: to });
    } finally {
      await target.drop();
    }
  });

  it('paths must be absolute; a read-only connection is not restored into', async () => {
    const from = await connect(pg.url, { name: 'pg ro', readOnly: true });
    await expect(w.client.call('backup.run', { connectionId: from, jobId: 'job-rel-0001', path: 'relative.dump' })).rejects.toMatchObject({ code: 'invalid-input' });
    const path = join(dir, 'ro.dump');
    await w.client.call('backup.run', { connectionId: from, jobId: 'job-ro-00001', path });
    await expect(w.client.call('backup.restore', { connectionId: from, jobId: 'job-ro-00002', path })).rejects.toMatchObject({ code: 'read-only' });
  });

  it('the call’s signal cancels a restore; SQLite’s whole-file copy says it takes no parts', async () => {
    const source = await sqliteSide();
    const target = await sqliteSide();
    try {
      await source.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 60000) INSERT INTO big SELECT n, hex(randomblob(300)) FROM g;`);
      await target.exec('CREATE TABLE kept (id int)');
      const from = await connect(source.url, { name: 'sqlite source' });
      expect(await w.client.call('backup.info', { connectionId: from })).toMatchObject({ fileExtension: '.sqlite', partial: false });
      const path = join(dir, 'big.sqlite');
      await w.client.call('backup.run', { connectionId: from, jobId: 'job-sqlite-1', path });
      const to = await connect(target.url, { name: 'sqlite target' });
      // Cancelled as soon as it is sent: the cancel follows the call to the worker (a 40 MB copy takes ~0.2 s here).
      const controller = new AbortController();
      const restoring = w.client.call('backup.restore', { connectionId: to, jobId: 'job-sqlite-2', path }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 5);
      await expect(restoring).rejects.toMatchObject({ code: 'cancelled' });
      expect(await target.rows(`SELECT name FROM sqlite_schema WHERE type = 'table'`)).toEqual([{ name: 'kept' }]);
      // A cancelled backup leaves no file either.
      const again = new AbortController();
      const backingUp = w.client.call('backup.run', { connectionId: from, jobId: 'job-sqlite-3', path: join(dir, 'cancelled.sqlite') }, { signal: again.signal });
      setTimeout(() => again.abort(), 5);
      await expect(backingUp).rejects.toMatchObject({ code: 'cancelled' });
      expect(existsSync(join(dir, 'cancelled.sqlite'))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    } finally {
      await source.drop();
      await target.drop();
    }
  });
});
