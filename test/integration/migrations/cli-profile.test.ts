import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionFields } from '../../../shared/model/connection';
import { AppStore } from '../../../electron/core/store/app-store';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';
import { cli, dbmateFile, migrationFolder, sqliteUnderTest } from '../../support/migrations';

/**
 * `dbdesk migrate --connection NAME` opens only what it needs: the saved profile (and its password)
 * from the app store — no AppCore, so nothing is written there: no demo profile, no flag.
 */
describe('migrate --connection on a data folder the app never opened', () => {
  let dataDir: string;
  let db: Awaited<ReturnType<typeof sqliteUnderTest.create>>;
  const folder = migrationFolder({ '20240801000000_one.sql': dbmateFile('CREATE TABLE cli_one (id int);', 'DROP TABLE cli_one;') });
  const openStore = () => new AppStore(dataDir, new FileKeyCipher(join(dataDir, 'keys', 'secret.key')));

  beforeAll(async () => {
    db = await sqliteUnderTest.create();
    dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-cli-migrate-'));
    const store = openStore();
    store.profiles.save(ConnectionFields.parse({ name: 'Local file', engine: 'sqlite', file: db.name }), undefined);
    store.close();
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await db?.drop();
    folder.remove();
  });

  it('applies with the saved profile and leaves the store as it found it', async () => {
    const up = await cli(['--data-dir', dataDir, 'migrate', 'up', '--connection', 'Local file', '--dir', folder.dir]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect((await db.query("SELECT name FROM sqlite_schema WHERE name = 'cli_one'")).length).toBe(1);
    const store = openStore();
    try {
      expect(store.profiles.list().map((p) => p.name)).toEqual(['Local file']);
      expect(store.settings.flag('demo-profile-created')).toBe(false);
    } finally {
      store.close();
    }
  });
});
