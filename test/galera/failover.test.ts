import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/ipc/contract';
import { IpcCallError } from '../../shared/ipc/errors';
import { openEngine } from '../../electron/core/engines';
import { GaleraClusterEngine } from '../../electron/core/engines/mysql/galera/cluster-engine';
import { GaleraCluster } from '../support/galera/galera-cluster';
import { engineConfigFromUrl, waitForEvent } from '../support/galera/app';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../support/test-core';

type Failover = EventPayload<'connection.failover'>;

describe('a cluster connection when a node dies (real three-node Galera cluster)', () => {
  let cluster: GaleraCluster;
  let core: TestCore;
  let w: TestWindow;

  beforeAll(async () => {
    cluster = await GaleraCluster.start();
    await cluster.sql(1, 'CREATE TABLE testdb.customers (id int PRIMARY KEY, name varchar(40)) CHARACTER SET utf8mb4; INSERT INTO testdb.customers VALUES (1, "Ada"), (2, "Grace")');
    core = createTestCore();
    w = core.openWindow();
  });
  afterEach(async () => {
    for (const p of await w.client.call('connections.list', {})) await w.client.call('connections.close', { id: p.id });
    await cluster.heal();
  });
  afterAll(async () => {
    await w?.close();
    await core?.close();
    await cluster?.destroy();
  });

  it('moves to a healthy node when node 2 is killed while a table is browsed, and says which node it left and why', async () => {
    const id = await saveProfileFromUrl(w.client, cluster.url([2, 1, 3]), { name: 'Cluster 2-1-3' });
    const open = await w.client.call('connections.open', { id });
    expect(open.endpoint).toBe(cluster.endpoint(2)); // the first usable node in the profile's order
    expect(open.serverInfo.galera).toBe(true);
    expect((await w.client.call('schema.tables', { connectionId: id, schema: 'testdb' })).map((t) => t.name)).toContain('customers');

    const before = w.events.length;
    await cluster.kill(2);
    const moved = await waitForEvent<Failover>(w, 'connection.failover', (e) => e.connectionId === id, 20_000, before);
    expect(moved.from).toBe(cluster.endpoint(2));
    expect([cluster.endpoint(1), cluster.endpoint(3)]).toContain(moved.to);
    expect(moved.reason).toMatch(/closed the connection|connection was cut|refused the connection|did not answer/);

    // Browsing goes on, on the new node.
    const detail = await w.client.call('schema.table', { connectionId: id, table: { schema: 'testdb', name: 'customers' } });
    expect(detail.rowCount).toEqual({ value: 2, exact: true });
    expect((await w.client.call('schema.tables', { connectionId: id, schema: 'testdb' })).map((t) => t.name)).toContain('customers');

    // The cluster view's data flags the dead node at once, and names the node in use.
    const snap = await w.client.call('galera.snapshot', { connectionId: id });
    const dead = snap.nodes.find((n) => n.endpoint === cluster.endpoint(2))!;
    expect(dead.reachable).toBe(false);
    expect(dead.flags.map((f) => f.kind)).toEqual(['unreachable']);
    expect(snap.nodes.find((n) => n.current)?.endpoint).toBe(moved.to);
    expect(snap.health).toBe('degraded');

    // Node 2 comes back by IST; the view shows three usable nodes again. The connection stays where it is.
    expect(await cluster.restart(2)).toBe('IST');
    await expect.poll(async () => (await w.client.call('galera.snapshot', { connectionId: id })).health, { timeout: 15_000 }).toBe('healthy');
    await w.client.call('connections.close', { id });
  });

  it('reports a statement in flight on a node that dies as failed, and does not run it again elsewhere', async () => {
    const config = engineConfigFromUrl(cluster.url([3, 1, 2]));
    const engine = await openEngine(config);
    try {
      expect(engine).toBeInstanceOf(GaleraClusterEngine);
      const cluster3 = engine as unknown as GaleraClusterEngine;
      expect(cluster3.endpoint).toBe(cluster.endpoint(3));
      await cluster3.withNode((n) => n.promisePool.query('CREATE TABLE testdb.inflight (id int AUTO_INCREMENT PRIMARY KEY, slept int) ENGINE=InnoDB'));

      // An INSERT that is still running (sleeping inside its statement) when node 3 is killed.
      const insert = cluster3.withNode((n) => n.promisePool.query('INSERT INTO testdb.inflight (slept) SELECT SLEEP(3)'));
      const outcome = insert.then(
        () => 'succeeded',
        (err: unknown) => err,
      );
      await new Promise((r) => setTimeout(r, 500));
      await cluster.kill(3);
      const err = (await outcome) as { code?: string; message?: string; detail?: Record<string, unknown> };
      expect(err.code).toBe('connection-failed');
      expect(err.message).toContain(`Node ${cluster.endpoint(3)} failed while the statement ran`);
      expect(err.message).toContain('not run again on another node');
      expect(err.detail).toMatchObject({ node: cluster.endpoint(3), notRetried: true });
      expect(cluster3.endpoint).not.toBe(cluster.endpoint(3));

      // Nothing was inserted anywhere — not even after the insert would have finished had it been retried.
      await new Promise((r) => setTimeout(r, 3500));
      for (const n of [1, 2]) expect((await cluster.sql(n, 'SELECT COUNT(*) AS c FROM testdb.inflight'))[0]!.c).toBe(0);
      // The next statement runs on the new node.
      await cluster3.withNode((n) => n.promisePool.query('INSERT INTO testdb.inflight (slept) VALUES (0)'));
      for (const n of [1, 2]) expect((await cluster.sql(n, 'SET STATEMENT wsrep_sync_wait=1 FOR SELECT COUNT(*) AS c FROM testdb.inflight'))[0]!.c).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('reports a browse in flight on a hung node that is then killed as failed, through the app', async () => {
    const id = await saveProfileFromUrl(w.client, cluster.url([1, 2, 3]), { name: 'Cluster 1-2-3' });
    expect((await w.client.call('connections.open', { id })).endpoint).toBe(cluster.endpoint(1));
    await w.client.call('schema.tables', { connectionId: id, schema: 'testdb' });

    cluster.freeze(1); // the node stops answering; the browse below waits for it
    let settled = false;
    const browse = w.client.call('schema.tables', { connectionId: id, schema: 'testdb' }).then(
      () => null,
      (e: unknown) => e,
    );
    void browse.finally(() => (settled = true));
    // Long enough for the query to reach the frozen node on a busy machine; well under the 5 s
    // health-check timeout, so nothing but the kill below can end the wait.
    await new Promise((r) => setTimeout(r, 1500));
    expect(settled, 'the browse finished although its node is frozen').toBe(false);
    const before = w.events.length;
    await cluster.kill(1);
    const err = await browse;
    expect(err, `the browse succeeded; events: ${JSON.stringify(w.events.slice(before))}`).toBeInstanceOf(IpcCallError);
    expect((err as IpcCallError).code).toBe('connection-failed');
    expect((err as IpcCallError).message).toMatch(new RegExp(`Node ${cluster.endpoint(1).replace(/\./g, '\\.')} failed while the statement ran`));
    expect((err as IpcCallError).detail).toMatchObject({ notRetried: true });
    const moved = await waitForEvent<Failover>(w, 'connection.failover', (e) => e.connectionId === id, 20_000, before);
    expect(moved.from).toBe(cluster.endpoint(1));
    expect((await w.client.call('schema.tables', { connectionId: id, schema: 'testdb' })).map((t) => t.name)).toContain('customers');
  });

  /** Rows on node n after it applied everything committed anywhere before (a causal read). */
  const countOn = async (n: number, sql: string) => Number((await cluster.sql(n, `SET STATEMENT wsrep_sync_wait=1 FOR ${sql}`))[0]!.c);

  it('an edit batch in flight when its node (2) is killed: reported failed, not re-run elsewhere, never applied twice', async () => {
    // Every insert sleeps 10 ms in a trigger: 400 of them keep the batch's one transaction open for about 4 s.
    await cluster.sql(1, 'CREATE TABLE testdb.ledger (id int AUTO_INCREMENT PRIMARY KEY, batch varchar(10) NOT NULL, n int NOT NULL, slept int NULL)');
    await cluster.sql(1, 'CREATE TRIGGER testdb.ledger_slow BEFORE INSERT ON testdb.ledger FOR EACH ROW SET NEW.slept = SLEEP(0.01)');
    expect(await countOn(2, 'SELECT COUNT(*) AS c FROM testdb.ledger')).toBe(0); // node 2 has the table and its trigger
    const id = await saveProfileFromUrl(w.client, cluster.url([2, 1, 3]), { name: 'Edits on 2' });
    expect((await w.client.call('connections.open', { id })).endpoint).toBe(cluster.endpoint(2));
    const edits = {
      table: { schema: 'testdb', name: 'ledger' },
      changes: Array.from({ length: 400 }, (_, i) => ({ kind: 'insert' as const, id: `i:${i}`, values: [{ column: 'batch', value: 'b1' }, { column: 'n', value: i }] })),
    };
    const before = w.events.length;
    const applying = w.client.call('table.applyEdits', { connectionId: id, edits }).then(
      (r) => r,
      (e: unknown) => e as IpcCallError,
    );
    await new Promise((r) => setTimeout(r, 1200));
    await cluster.kill(2);
    const outcome = await applying;
    // Reported failed, with the node named, and not run again on the node the connection moved to.
    expect(outcome, JSON.stringify(outcome)).toBeInstanceOf(IpcCallError);
    const err = outcome as IpcCallError;
    expect(err.code).toBe('connection-failed');
    expect(err.message).toContain(`Node ${cluster.endpoint(2)} failed while the statement ran`);
    expect(err.message).toContain('It had not been committed, so nothing of it was applied, and it was not run again on another node');
    expect(err.detail).toMatchObject({ node: cluster.endpoint(2), notRetried: true, committed: 'no' });
    const moved = await waitForEvent<Failover>(w, 'connection.failover', (e) => e.connectionId === id, 20_000, before);
    expect(moved.from).toBe(cluster.endpoint(2));
    // Its transaction never committed: no row of it on the surviving nodes — nor later (nothing re-ran it).
    for (const n of [1, 3]) expect(await countOn(n, "SELECT COUNT(*) AS c FROM testdb.ledger WHERE batch = 'b1'"), `node ${n}`).toBe(0);
    await new Promise((r) => setTimeout(r, 2000));
    for (const n of [1, 3]) expect(await countOn(n, "SELECT COUNT(*) AS c FROM testdb.ledger WHERE batch = 'b1'"), `node ${n}`).toBe(0);
    // The user applies it again, on the node the connection moved to: exactly once.
    const again = await w.client.call('table.applyEdits', { connectionId: id, edits });
    expect(again).toMatchObject({ applied: true, rowsAffected: 400 });
    for (const n of [1, 3]) {
      expect(await countOn(n, "SELECT COUNT(*) AS c FROM testdb.ledger WHERE batch = 'b1'"), `node ${n}`).toBe(400);
      expect(await countOn(n, "SELECT COUNT(DISTINCT n) AS c FROM testdb.ledger WHERE batch = 'b1'"), `node ${n}`).toBe(400);
    }
  });

  it('an aborted window or count on a cluster connection stops on its node, as on a single server', async () => {
    await cluster.sql(1, 'CREATE OR REPLACE VIEW testdb.slow AS SELECT SLEEP(30) AS x');
    const id = await saveProfileFromUrl(w.client, cluster.url([1, 2, 3]), { name: 'Cancel on a cluster' });
    await w.client.call('connections.open', { id });
    const running = async () => (await cluster.sql(1, "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%slow%' AND INFO NOT LIKE '%PROCESSLIST%'")).length;
    const query = { table: { schema: 'testdb', name: 'slow' } };
    for (const call of [
      (signal: AbortSignal) => w.client.call('table.window', { connectionId: id, query, window: { offset: 0, limit: 10 } }, { signal }),
      (signal: AbortSignal) => w.client.call('table.count', { connectionId: id, query: { ...query, where: 'SLEEP(30) = 0' }, timeoutMs: 60_000 }, { signal }),
    ]) {
      const controller = new AbortController();
      const answer = call(controller.signal);
      answer.catch(() => undefined);
      for (const until = Date.now() + 5000; (await running()) === 0; ) if (Date.now() > until) throw new Error('the statement never ran');
      controller.abort();
      await expect(answer).rejects.toMatchObject({ code: 'cancelled' });
      const stoppedBy = Date.now() + 1000;
      while ((await running()) > 0) if (Date.now() > stoppedBy) throw new Error('still running on node 1 a second after the cancel');
    }
    await cluster.sql(1, 'DROP VIEW testdb.slow');
  });

  it('a batch over wsrep_max_ws_rows: refused with the reason, then applied as the agreed transactions', async () => {
    await cluster.sql(1, 'CREATE TABLE testdb.stock (id int PRIMARY KEY, qty int NOT NULL)');
    await cluster.sql(1, `INSERT INTO testdb.stock VALUES ${Array.from({ length: 12 }, (_, i) => `(${i + 1}, 0)`).join(', ')}`);
    const id = await saveProfileFromUrl(w.client, cluster.url([1, 2, 3]), { name: 'Limits' });
    await w.client.call('connections.open', { id });
    for (const n of [1, 2, 3]) await cluster.sql(n, 'SET GLOBAL wsrep_max_ws_rows = 5');
    try {
      const win = await w.client.call('table.window', { connectionId: id, query: { table: { schema: 'testdb', name: 'stock' } }, window: { offset: 0, limit: 100 } });
      const changes = win.rowIds![0]!.map((rowId, r) => ({ kind: 'update' as const, id: `u:${String(rowId)}`, rowId: [rowId], version: win.versions![r]!, values: [{ column: 'qty', value: Number(rowId) * 10 }] }));
      const edits = { table: { schema: 'testdb', name: 'stock' }, changes };
      // Review SQL says why, and how it could be split.
      const preview = await w.client.call('table.previewEdits', { connectionId: id, edits });
      expect(preview.limit).toMatchObject({ variable: 'wsrep_max_ws_rows', value: 5, batch: 12 });
      expect(preview.limit!.split!.map((g) => g.length)).toEqual([5, 5, 2]);
      expect(preview.limit!.reason).toContain('refuses a transaction of more than 5 rows (wsrep_max_ws_rows = 5)');
      // Apply without agreeing: refused before anything ran.
      const refused = await w.client.call('table.applyEdits', { connectionId: id, edits });
      expect(refused).toMatchObject({ applied: false, rowsAffected: 0, problems: [], limit: { variable: 'wsrep_max_ws_rows' } });
      expect(await countOn(3, 'SELECT COUNT(*) AS c FROM testdb.stock WHERE qty <> 0')).toBe(0);
      // Agreed: three transactions, each within the limit, all applied — every value as staged, on another node.
      const split = { ...edits, transactions: preview.limit!.split! };
      const plan = await w.client.call('table.previewEdits', { connectionId: id, edits: split });
      expect(plan.limit).toBeNull();
      expect(plan.statements.filter((s) => s.purpose === 'begin')).toHaveLength(3);
      const applied = await w.client.call('table.applyEdits', { connectionId: id, edits: split });
      expect(applied).toMatchObject({ applied: true, rowsAffected: 12, problems: [] });
      expect(applied.transactions!.map((t) => [t.changeIds.length, t.applied])).toEqual([
        [5, true],
        [5, true],
        [2, true],
      ]);
      expect(await countOn(3, 'SELECT SUM(qty = id * 10) AS c FROM testdb.stock')).toBe(12);
    } finally {
      for (const n of [1, 2, 3]) await cluster.sql(n, 'SET GLOBAL wsrep_max_ws_rows = 0');
    }
  });

  it('a batch over wsrep_max_ws_size: split by its estimated size; a value bigger than the limit alone is refused outright', async () => {
    await cluster.sql(1, 'CREATE TABLE testdb.notes (id int PRIMARY KEY, body text NOT NULL)');
    const id = await saveProfileFromUrl(w.client, cluster.url([1, 2, 3]), { name: 'Size limits' });
    await w.client.call('connections.open', { id });
    for (const n of [1, 2, 3]) await cluster.sql(n, 'SET GLOBAL wsrep_max_ws_size = 8192');
    try {
      const table = { schema: 'testdb', name: 'notes' };
      const changes = Array.from({ length: 10 }, (_, i) => ({ kind: 'insert' as const, id: `i:${i}`, values: [{ column: 'id', value: i + 1 }, { column: 'body', value: `${i}`.repeat(1000) }] }));
      // The limit is real: the server refuses these 10 rows in one transaction.
      const direct = await cluster.connect(1);
      try {
        await direct.query('START TRANSACTION');
        for (const c of changes) await direct.query('INSERT INTO testdb.notes VALUES (?, ?)', [c.values[0]!.value, c.values[1]!.value]);
        await expect(direct.query('COMMIT')).rejects.toMatchObject({ message: expect.stringMatching(/Maximum writeset size exceeded/) });
      } finally {
        await direct.end();
      }
      const preview = await w.client.call('table.previewEdits', { connectionId: id, edits: { table, changes } });
      expect(preview.limit).toMatchObject({ variable: 'wsrep_max_ws_size', value: 8192, estimated: true });
      expect(preview.limit!.reason).toMatch(/would replicate about [\d.]+ KiB \(an estimate\)/);
      const applied = await w.client.call('table.applyEdits', { connectionId: id, edits: { table, changes, transactions: preview.limit!.split! } });
      expect(applied).toMatchObject({ applied: true, rowsAffected: 10 });
      expect(applied.transactions!.length).toBe(preview.limit!.split!.length);
      expect(await countOn(2, 'SELECT COUNT(*) AS c FROM testdb.notes')).toBe(10);
      // One value larger than the limit: no split can carry it.
      const huge = await w.client.call('table.previewEdits', { connectionId: id, edits: { table, changes: [{ kind: 'insert', id: 'big', values: [{ column: 'id', value: 99 }, { column: 'body', value: 'x'.repeat(9000) }] }] } });
      expect(huge.limit).toMatchObject({ variable: 'wsrep_max_ws_size', split: null });
      expect(huge.limit!.reason).toMatch(/^One change alone writes 8\.8 KiB of values/);
    } finally {
      for (const n of [1, 2, 3]) await cluster.sql(n, 'SET GLOBAL wsrep_max_ws_size = 2147483647');
    }
  });
});
