import type { PoolConnection } from 'mysql2';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import { ConnectionFields } from '../../../shared/model/connection';
import { openEngine } from '../../../electron/core/engines';
import type { EngineConfig } from '../../../electron/core/engines/config';
import type { MysqlEngine } from '../../../electron/core/engines/mysql/mysql-engine';
import type { PostgresEngine } from '../../../electron/core/engines/postgres/postgres-engine';
import type { SqliteEngine } from '../../../electron/core/engines/sqlite/sqlite-engine';
import { forkRunner } from '../../../electron/core/runner/fork-runner';
import { distPath } from '../../../electron/core/paths';
import { mariadbExec } from '../../support/servers';
import { createDatabase, ENGINES, openRunner, series, type EngineName } from './harness';

const POOL_SIZE = 5;

function configFor(url: string): EngineConfig {
  const parsed = parseConnectionUrl(url);
  return { ...ConnectionFields.parse({ ...parsed.fields, readOnly: true }), poolSize: POOL_SIZE };
}

/**
 * Antares #507: one pooled connection in five missed its SET … READ ONLY. Here every pooled
 * connection is checked out at the same time and each is asked to write; the server must refuse
 * on every one. Then the SQL editor's own session (its dedicated connection or runner process).
 */
describe.each(ENGINES)('read-only on %s is the server’s rule on every session', (engine: EngineName) => {
  it('refuses writes on every pooled connection at once', async () => {
    const db = await createDatabase(engine);
    const engineRef = await openEngine(configFor(db.url));
    try {
      if (engine === 'postgres') {
        const pool = (engineRef as PostgresEngine).pool;
        const clients: pg.PoolClient[] = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
        try {
          expect(new Set(clients.map((c) => (c as unknown as { processID: number }).processID)).size).toBe(POOL_SIZE);
          for (const c of clients) {
            expect((await c.query('SHOW transaction_read_only')).rows[0].transaction_read_only).toBe('on');
            await expect(c.query('CREATE TABLE ro_probe (id int)')).rejects.toMatchObject({ code: '25006' });
          }
        } finally {
          for (const c of clients) c.release();
        }
      } else if (engine === 'mariadb') {
        const pool = (engineRef as MysqlEngine).pool;
        const conns = await Promise.all(Array.from({ length: POOL_SIZE }, () => new Promise<PoolConnection>((res, rej) => pool.getConnection((e, c) => (e ? rej(e) : res(c))))));
        try {
          expect(new Set(conns.map((c) => c.threadId)).size).toBe(POOL_SIZE);
          for (const c of conns) {
            const [rows] = await c.promise().query('SELECT @@session.tx_read_only AS ro');
            expect(Number((rows as { ro: number }[])[0]!.ro)).toBe(1);
          }
          // A real write on a real table, on each connection: ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION.
          await mariadbExec(db.name, 'CREATE TABLE ro_probe (id int) ENGINE=InnoDB');
          for (const c of conns) await expect(c.promise().query('INSERT INTO ro_probe VALUES (1)')).rejects.toMatchObject({ errno: 1792 });
        } finally {
          for (const c of conns) c.release();
        }
      } else {
        const sqlite = engineRef as SqliteEngine;
        expect(sqlite.db.readonly).toBe(true);
        expect(() => sqlite.db.exec('CREATE TABLE ro_probe (id int)')).toThrow(/readonly/);
      }
    } finally {
      await engineRef.close();
      await db.drop();
    }
  });

  it('refuses writes in the SQL editor’s own session, whatever the statement', async () => {
    const r = await openRunner(engine, { readOnly: true });
    try {
      const s = await r.session();
      expect(s.readOnly).toBe(true);
      const out = await r.run('SELECT 1;\nCREATE TABLE ro_editor (id int);', { continueOnError: true });
      expect(out.output.results[0]!.status).toBe('ok');
      expect(out.output.results[1]!.status).toBe('error');
      expect(out.output.results[1]!.error!.message).toMatch(/read.only|readonly/i);
      // A second editor tab (another dedicated connection or runner process) is read-only too.
      const other = await r.run('CREATE TABLE ro_editor2 (id int)', { sessionId: 'tab2' });
      expect(other.output.results[0]!.error!.message).toMatch(/read.only|readonly/i);
    } finally {
      await r.close();
    }
  });
});

/** Statements that ask the server for read-write, each on its own and after it a write that must still fail. */
const READ_WRITE_REQUESTS: Record<'postgres' | 'mariadb', string[]> = {
  postgres: ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', 'SET default_transaction_read_only = off', 'BEGIN READ WRITE'],
  mariadb: ['SET SESSION TRANSACTION READ WRITE', 'SET SESSION tx_read_only = 0', 'START TRANSACTION READ WRITE'],
};

describe.each(['postgres', 'mariadb'] as const)('read-only on %s cannot be switched off from the SQL editor', (engine) => {
  it('undoes and refuses a statement that asks for read-write; the next write is still refused', async () => {
    const r = await openRunner(engine, { readOnly: true });
    try {
      await r.session();
      for (const request of READ_WRITE_REQUESTS[engine]) {
        const out = await r.run(`${request};\nCREATE TABLE rw_probe (id int);`, { continueOnError: true });
        expect(out.output.results[0]!.status, request).toBe('error');
        expect(out.output.results[0]!.error!.message).toMatch(/read-only/);
        expect(out.output.session.transactionOpen, request).toBe(false);
        expect(out.output.results[1]!.status, request).toBe('error');
        expect(out.output.results[1]!.error!.message).toMatch(/read.only/i);
      }
      // Reads go on as before, in auto-commit and in manual mode.
      expect((await r.run('SELECT 1 AS one')).output.results[0]!.status).toBe('ok');
      await r.w.client.call('query.setAutoCommit', { sessionId: 'tab1', autoCommit: false });
      const manual = await r.run('SELECT 1 AS one;\nSELECT 2 AS two;');
      expect(manual.output.results.map((x) => x.status)).toEqual(['ok', 'ok']);
      await r.w.client.call('query.rollback', { sessionId: 'tab1' });
    } finally {
      await r.close();
    }
  });
});

describe.each(['postgres', 'mariadb'] as const)('the process list on %s', (engine) => {
  it('shows a running statement with its duration, and cancels or terminates it', async () => {
    const r = await openRunner(engine);
    try {
      const s = await r.session('busy');
      const sleep = engine === 'postgres' ? 'SELECT pg_sleep(30)' : 'SELECT SLEEP(30)';
      const running = r.run(sleep, { sessionId: 'busy' });
      let mine;
      for (let i = 0; i < 50 && !mine; i++) {
        await new Promise((res) => setTimeout(res, 100));
        const list = await r.w.client.call('query.processes', { connectionId: r.profileId });
        mine = list.find((p) => p.id === s.backendId && /sleep/i.test(p.query ?? '') && (p.durationMs ?? 0) > 0);
      }
      expect(mine).toBeDefined();
      expect(mine!.own).toBe(true);
      expect(await r.w.client.call('query.killProcess', { connectionId: r.profileId, processId: mine!.id, mode: 'cancel' })).toEqual({ done: true });
      const out = await running;
      // The statement ended early: PostgreSQL and MariaDB fail it (MySQL's SLEEP returns 1 instead).
      const first = out.output.results[0]!;
      expect(first.status === 'error' || Number(out.rows.get(0)?.[0]?.[0]) === 1).toBe(true);
      expect(first.durationMs).toBeLessThan(10_000);
      // The session is still there after a cancel…
      expect((await r.run('SELECT 5', { sessionId: 'busy' })).rows.get(0)![0]).toEqual([5]);
      // …and gone after a terminate (the next statement reconnects).
      expect(await r.w.client.call('query.killProcess', { connectionId: r.profileId, processId: s.backendId!, mode: 'terminate' })).toEqual({ done: true });
      await new Promise((res) => setTimeout(res, 200));
      const after = await r.w.client.call('query.processes', { connectionId: r.profileId });
      expect(after.some((p) => p.id === s.backendId)).toBe(false);
    } finally {
      await r.close();
    }
  });
});

describe.each(['postgres', 'mariadb'] as const)('a connection dropped while a result streams on %s', (engine) => {
  it('fails the statement with the reason, and the next statement on the session reconnects', async () => {
    const r = await openRunner(engine);
    try {
      const s = await r.session('drop');
      const runId = `drop-${engine}`;
      let batches = 0;
      const off = r.w.client.on('query.batch', (p) => {
        if (p.runId === runId) batches++;
      });
      try {
        // One credit and none given back yet: the session has read a batch and waits with its result open.
        const running = r.w.client.call('query.run', { sessionId: 'drop', runId, statements: [{ sql: series(engine, 200_000), offset: 0 }], initialCredit: 1, batchRows: 1000 });
        await expect.poll(() => batches, { timeout: 10_000 }).toBe(1);
        expect(await r.w.client.call('query.killProcess', { connectionId: r.profileId, processId: s.backendId!, mode: 'terminate' })).toEqual({ done: true });
        await new Promise((res) => setTimeout(res, 300));
        await r.w.client.call('query.credit', { runId, batches: 1000 });
        const out = await Promise.race([running, new Promise<null>((res) => setTimeout(() => res(null), 10_000))]);
        expect(out, 'the run did not end after its connection was terminated').not.toBeNull();
        const first = out!.results[0]!;
        expect(first.status).toBe('error');
        expect(first.error?.message).toMatch(engine === 'postgres' ? /^terminating connection due to administrator command/ : /^Connection lost: The server closed the connection/);
        const again = await r.run('SELECT 7 AS n', { sessionId: 'drop' });
        expect(again.output.results[0]!.status).toBe('ok');
        expect(Number(again.rows.get(0)![0]![0])).toBe(7);
      } finally {
        off();
      }
    } finally {
      await r.close();
    }
  });
});

describe('SQLite runners started by the main thread (the Electron path)', () => {
  it('runs and cancels through the relay', async () => {
    const r = await openRunner('sqlite', {}, { workerEnv: { DBDESK_RUNNER_VIA_MAIN: '1' } });
    try {
      expect((await r.run('SELECT 6 * 7 AS answer')).rows.get(0)![0]).toEqual([42]);
      const controller = new AbortController();
      const running = r.run('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r', { signal: controller.signal });
      await new Promise((res) => setTimeout(res, 400));
      const t0 = performance.now();
      controller.abort();
      const out = await running;
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(out.output.results[0]!.status).toBe('cancelled');
      expect((await r.run('SELECT 1 AS again')).rows.get(0)![0]).toEqual([1]);
    } finally {
      await r.close();
    }
  });

  it('a forked runner refuses a file that does not exist', async () => {
    const runner = forkRunner(distPath('sqlite-runner.cjs'));
    const message = new Promise<unknown>((resolve) => runner.onMessage(resolve));
    runner.send({ type: 'open', file: '/nonexistent/dir/x.sqlite', readOnly: false, busyTimeoutMs: 100 });
    expect(await message).toMatchObject({ type: 'error', id: -1 });
    await runner.kill();
  });
});
