import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { mariadbFixture, postgresFixture, type EngineFixture } from './fixtures';
import { mariadbSessions, postgresSessions, sleep, watchSessions, type ServerSessions } from './server-sessions';

/**
 * A cancelled export stops its statement on the server as an abandoned grid window does
 * (window-cancel.test.ts): PostgreSQL through the protocol's cancel request, MariaDB through KILL QUERY
 * from a connection outside the pool, sent again while the statement runs. Checked from the server's
 * own list of sessions (pg_stat_activity, information_schema.PROCESSLIST): nothing of the export runs
 * afterwards, and the pool holds the same connections — none dropped, none left in a transaction
 * (PostgreSQL lists one as `idle in transaction`; MariaDB does not list read-only ones, so there a row
 * inserted after the cancel must be seen by every pooled connection: a transaction left open would keep
 * its older snapshot). Every path: the server's CSV writer (PostgreSQL COPY) and streamed rows (a
 * cursor; MariaDB's row stream), on the pool and in the read-only transaction of a raw WHERE.
 */

const POOL_SIZE = 3;
const ROWS = 3000;

interface ServerSide extends ServerSessions {
  engine: 'postgresql' | 'mariadb';
  create(): Promise<EngineFixture>;
  /** A view whose every row takes the server 2 ms: read on the pool, without a transaction. */
  slowView: string;
  /** A raw WHERE that takes 2 ms a row: read in a read-only transaction. */
  slowWhere: string;
}

const servers: ServerSide[] = [
  {
    engine: 'postgresql',
    create: postgresFixture,
    slowView: 'CREATE VIEW slow AS SELECT id, v, pg_sleep(0.002)::text AS x FROM t',
    slowWhere: 'pg_sleep(0.002) IS NOT NULL',
    ...postgresSessions,
  },
  {
    engine: 'mariadb',
    create: mariadbFixture,
    slowView: 'CREATE VIEW slow AS SELECT id, v, SLEEP(0.002) AS x FROM t',
    slowWhere: 'SLEEP(0.002) = 0',
    ...mariadbSessions,
  },
];

describe.each(servers)('cancelled exports on $engine', (s) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  let rows = ROWS;
  let seq = 0;
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-export-cancel-'));

  const { busy, sessionIds, waitUntil } = watchSessions(() => f, s);
  /** Every connection the pool had before is still there: none was dropped. */
  const samePool = async (before: Set<string>) => {
    const after = await sessionIds();
    for (const pid of before) expect(after.has(pid), `pooled connection ${pid} still there`).toBe(true);
  };
  const startExport = (format: 'csv' | 'jsonl', slow: 'view' | 'where', signal: AbortSignal) => {
    const path = join(dir, `export-${++seq}.${format}`);
    const query = slow === 'view' ? { table: { schema: f.schema, name: 'slow' } } : { table: { schema: f.schema, name: 't' }, where: s.slowWhere };
    const call = w.client.call('table.export', { connectionId: id, exportId: `cancel-${s.engine}-${seq}-abcdef`, query, format, path }, { signal });
    call.catch(() => undefined);
    return { call, path };
  };
  const count = async () => (await w.client.call('table.count', { connectionId: id, query: { table: { schema: f.schema, name: 't' } } })).value;
  /** Every pooled connection (several reads at once) sees a row inserted now: none holds an older snapshot. */
  const allSeeNewRow = async () => {
    rows += 1;
    await f.exec('INSERT INTO t VALUES (?, ?)', [rows, `row ${rows}`]);
    const counts = await Promise.all(Array.from({ length: POOL_SIZE * 4 }, () => count()));
    expect(counts).toEqual(counts.map(() => rows));
  };
  const noPartialFiles = () => expect(readdirSync(dir)).toEqual([]);

  beforeAll(async () => {
    f = await s.create();
    await f.exec(`CREATE TABLE t (id ${f.types.int} PRIMARY KEY, v ${f.types.text})`);
    const values = Array.from({ length: ROWS }, (_, i) => `(${i + 1}, 'row ${i + 1}')`).join(', ');
    await f.exec(`INSERT INTO t VALUES ${values}`);
    await f.exec(s.slowView);
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, f.url, { poolSize: POOL_SIZE });
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await f?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const paths = [
    { format: 'csv', slow: 'view' },
    { format: 'csv', slow: 'where' },
    { format: 'jsonl', slow: 'view' },
    { format: 'jsonl', slow: 'where' },
  ] as const;
  for (const p of paths) {
    const what = `${p.format === 'csv' ? 'CSV' : 'JSON lines'} export ${p.slow === 'view' ? 'on the pool (a slow view)' : 'in its read-only transaction (a raw WHERE)'}`;
    it(`a cancelled ${what} stops on the server within a second; the pool keeps the same connections, none in a transaction`, async () => {
      // Every pooled connection opened, their ids noted.
      await Promise.all(Array.from({ length: POOL_SIZE * 2 }, () => count()));
      const before = await sessionIds();
      expect(before.size).toBeGreaterThanOrEqual(POOL_SIZE);
      const controller = new AbortController();
      const { call, path } = startExport(p.format, p.slow, controller.signal);
      await waitUntil(async () => (await busy()).length > 0, 5000, 'running');
      // Rows are flowing (a batch or two written) before the cancel.
      await sleep(400);
      const at = Date.now();
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'cancelled' });
      await waitUntil(async () => (await busy()).length === 0, 1000, 'stopped');
      expect(Date.now() - at).toBeLessThan(1000);
      expect(existsSync(path)).toBe(false);
      noPartialFiles();
      await samePool(before);
      await allSeeNewRow();
    });
  }

  it('exports cancelled just after they were sent stop too, and leave the pool as it was', async () => {
    await Promise.all(Array.from({ length: POOL_SIZE * 2 }, () => count()));
    const before = await sessionIds();
    // Streamed rows and the server's CSV in turn on the same few connections: what one cancelled
    // export leaves on a connection (PostgreSQL: a stray CloseComplete of its cursor) must not reach
    // the next export's COPY, which would take it for the end of its data.
    for (let i = 0; i < 16; i++) {
      const controller = new AbortController();
      const { call } = startExport(i % 2 ? 'csv' : 'jsonl', i % 4 < 2 ? 'view' : 'where', controller.signal);
      await sleep(i % 5);
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    }
    await waitUntil(async () => (await busy()).length === 0, 1000, 'all stopped');
    noPartialFiles();
    await samePool(before);
    await allSeeNewRow();
  });

  it('an export that is not cancelled still writes every row, on the same connections', async () => {
    const before = await sessionIds();
    const path = join(dir, 'whole.csv');
    const done = await w.client.call('table.export', { connectionId: id, exportId: `whole-${s.engine}-abcdef`, query: { table: { schema: f.schema, name: 't' }, where: '1 = 1' }, format: 'csv', path });
    expect(done.rows).toBe(rows);
    rmSync(path);
    await samePool(before);
    expect((await busy()).length).toBe(0);
  });
});
