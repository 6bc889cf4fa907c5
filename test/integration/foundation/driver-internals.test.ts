import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine, type EngineConfig } from '../../../electron/core/engines';
import { isEncrypted, MYSQL2_INTERNALS_VERIFIED, openConnections, readRowsFromWire, setPoolLimit, useMysql2Internals } from '../../../electron/core/engines/mysql/mysql2-internals';
import { backendPid, cancelKeyOf, connectedCount, CursorReader, destroySocket, PG_INTERNALS_VERIFIED, setPoolMax, socketOf, usePgInternals } from '../../../electron/core/engines/postgres/pg-internals';
import type { StatementSink } from '../../../electron/core/engines/query-session';
import { ConnectionFields } from '../../../shared/model/connection';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import { createMariadbDatabase, createPostgresDatabase, MARIADB, POSTGRES, type TestDatabase } from '../../support/servers';

/**
 * The conformance test of the driver adapters (engines/postgres/pg-internals.ts,
 * engines/mysql/mysql2-internals.ts): the drivers are the versions whose private parts were verified,
 * pinned exactly; every private part is there and answers as the public API does; and with the private
 * parts switched off, the public fallbacks still do the job, against the real servers.
 */
const root = join(__dirname, '..', '..', '..');
const verified: Record<string, string> = { ...PG_INTERNALS_VERIFIED, ...MYSQL2_INTERNALS_VERIFIED };
/** The installed version, read from the package's own package.json (some packages do not export it). */
const installed = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

function configFor(url: string): EngineConfig {
  const parsed = parseConnectionUrl(url);
  return { ...ConnectionFields.parse(parsed.fields), poolSize: 2 };
}

const quietSink: StatementSink = { columns: () => undefined, rows: async () => undefined };

describe('the drivers are the versions their adapters were verified with', () => {
  it('installed: an upgrade fails here until pg-internals.ts / mysql2-internals.ts are checked against it', () => {
    for (const [name, version] of Object.entries(verified)) {
      expect(installed(name), `${name} is not ${version}: re-check the private parts in electron/core/engines/{postgres/pg-internals.ts,mysql/mysql2-internals.ts} (the tests below say which one moved), then update the verified version`).toBe(version);
    }
  });

  it('package.json pins them (and better-sqlite3) exactly: no range lets npm move them', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const [name, version] of Object.entries({ ...verified, 'better-sqlite3': installed('better-sqlite3') })) expect(pkg.dependencies[name], name).toBe(version);
  });
});

describe.each([
  ['private parts', true],
  ['public fallbacks', false],
])('pg through its %s', (_label, internals) => {
  let db: TestDatabase;
  let client: pg.Client;
  let engine: Engine;
  beforeAll(async () => {
    usePgInternals(internals);
    db = await createPostgresDatabase();
    client = new pg.Client({ ...POSTGRES, database: db.name });
    await client.connect();
    engine = await openEngine(configFor(db.url));
  });
  afterAll(async () => {
    usePgInternals(true);
    await engine?.close();
    await client?.end().catch(() => undefined);
    await db?.drop();
  });

  it('the backend pid is the server’s', async () => {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(await backendPid(client)).toBe(rows[0]!.pid);
    if (internals) expect(cancelKeyOf(client)).toMatchObject({ processID: rows[0]!.pid, secretKey: expect.any(Number) });
    else expect(cancelKeyOf(client)).toBeNull();
  });

  it('a cursor hands over its fields, command and row count with the rows', async () => {
    const cursor = client.query(new Cursor<unknown[]>('SELECT n, n * 2 AS twice FROM generate_series(1, 5) n', undefined, { rowMode: 'array' }));
    const reader = new CursorReader(cursor);
    expect(await reader.read(3)).toHaveLength(3);
    expect(reader.result.fields.map((f) => f.name)).toEqual(['n', 'twice']);
    expect(await reader.read(3)).toHaveLength(2);
    expect(reader.done).toBe(true);
    // The server counts the rows of the last fetch of a portal ("SELECT 2"): an INSERT … RETURNING read
    // in one go is what the editor reports as rows affected.
    expect(reader.result).toMatchObject({ command: 'SELECT', rowCount: 2 });
  });

  it('the socket for the wire tap is offered only with the private parts', () => {
    expect(socketOf(client) !== null).toBe(internals);
  });

  it('the SQL editor’s cancel stops a running statement and the session goes on', async () => {
    const session = await engine.queryTools.openQuerySession({ readOnly: false, launchRunner: () => Promise.reject(new Error('no runner here')) as never });
    try {
      const running = session.run('SELECT pg_sleep(30)', quietSink, { batchRows: 100, maxRows: 1000 }).then(
        () => null,
        (err: unknown) => err,
      );
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      await session.cancel();
      expect(await running).toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(session.run('SELECT 1', quietSink, { batchRows: 100, maxRows: 1000 })).resolves.toMatchObject({ rowCount: 1 });
    } finally {
      await session.close();
    }
  });

  it('a CSV export through COPY counts its rows, header or not', async () => {
    await client.query('CREATE TABLE counted (id int, note text)');
    await client.query("INSERT INTO counted SELECT n, CASE WHEN n % 2 = 0 THEN E'two\\nlines' ELSE 'one' END FROM generate_series(1, 7) n");
    const query = { table: { schema: 'public', name: 'counted' }, sort: [], filter: null, where: null };
    for (const header of [true, false]) {
      const n = await engine.tableData.copyCsv(query, { header, delimiter: ',', signal: new AbortController().signal }, async () => undefined);
      expect(n, `header ${header}`).toBe(7);
    }
  });

  it('a pool’s connected clients are counted, and its size is lowered where pg-pool lets it be', async () => {
    const pool = new pg.Pool({ ...POSTGRES, database: db.name, max: 3 });
    try {
      (await pool.connect()).release();
      expect(connectedCount(pool)).toBe(1);
      expect(setPoolMax(pool, 1)).toBe(internals);
      const [a] = await Promise.all([pool.connect()]);
      a.release();
    } finally {
      await pool.end();
    }
  });

  it('destroySocket ends the connection', async () => {
    const doomed = new pg.Client({ ...POSTGRES, database: db.name });
    await doomed.connect();
    const ended = new Promise((resolve) => doomed.once('end', resolve));
    doomed.on('error', () => undefined);
    destroySocket(doomed);
    await ended;
    await expect(doomed.query('SELECT 1')).rejects.toThrow();
  });
});

describe.each([
  ['private parts', true],
  ['public fallbacks', false],
])('mysql2 through its %s', (_label, internals) => {
  let db: TestDatabase;
  let conn: mysql.Connection;
  beforeAll(async () => {
    useMysql2Internals(internals);
    db = await createMariadbDatabase();
    conn = mysql.createConnection({ ...MARIADB, database: db.name });
    await conn.promise().connect();
  });
  afterAll(async () => {
    useMysql2Internals(true);
    conn?.destroy();
    await db?.drop();
  });

  it('the row-parser hook takes a real query only with the private parts', async () => {
    const query = conn.query('SELECT 1');
    expect(readRowsFromWire(query, () => 'row')).toBe(internals);
    await new Promise((resolve) => query.once('end', resolve));
  });

  it('a pool’s open connections are counted (or unknown), and its limit lowered (or not)', async () => {
    const pool = mysql.createPool({ ...MARIADB, database: db.name, connectionLimit: 3 });
    try {
      await pool.promise().query('SELECT 1');
      expect(openConnections(pool)).toBe(internals ? 1 : null);
      expect(setPoolLimit(pool, 1)).toBe(internals);
      await pool.promise().query('SELECT 1');
    } finally {
      await pool.promise().end();
    }
  });

  it('TLS in use is read from the socket or asked of the server, and both say no on a plain session', async () => {
    expect(await isEncrypted(conn)).toBe(false);
  });
});
