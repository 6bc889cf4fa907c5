import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMigrationSettings } from '../../../shared/model/migrations';
import { cli, dbmateFile, migrationFolder, postgresUnderTest } from '../../support/migrations';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

/** A production profile saved in the app store: the CLI needs --yes, the GUI the database name typed. */
describe('a production connection', () => {
  let db: Awaited<ReturnType<typeof postgresUnderTest.create>>;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const folder = migrationFolder({ '20240701000000_prod.sql': dbmateFile('CREATE TABLE prod_one (id int);', 'DROP TABLE prod_one;') });
  const exists = async (table: string) => (await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = '${table}'`)).length === 1;

  beforeAll(async () => {
    db = await postgresUnderTest.create();
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, db.url, { name: 'Orders production', production: true });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
    folder.remove();
  });

  it('CLI: without --yes it prints the plan and refuses (exit 1); nothing is applied', async () => {
    const r = await cli(['--data-dir', t.dataDir, 'migrate', 'up', '--connection', 'Orders production', '--dir', folder.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Plan: apply 1 migration');
    expect(r.stdout).toMatch(/Refused: "Orders production" is a production connection. Nothing was run; add --yes/);
    expect(await exists('prod_one')).toBe(false);
    expect(await exists('dbdesk_migrations')).toBe(false);
  });

  it('CLI: status and plan need no confirmation; --yes applies', async () => {
    expect((await cli(['--data-dir', t.dataDir, 'migrate', 'status', '--connection', 'orders production', '--dir', folder.dir])).code).toBe(0);
    const up = await cli(['--data-dir', t.dataDir, 'migrate', 'up', '--connection', 'Orders production', '--dir', folder.dir, '--yes']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(await exists('prod_one')).toBe(true);
  });

  it('GUI: applying needs the database name typed, exactly', async () => {
    folder.write('20240702000000_prod_two.sql', dbmateFile('CREATE TABLE prod_two (id int);'));
    await w.client.call('connections.open', { id });
    const settings = { ...defaultMigrationSettings, dir: folder.dir };
    const base = { connectionId: id, dir: folder.dir, settings, request: { action: 'up' as const } };
    const plan = await w.client.call('migrations.plan', base);
    expect(plan.production).toBe(true);
    expect(plan.database).toBe(db.name);
    await expect(w.client.call('migrations.apply', { ...base, runId: 'run-without-name' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining(`typing the database name (${db.name})`) });
    await expect(w.client.call('migrations.apply', { ...base, runId: 'run-wrong-name', confirmDatabase: db.name.toUpperCase() })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await exists('prod_two')).toBe(false);
    const ok = await w.client.call('migrations.apply', { ...base, runId: 'run-right-name', confirmDatabase: db.name });
    expect(ok.outcome).toBe('success');
    expect(await exists('prod_two')).toBe(true);
  });

  it('CLI: a repair on production also needs --yes', async () => {
    const r = await cli(['--data-dir', t.dataDir, 'migrate', 'repair', '--forget', '20240701000000', '--connection', 'Orders production', '--dir', folder.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/production connection/);
  });
});
