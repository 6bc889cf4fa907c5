import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMigrationSettings } from '../../../shared/model/migrations';
import { MARIADB, POSTGRES } from '../../support/servers';
import { cli, dbmateFile, mariadbUnderTest, migrationFolder, postgresUnderTest, runCli } from '../../support/migrations';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

const LEASE = { DBDESK_MIGRATION_LOCK: 'lease-row' };

/**
 * Galera's strategy (GET_LOCK does not work across a cluster) forced on plain MariaDB: a lease row
 * with holder and expiry. A real cluster exercises it again in the galera suite.
 */
describe('the lease-row lock (Galera strategy) on MariaDB', () => {
  let db: Awaited<ReturnType<typeof mariadbUnderTest.create>>;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const folder = migrationFolder();
  const previous = process.env.DBDESK_MIGRATION_LOCK;

  beforeAll(async () => {
    db = await mariadbUnderTest.create();
    await db.exec('CREATE TABLE applied_log (migration varchar(50) NOT NULL)');
    for (let i = 1; i <= 2; i++) folder.write(`2024080100000${i}_m${i}.sql`, dbmateFile(`INSERT INTO applied_log VALUES ('m${i}');\nSELECT SLEEP(1);`));
    // The worker of the GUI's session reads it at start.
    process.env.DBDESK_MIGRATION_LOCK = 'lease-row';
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, db.url);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.DBDESK_MIGRATION_LOCK;
    else process.env.DBDESK_MIGRATION_LOCK = previous;
    await t?.close();
    await db?.drop();
    folder.remove();
  });
  const settings = () => ({ ...defaultMigrationSettings, dir: folder.dir });

  it('two runners at once: one applies each migration, the other waits for the named holder', async () => {
    const args = ['migrate', 'up', '--url', db.url, '--dir', folder.dir];
    const plan = await cli(['migrate', 'plan', '--url', db.url, '--dir', folder.dir], LEASE);
    expect(plan.stdout).toMatch(/Lock: A lease row in dbdesk_migrations_lock names the holder and expires 60 s after its last heartbeat/);
    const [a, b] = await Promise.all([cli(args, LEASE), cli(args, LEASE)]);
    expect([a.code, b.code], a.stdout + b.stdout).toEqual([0, 0]);
    expect((await db.query('SELECT migration FROM applied_log ORDER BY migration')).map((r) => r.migration)).toEqual(['m1', 'm2']);
    const loser = a.stdout.includes('2 migrations applied') ? b : a;
    expect(loser.stdout).toMatch(/Waiting for the migration lock, held by .*pid \d+/);
    // Released at the end: the row names nobody.
    expect((await db.query('SELECT token, holder FROM dbdesk_migrations_lock'))[0]).toMatchObject({ token: null, holder: null });
  });

  it('the GUI status shows a live holder while a run holds the lease', async () => {
    folder.write('20240801000003_m3.sql', dbmateFile("INSERT INTO applied_log VALUES ('m3');\nSELECT SLEEP(2);"));
    let release!: () => void;
    const started = new Promise<void>((r) => (release = r));
    const run = runCli(['migrate', 'up', '--url', db.url, '--dir', folder.dir], LEASE, (out) => out.includes('Applying') && release());
    await started;
    const status = await w.client.call('migrations.status', { connectionId: id, dir: folder.dir, settings: settings() });
    expect(status.lock).toMatchObject({ strategy: 'lease-row', stale: false, holder: expect.stringContaining(`pid ${run.pid}`) });
    expect(status.migrations.find((m) => m.version === '20240801000003')?.note).toMatch(/Being applied right now by/);
    expect((await run.done).code).toBe(0);
  });

  it('a lease whose time ran out is taken over; a live one is reported, then released on purpose', async () => {
    folder.write('20240801000004_m4.sql', dbmateFile("INSERT INTO applied_log VALUES ('m4');"));
    await db.exec("UPDATE dbdesk_migrations_lock SET token = 'dead-runner', holder = 'ops@old-box (pid 1)', host = 'old-box', pid = 1, acquired_at = '2024-01-01T00:00:00Z', expires_at_ms = 1000 WHERE id = 1");
    const taken = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir, '--wait', '0'], LEASE);
    expect(taken.code, taken.stdout).toBe(0);

    folder.write('20240801000005_m5.sql', dbmateFile("INSERT INTO applied_log VALUES ('m5');"));
    await db.exec("UPDATE dbdesk_migrations_lock SET token = 'live-runner', holder = 'ann@ci-7 (pid 4242)', host = 'ci-7', pid = 4242, acquired_at = '2024-01-01T00:00:00Z', expires_at_ms = CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) + 600000 WHERE id = 1");
    const refused = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir, '--wait', '1'], LEASE);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/held by ann@ci-7 \(pid 4242\) \(since 2024-01-01T00:00:00Z\); gave up after 1 s/);
    const status = await w.client.call('migrations.status', { connectionId: id, dir: folder.dir, settings: settings() });
    expect(status.lock).toMatchObject({ holder: 'ann@ci-7 (pid 4242)', ref: 'live-runner', stale: false, since: '2024-01-01T00:00:00Z' });
    await expect(w.client.call('migrations.releaseLock', { connectionId: id, settings: settings(), ref: 'someone-else' })).rejects.toMatchObject({ code: 'conflict' });
    const released = await w.client.call('migrations.releaseLock', { connectionId: id, settings: settings(), ref: 'live-runner' });
    expect(released.message).toMatch(/Released the lock held by ann@ci-7/);
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir, '--wait', '0'], LEASE)).code).toBe(0);
    expect((await db.query("SELECT count(*) AS n FROM applied_log WHERE migration IN ('m4', 'm5')"))[0]!.n).toEqual(2);
  });
});

describe('a session lock held by a hung runner', () => {
  it('PostgreSQL: the holder (its backend) is shown, and releasing ends that session', async () => {
    const db = await postgresUnderTest.create();
    const folder = migrationFolder({ '20240901000000_a.sql': dbmateFile('CREATE TABLE a (id int);') });
    const t = createTestCore();
    const hung = new pg.Client({ ...POSTGRES, database: db.name, application_name: 'hung runner' });
    try {
      const w = t.openWindow();
      const id = await saveProfileFromUrl(w.client, db.url);
      await w.client.call('connections.open', { id });
      const settings = { ...defaultMigrationSettings, dir: folder.dir, lockWaitSeconds: 1 };
      // A first run takes the lock and dies without letting go: simulate with the same key from a session that stays idle.
      const first = runCli(['migrate', 'up', '--url', db.url, '--dir', folder.dir]);
      expect((await first.done).code).toBe(0);
      await hung.connect();
      // The key is DB Desk's: take it the way a runner does, through the runner's own SQL.
      const { PostgresMigrationAdapter } = await import('../../../electron/core/engines/postgres/postgres-migrations');
      const adapter = new PostgresMigrationAdapter(null as never);
      const name = `dbdesk_migrations:public`;
      const conn = { query: (q: { sql: string; parameters: readonly unknown[] }) => hung.query(q.sql, [...q.parameters]).then((r) => ({ rows: r.rows, affected: r.rowCount ?? 0, insertId: null })) };
      expect(await adapter.trySessionLock(conn as never, name)).toBe(true);

      const status = await w.client.call('migrations.status', { connectionId: id, dir: folder.dir, settings });
      expect(status.lock).toMatchObject({ strategy: 'advisory-lock', holder: expect.stringContaining('"hung runner"'), ref: String((hung as unknown as { processID: number }).processID) });
      folder.write('20240901000001_b.sql', dbmateFile('CREATE TABLE b (id int);'));
      const blocked = await w.client.call('migrations.apply', { connectionId: id, dir: folder.dir, settings, request: { action: 'up' }, runId: 'blocked-run' });
      expect(blocked.outcome).toBe('lock-not-acquired');
      expect(blocked.holder?.holder).toContain('hung runner');

      hung.on('error', () => undefined);
      const released = await w.client.call('migrations.releaseLock', { connectionId: id, settings, ref: status.lock!.ref });
      expect(released.message).toMatch(/pg_terminate_backend/);
      const after = await w.client.call('migrations.apply', { connectionId: id, dir: folder.dir, settings, request: { action: 'up' }, runId: 'after-release' });
      expect(after.outcome).toBe('success');
    } finally {
      await hung.end().catch(() => undefined);
      await t.close();
      await db.drop();
      folder.remove();
    }
  });

  it('MariaDB: GET_LOCK held elsewhere is reported with its connection, and releasing kills it', async () => {
    const db = await mariadbUnderTest.create();
    const folder = migrationFolder({ '20240901000000_a.sql': dbmateFile('CREATE TABLE a (id int);') });
    const t = createTestCore();
    const hung = await mysql.createConnection({ ...MARIADB, database: db.name });
    hung.on('error', () => undefined);
    try {
      const w = t.openWindow();
      const id = await saveProfileFromUrl(w.client, db.url);
      await w.client.call('connections.open', { id });
      const settings = { ...defaultMigrationSettings, dir: folder.dir, lockWaitSeconds: 1 };
      const [got] = await hung.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS ok', [`dbdesk_migrations:${db.name}`]);
      expect(Number(got[0]!.ok)).toBe(1);
      const status = await w.client.call('migrations.status', { connectionId: id, dir: folder.dir, settings });
      expect(status.lock).toMatchObject({ strategy: 'named-lock', ref: String(hung.threadId), holder: expect.stringContaining(`connection ${hung.threadId}`) });
      const blocked = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir, '--wait', '1']);
      expect(blocked.code).toBe(1);
      expect(blocked.stdout).toMatch(new RegExp(`held by root@.*connection ${hung.threadId}`));
      const released = await w.client.call('migrations.releaseLock', { connectionId: id, settings, ref: status.lock!.ref });
      expect(released.message).toMatch(/KILL CONNECTION/);
      expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir, '--wait', '5'])).code).toBe(0);
    } finally {
      await hung.end().catch(() => undefined);
      await t.close();
      await db.drop();
      folder.remove();
    }
  });
});
