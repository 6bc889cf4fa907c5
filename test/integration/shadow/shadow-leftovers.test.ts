import { afterAll, describe, expect, it } from 'vitest';
import { defaultMigrationSettings, type MigrationProgress } from '../../../shared/model/migrations';
import { dbmateFile, mariadbUnderTest, postgresUnderTest, scratchDatabases, type EngineUnderTest } from '../../support/migrations';
import { mariadbExec, postgresExec } from '../../support/servers';
import { createTestCore, saveProfileFromUrl } from '../../support/test-core';

/** Whether a shadow database still exists on the server. */
async function databaseExists(engine: EngineUnderTest['name'], name: string): Promise<boolean> {
  if (engine === 'postgresql') return (await postgresExec('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  return ((await mariadbExec('test', 'SHOW DATABASES LIKE ?', [name.replace(/_/g, '\\_')])) as unknown[]).length === 1;
}

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each([postgresUnderTest, mariadbUnderTest])('shadows left behind on $name', (engine) => {
  const scratch = scratchDatabases(engine);
  afterAll(() => scratch.cleanup());

  /**
   * A window closed (or its socket gone) in the middle of a rehearsal: its run is cancelled and drops its
   * shadow — after the statement it is in when that ends soon, and from the worker when it does not.
   */
  it.each([
    { when: 'between statements', seconds: 1, statements: 3 },
    { when: 'in a 30 s statement', seconds: 30, statements: 1 },
  ])('a window closed during a rehearsal drops its shadow ($when)', async ({ seconds, statements }) => {
    const { db, folder } = await scratch.fresh({ '20240101000000_a.sql': dbmateFile('CREATE TABLE a (id int);', 'DROP TABLE a;') });
    const core = createTestCore();
    try {
      const w = core.openWindow();
      const id = await saveProfileFromUrl(w.client, db.url);
      await w.client.call('connections.open', { id });
      const settings = { ...defaultMigrationSettings, dir: folder.dir };
      await w.client.call('migrations.apply', { connectionId: id, dir: folder.dir, settings, request: { action: 'up' }, runId: 'apply-first' });
      folder.write('20240102000000_slow.sql', dbmateFile(Array.from({ length: statements }, () => `${engine.slow(seconds)};`).join('\n')));

      const answer = w.client.call('migrations.rehearse', { connectionId: id, dir: folder.dir, settings, runId: 'rehearse-slow', copyRowsUpTo: null }).catch((e: unknown) => e);
      const progress = () => w.events.filter((e) => e.name === 'migration.progress').map((e) => e.payload as MigrationProgress);
      const shadow = await until('the shadow', () => progress().map((p) => /Shadow: temporary database (\S+)/.exec(p.message)?.[1]).find(Boolean));
      await until('the slow migration', () => progress().find((p) => p.kind === 'statement-started' && p.version === '20240102000000'));
      expect(await databaseExists(engine.name, shadow)).toBe(true);

      const closing = Date.now();
      await w.close();
      const closeMs = Date.now() - closing;
      expect(await databaseExists(engine.name, shadow)).toBe(false);
      expect(closeMs).toBeLessThan(10_000);
      await answer;
    } finally {
      await core.close();
    }
  });
});
