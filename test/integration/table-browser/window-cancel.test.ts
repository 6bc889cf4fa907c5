import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { mariadbFixture, postgresFixture, sqliteFixture, type EngineFixture } from './fixtures';
import { mariadbSessions, postgresSessions, sleep, watchSessions, type ServerSessions } from './server-sessions';

/**
 * A grid window (or count) whose caller aborts is stopped on the server: PostgreSQL through the
 * protocol's cancel request, MariaDB through KILL QUERY from a connection outside the pool. Checked
 * from the server's own list of sessions (pg_stat_activity, information_schema.PROCESSLIST), and the
 * pool's connections are the same ones afterwards, idle (not in a transaction), and answer.
 */

const POOL_SIZE = 3;

interface ServerSide extends ServerSessions {
  engine: 'postgresql' | 'mariadb';
  create(): Promise<EngineFixture>;
  /** A view whose every read takes 30 s: a window on it runs on the pool without a transaction. */
  slowView: string;
  /** A raw WHERE that takes 30 s: the window runs in a read-only transaction with a time limit. */
  slowWhere: string;
}

const servers: ServerSide[] = [
  {
    engine: 'postgresql',
    create: postgresFixture,
    slowView: 'CREATE VIEW slow AS SELECT pg_sleep(30)::text AS x',
    slowWhere: 'pg_sleep(30) IS NOT NULL',
    ...postgresSessions,
  },
  {
    engine: 'mariadb',
    create: mariadbFixture,
    slowView: 'CREATE VIEW slow AS SELECT SLEEP(30) AS x',
    slowWhere: 'SLEEP(30) = 0',
    ...mariadbSessions,
  },
];

describe.each(servers)('cancelled table windows on $engine', (s) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;

  const { busy, sessionIds, waitUntil } = watchSessions(() => f, s);
  const slowWindow = (signal: AbortSignal, where?: string) =>
    w.client.call('table.window', { connectionId: id, query: { table: { schema: f.schema, name: where ? 't' : 'slow' }, ...(where ? { where } : {}) }, window: { offset: 0, limit: 50 } }, { signal });
  const fastWindow = (offset: number) => w.client.call('table.window', { connectionId: id, query: { table: { schema: f.schema, name: 't' } }, window: { offset, limit: 10 } });

  beforeAll(async () => {
    f = await s.create();
    await f.exec(s.slowView);
    await f.exec(`CREATE TABLE t (id ${f.types.int} PRIMARY KEY, v ${f.types.text})`);
    for (let i = 1; i <= 100; i += 1) await f.exec('INSERT INTO t VALUES (?, ?)', [i, `row ${i}`]);
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, f.url, { poolSize: POOL_SIZE });
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await f?.drop();
  });

  for (const path of ['on the pool (a view)', 'in its read-only transaction (a raw WHERE)'] as const) {
    it(`an aborted window ${path} stops on the server within a second and answers cancelled`, async () => {
      const controller = new AbortController();
      const call = slowWindow(controller.signal, path.includes('WHERE') ? s.slowWhere : undefined);
      call.catch(() => undefined);
      await waitUntil(async () => (await busy()).length > 0, 5000, 'running');
      const at = Date.now();
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'cancelled' });
      await waitUntil(async () => (await busy()).length === 0, 1000, 'stopped');
      expect(Date.now() - at).toBeLessThan(1000);
      expect((await fastWindow(0)).batch.rowCount).toBe(10);
    });
  }

  it('a window aborted just after it was sent stops too (a cancel that reaches the server before its statement is sent again)', async () => {
    for (let i = 0; i < 12; i++) {
      const controller = new AbortController();
      const call = slowWindow(controller.signal, i % 2 ? s.slowWhere : undefined);
      call.catch(() => undefined);
      await sleep(i % 4);
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    }
    await waitUntil(async () => (await busy()).length === 0, 1000, 'all stopped');
    expect((await fastWindow(0)).batch.rowCount).toBe(10);
  });

  it('an aborted count stops on the server too, and answers cancelled (not an estimate)', async () => {
    const controller = new AbortController();
    const call = w.client.call('table.count', { connectionId: id, query: { table: { schema: f.schema, name: 't' }, where: s.slowWhere }, timeoutMs: 60_000 }, { signal: controller.signal });
    call.catch(() => undefined);
    await waitUntil(async () => (await busy()).length > 0, 5000, 'running');
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    await waitUntil(async () => (await busy()).length === 0, 1000, 'stopped');
  });

  it('after a burst of abandoned windows (more than the pool holds) nothing runs, and the same pooled connections answer, clean', async () => {
    // Warm the pool: every pooled connection opened, their ids noted.
    await Promise.all(Array.from({ length: POOL_SIZE * 2 }, (_, i) => fastWindow(i * 10)));
    const before = await sessionIds();
    // The pool's connections (and on MariaDB the one the KILLs come from).
    expect(before.size).toBeGreaterThanOrEqual(POOL_SIZE);
    expect(before.size).toBeLessThanOrEqual(POOL_SIZE + 1);
    const controllers = Array.from({ length: POOL_SIZE * 3 }, () => new AbortController());
    const calls = controllers.map((c, i) => slowWindow(c.signal, i % 2 ? s.slowWhere : undefined));
    for (const c of calls) c.catch(() => undefined);
    // Every pooled connection busy, the rest waiting for one.
    await waitUntil(async () => (await busy()).length === POOL_SIZE, 5000, 'the pool busy');
    for (const c of controllers) c.abort();
    const answers = await Promise.allSettled(calls);
    expect(answers.map((a) => (a.status === 'rejected' ? (a.reason as { code?: string }).code : 'answered'))).toEqual(controllers.map(() => 'cancelled'));
    await waitUntil(async () => (await busy()).length === 0, 1000, 'all stopped');
    // The pool works, with the same connections: none was dropped, none was left in a transaction.
    const reads = await Promise.all(Array.from({ length: 30 }, (_, i) => fastWindow(i * 3)));
    expect(reads.map((r) => [r.batch.rowCount, r.batch.values[1]![0]])).toEqual(reads.map((_, i) => [10, `row ${i * 3 + 1}`]));
    const after = await sessionIds();
    for (const pid of before) expect(after.has(pid), `pooled connection ${pid} still there`).toBe(true);
    expect((await busy()).length).toBe(0);
  });

  it('a window aborted before it is sent runs nothing', async () => {
    await expect(slowWindow(AbortSignal.abort())).rejects.toMatchObject({ code: 'cancelled' });
    expect((await busy()).length).toBe(0);
  });
});

describe('cancelled table windows on SQLite', () => {
  it('keep their statements bounded: an aborted window answers cancelled, and the connection goes on', async () => {
    const f = await sqliteFixture();
    const t = createTestCore();
    try {
      await f.exec(`CREATE TABLE t (id ${f.types.int} PRIMARY KEY, v ${f.types.text})`);
      for (let i = 1; i <= 100; i += 1) await f.exec('INSERT INTO t VALUES (?, ?)', [i, `row ${i}`]);
      const w = t.openWindow();
      const id = await saveProfileFromUrl(w.client, f.url);
      await w.client.call('connections.open', { id });
      const read = (signal?: AbortSignal) => w.client.call('table.window', { connectionId: id, query: { table: { schema: 'main', name: 't' } }, window: { offset: 0, limit: 10 } }, { signal });
      await expect(read(AbortSignal.abort())).rejects.toMatchObject({ code: 'cancelled' });
      // Aborted while the worker runs it: SQLite's window is one bounded statement; the call answers (rows or cancelled).
      const controller = new AbortController();
      const racing = read(controller.signal);
      controller.abort();
      const outcome = await racing.then(
        (r) => r.batch.rowCount,
        (e: { code?: string }) => e.code,
      );
      expect([10, 'cancelled']).toContain(outcome);
      expect((await read()).batch.rowCount).toBe(10);
    } finally {
      await t.close();
      await f.drop();
    }
  });
});
