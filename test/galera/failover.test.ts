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
      const cluster3 = engine as GaleraClusterEngine;
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
});
