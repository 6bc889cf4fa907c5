import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, POSTGRES, type TestDatabase } from '../../support/servers';
import { checkoutClient } from '../../../electron/core/engines/postgres/postgres-checkout';
import { createTestCore, saveProfileFromUrl, type TestCore } from '../../support/test-core';

/**
 * pg emits 'error' on a pooled client whose backend dies while it is checked out; pg-pool only listens
 * while the client is idle, so an unguarded checkout would end the worker (and every connection of the
 * window) with an unhandled error. Here the backend of a checked-out client is terminated from outside.
 */
describe('a PostgreSQL backend terminated while its pooled client is checked out', () => {
  let db: TestDatabase;
  let t: TestCore;
  let admin: pg.Client;
  let locker: pg.Client;
  beforeAll(async () => {
    db = await createPostgresDatabase();
    t = createTestCore();
    admin = new pg.Client({ ...POSTGRES, database: db.name });
    locker = new pg.Client({ ...POSTGRES, database: db.name });
    await admin.connect();
    await locker.connect();
    await admin.query('CREATE TABLE held (id int PRIMARY KEY, note text)');
    await admin.query(`INSERT INTO held SELECT g, 'n' || g FROM generate_series(1, 5) g`);
  });
  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await t?.close();
    await db?.drop();
  });

  it('leaves the worker running, reports the call, and the next call works', async () => {
    const w = t.openWindow();
    const id = await saveProfileFromUrl(w.client, db.url);
    await w.client.call('connections.open', { id });
    const thread = w.session.threadId;

    // schema.table checks a client out and runs several catalog queries on it; the lock makes one of
    // them wait (the index definitions, then the row count), so the client is checked out, mid-query,
    // when its backend is terminated. Should a wait end before the poll sees it, another round runs.
    let terminated = 0;
    for (let round = 0; round < 3 && terminated === 0; round++) {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
      const describing = w.client.call('schema.table', { connectionId: id, table: { schema: 'public', name: 'held' } }).then(
        (detail) => ({ detail }),
        (error: unknown) => ({ error: error as { code?: string } }),
      );
      for (let i = 0; i < 150 && terminated === 0; i++) {
        const { rows } = await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'DB Desk'
              AND wait_event_type = 'Lock'`,
        );
        for (const r of rows) {
          const killed = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [r.pid]);
          if (killed.rows[0]!.ok) terminated++;
        }
        if (terminated === 0) await new Promise((r) => setTimeout(r, 10));
      }
      await locker.query('ROLLBACK');
      const outcome = await describing;
      // Whatever the call says, it is not the worker's death.
      expect((outcome as { error?: { code?: string } }).error?.code).not.toBe('worker-crashed');
    }
    expect(terminated).toBeGreaterThan(0);

    // Give a late 'error' event time to land before looking for a crash.
    await new Promise((r) => setTimeout(r, 300));
    expect(w.events.filter((e) => e.name === 'session.crashed')).toEqual([]);
    expect(w.session.threadId).toBe(thread);

    // The same connection carries on: the broken client was not handed back to the pool.
    const detail = await w.client.call('schema.table', { connectionId: id, table: { schema: 'public', name: 'held' } });
    expect(detail.rowCount).toEqual({ value: 5, exact: true });
    const win = await w.client.call('table.window', { connectionId: id, query: { table: { schema: 'public', name: 'held' } }, window: { offset: 0, limit: 10 } });
    expect(win.batch.rowCount).toBe(5);
    await w.close();
  });

  it('checkoutClient: a backend that dies while the client is held idle is absorbed, and the client is not reused', async () => {
    // The exact moment that ends an unguarded worker: checked out, no query running, backend gone.
    // pg then emits 'error' on the client at once; with no listener Node throws it (here: the test run).
    const pool = new pg.Pool({ ...POSTGRES, database: db.name, max: 1 });
    try {
      const client = await checkoutClient(pool);
      const pid = (client as unknown as { processID: number }).processID;
      // Not events.once: it would listen for 'error' itself and hide a missing listener.
      const ended = new Promise((resolve) => client.once('end', resolve));
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await ended;
      client.release();
      // The broken client was destroyed rather than pooled: the next checkout is a new backend that works.
      const next = await checkoutClient(pool);
      try {
        expect((next as unknown as { processID: number }).processID).not.toBe(pid);
        expect((await next.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        next.release();
      }
      // Released, it listens no more: the pool's own idle listener takes over.
      expect(next.listenerCount('error')).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('every pool checkout in the PostgreSQL engine goes through the guarded helper', () => {
    // pool.query() guards itself; a bare pool.connect() does not (see postgres-checkout.ts).
    const dir = join(__dirname, '../../../electron/core/engines/postgres');
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'postgres-checkout.ts')
      .filter((f) => /\bpool\.connect\(\)/.test(readFileSync(join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
