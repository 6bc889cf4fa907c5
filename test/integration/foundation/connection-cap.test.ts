import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariadbDatabase, createPostgresDatabase, MARIADB, mariadbAdmin, POSTGRES, postgresAdmin, randomName, type TestDatabase } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

interface CappedAccount {
  engine: 'postgresql' | 'mariadb';
  db: TestDatabase;
  /** A URL logging in as the limited account. */
  url: string;
  /** The other client holding one of the account's connections. */
  holder: { end(): Promise<void> };
  remedy: RegExp;
  drop(): Promise<void>;
}

/** A PostgreSQL role allowed 2 connections, one of them held by another client: DB Desk gets 1. */
async function postgresAccount(): Promise<CappedAccount> {
  const db = await createPostgresDatabase();
  const role = randomName('dbdesk_cap');
  const admin = await postgresAdmin();
  await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 2`);
  await admin.end();
  const owner = new pg.Client({ ...POSTGRES, database: db.name });
  await owner.connect();
  await owner.query(`GRANT ALL ON SCHEMA public TO ${role}`);
  await owner.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await owner.query("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 300) g");
  await owner.query(`GRANT ALL ON items TO ${role}`);
  await owner.end();
  const holder = new pg.Client({ ...POSTGRES, user: role, database: db.name });
  await holder.connect();
  return {
    engine: 'postgresql',
    db,
    url: `postgres://${role}@${POSTGRES.host}:${POSTGRES.port}/${db.name}?sslmode=disable`,
    holder,
    remedy: new RegExp(`ALTER ROLE "${role}" CONNECTION LIMIT`),
    async drop() {
      await holder.end().catch(() => undefined);
      await db.drop();
      const a = await postgresAdmin();
      await a.query(`DROP ROLE IF EXISTS ${role}`);
      await a.end();
    },
  };
}

/** A MariaDB user with MAX_USER_CONNECTIONS 2, one of them held by another client. */
async function mariadbAccount(): Promise<CappedAccount> {
  const db = await createMariadbDatabase();
  const user = randomName('dbdesk_cap');
  const password = 'Cap-Pw-7';
  const admin = await mariadbAdmin();
  await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}' WITH MAX_USER_CONNECTIONS 2`);
  await admin.query(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'%'`);
  await admin.query(`CREATE TABLE \`${db.name}\`.items (id int PRIMARY KEY, name text)`);
  await admin.query(`INSERT INTO \`${db.name}\`.items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_300`);
  await admin.end();
  const holder = await mysql.createConnection({ host: MARIADB.host, port: MARIADB.port, user, password, database: db.name });
  return {
    engine: 'mariadb',
    db,
    url: `mariadb://${user}:${password}@${MARIADB.host}:${MARIADB.port}/${db.name}?sslmode=disable`,
    holder,
    remedy: /WITH MAX_USER_CONNECTIONS/,
    async drop() {
      await holder.end().catch(() => undefined);
      await db.drop();
      const a = await mariadbAdmin();
      await a.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await a.end();
    },
  };
}

/**
 * The guide's "too many connections": an account with one connection left. DB Desk's pool (size 5)
 * works within it — every request answered in turn, the SQL editor too — and says once why.
 */
describe.each([
  { name: 'PostgreSQL (role CONNECTION LIMIT)', make: postgresAccount },
  { name: 'MariaDB (MAX_USER_CONNECTIONS)', make: mariadbAccount },
])('a pool under a server-side connection cap: $name', ({ make }) => {
  let account: CappedAccount;
  let t: TestCore;
  let w: TestWindow;
  let id: string;

  beforeAll(async () => {
    account = await make();
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, account.url, { poolSize: 5 });
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await account?.drop();
  });

  it('answers every request in turn with the one connection granted, and says so once with the numbers and the remedy', async () => {
    const schema = account.engine === 'postgresql' ? 'public' : account.db.name;
    const table = { schema, name: 'items' };
    // What opening a table does at once, twice over: describe, windows, counts.
    const answers = await Promise.all([
      w.client.call('schema.table', { connectionId: id, table }),
      ...[0, 50, 100, 150, 200, 250].map((offset) => w.client.call('table.window', { connectionId: id, query: { table }, window: { offset, limit: 50 } })),
      w.client.call('table.count', { connectionId: id, query: { table } }),
      w.client.call('table.count', { connectionId: id, query: { table, where: 'id > 100' } }),
    ]);
    const windows = answers.slice(1, 7) as { batch: { rowCount: number; values: unknown[][] } }[];
    expect(windows.map((x) => x.batch.rowCount)).toEqual([50, 50, 50, 50, 50, 50]);
    expect(windows.map((x) => Number(x.batch.values[0]![0]))).toEqual([1, 51, 101, 151, 201, 251]);
    expect(answers.slice(7).map((c) => (c as { value: number }).value)).toEqual([300, 200]);

    const capped = w.events.filter((e) => e.name === 'connection.capped').map((e) => e.payload as Record<string, unknown>);
    expect(capped).toHaveLength(1);
    expect(capped[0]).toMatchObject({ connectionId: id, granted: 1, poolSize: 5, scope: 'account', message: expect.stringMatching(/^This account’s connection limit caps this connection at 1 of its 5 pooled connections/), remedy: expect.stringMatching(account.remedy) });
  });

  it('the SQL editor opens a session and runs statements on the shared connection (no "No session")', async () => {
    const session = await w.client.call('query.openSession', { connectionId: id, sessionId: 'capped' });
    expect(session.sessionId).toBe('capped');
    const run = (sql: string) => w.client.call('query.run', { sessionId: 'capped', runId: randomName('run'), statements: [{ sql, offset: 0 }] });
    const [one, window] = await Promise.all([
      run('SELECT count(*) AS n FROM items'),
      w.client.call('table.window', { connectionId: id, query: { table: { schema: account.engine === 'postgresql' ? 'public' : account.db.name, name: 'items' } }, window: { offset: 0, limit: 10 } }),
    ]);
    expect(one.results[0]).toMatchObject({ status: 'ok', rowCount: 1 });
    expect(window.batch.rowCount).toBe(10);
    // A transaction keeps the connection until it ends; the table browser waits for it, then goes on.
    await w.client.call('query.setAutoCommit', { sessionId: 'capped', autoCommit: false });
    const update = await run("UPDATE items SET name = 'changed' WHERE id = 1");
    expect(update.results[0]).toMatchObject({ status: 'ok', rowsAffected: 1 });
    expect(update.session.transactionOpen).toBe(true);
    const waiting = w.client.call('table.window', { connectionId: id, query: { table: { schema: account.engine === 'postgresql' ? 'public' : account.db.name, name: 'items' } }, window: { offset: 0, limit: 1 } });
    const committed = await w.client.call('query.commit', { sessionId: 'capped' });
    expect(committed.transactionOpen).toBe(false);
    const after = await waiting;
    expect(after.batch.values[1]![0]).toBe('changed');
    await w.client.call('query.closeSession', { sessionId: 'capped' });
  });
});
