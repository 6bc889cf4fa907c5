import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../electron/core/engines';
import { GaleraClusterEngine } from '../../electron/core/engines/mysql/galera/cluster-engine';
import { GaleraCluster } from '../support/galera/galera-cluster';
import { engineConfigFromUrl } from '../support/galera/app';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../support/test-core';

/** A 4-byte emoji, a 4-byte musical symbol, a ZWJ sequence, accents and CJK. */
const TEXT = 'héllo 🐬 wörld 𝄞 👩‍💻 — 中文';

describe('replication and utf8mb4 through the app’s cluster connections (real three-node Galera cluster)', () => {
  let cluster: GaleraCluster;
  let viaNode1: GaleraClusterEngine;
  let viaNode3: GaleraClusterEngine;
  let core: TestCore;
  let w: TestWindow;

  beforeAll(async () => {
    // The nodes ignore the charset a client asks for in its handshake (and their own default is latin1):
    // utf8mb4 on a connection can only come from the app's own SET NAMES.
    cluster = await GaleraCluster.start(3, { extraConfig: ['skip-character-set-client-handshake'] });
    viaNode1 = (await openEngine(engineConfigFromUrl(cluster.url([1, 2, 3])))) as unknown as GaleraClusterEngine;
    viaNode3 = (await openEngine(engineConfigFromUrl(cluster.url([3, 1, 2])))) as unknown as GaleraClusterEngine;
    core = createTestCore();
    w = core.openWindow();
  });
  afterAll(async () => {
    await viaNode1?.close();
    await viaNode3?.close();
    await w?.close();
    await core?.close();
    await cluster?.destroy();
  });

  const query = async (engine: GaleraClusterEngine, sql: string, values: unknown[] = []) =>
    (await engine.withNode((n) => n.promisePool.query<RowDataPacket[]>(sql, values)))[0];

  it('reads on node 3 what was written through node 1', async () => {
    expect(viaNode1).toBeInstanceOf(GaleraClusterEngine);
    expect(viaNode1.endpoint).toBe(cluster.endpoint(1));
    expect(viaNode3.endpoint).toBe(cluster.endpoint(3));
    await query(viaNode1, 'CREATE TABLE testdb.orders (id bigint PRIMARY KEY, total decimal(14,2) NOT NULL, placed datetime(6) NOT NULL)');
    await query(viaNode1, 'INSERT INTO testdb.orders VALUES (?, ?, ?), (?, ?, ?)', ['9007199254740993', '12345678901.25', '2024-02-29 23:59:59.123456', 2, '0.10', '1999-12-31 00:00:00.000001']);
    // wsrep_sync_wait: a causal read — node 3 has applied everything committed before it.
    const rows = await query(viaNode3, 'SET STATEMENT wsrep_sync_wait=1 FOR SELECT id, total, placed FROM testdb.orders ORDER BY id');
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { id: '2', total: '0.10', placed: '1999-12-31 00:00:00.000001' },
      { id: '9007199254740993', total: '12345678901.25', placed: '2024-02-29 23:59:59.123456' },
    ]);

    // And through the app, connected to node 3: the table and its exact row count.
    const id = await saveProfileFromUrl(w.client, cluster.url([3, 1, 2]), { name: 'Node 3 first' });
    expect((await w.client.call('connections.open', { id })).endpoint).toBe(cluster.endpoint(3));
    const detail = await w.client.call('schema.table', { connectionId: id, table: { schema: 'testdb', name: 'orders' } });
    expect(detail.rowCount).toEqual({ value: 2, exact: true });
    expect(detail.columns.map((c) => `${c.name} ${c.dataType}`)).toEqual(['id bigint(20)', 'total decimal(14,2)', 'placed datetime(6)']);
  });

  it('round-trips 4-byte characters exactly: written through node 1, read on node 3', async () => {
    // The nodes' own default is latin1 and they ignore the handshake's charset: utf8mb4 is the app's doing.
    expect((await cluster.sql(1, 'SELECT @@global.character_set_server AS cs, @@character_set_client AS client'))[0]).toEqual({ cs: 'latin1', client: 'latin1' });
    // MariaDB keeps metadata (comments, defaults) in utf8mb3: a 4-byte character there becomes '?' on
    // the server itself (observed), so the comment carries 3-byte characters only.
    await query(viaNode1, "CREATE TABLE testdb.texts (id int PRIMARY KEY, body varchar(100) COMMENT 'corps — 中文 é') CHARACTER SET utf8mb4");
    await query(viaNode1, 'INSERT INTO testdb.texts VALUES (1, ?)', [TEXT]);

    const [row] = await query(viaNode3, 'SET STATEMENT wsrep_sync_wait=1 FOR SELECT body, HEX(body) AS hex, CHAR_LENGTH(body) AS chars FROM testdb.texts WHERE id = 1');
    expect(row!.body).toBe(TEXT);
    expect(row!.hex).toBe(Buffer.from(TEXT, 'utf8').toString('hex').toUpperCase());
    expect(row!.hex).toContain('F09F90AC'); // 🐬 as its four bytes
    expect(Number(row!.chars)).toBe([...TEXT].length);
    // The bytes on node 3's disk, read by the harness's own root connection: the same.
    expect((await cluster.sql(3, 'SELECT HEX(body) AS hex FROM testdb.texts WHERE id = 1'))[0]!.hex).toBe(row!.hex);

    // Through the app's IPC (JSON) on node 3: the multi-byte column comment written through node 1.
    const id = await saveProfileFromUrl(w.client, cluster.url([3, 1, 2]), { name: 'Node 3 for texts' });
    await w.client.call('connections.open', { id });
    const detail = await w.client.call('schema.table', { connectionId: id, table: { schema: 'testdb', name: 'texts' } });
    expect(detail.columns.find((c) => c.name === 'body')?.comment).toBe('corps — 中文 é');
  });

  it('sets utf8mb4 on every pooled connection', async () => {
    for (const engine of [viaNode1, viaNode3]) {
      // Five at once, so the pool opens five connections.
      const rows = await Promise.all(
        Array.from({ length: 5 }, async () =>
          (await query(engine, 'SELECT CONNECTION_ID() AS id, @@character_set_client AS client, @@character_set_connection AS conn, @@character_set_results AS results, SLEEP(0.3) AS s'))[0]!,
        ),
      );
      expect(new Set(rows.map((r) => r.id)).size).toBe(5);
      for (const r of rows) expect([r.client, r.conn, r.results]).toEqual(['utf8mb4', 'utf8mb4', 'utf8mb4']);
    }
  });

  it('shows the whole cluster for a profile that names a single node, finding the others in wsrep_incoming_addresses', async () => {
    const id = await saveProfileFromUrl(w.client, `mariadb://test:test@${cluster.endpoint(2)}/testdb?sslmode=disable`, { name: 'Node 2 only' });
    const open = await w.client.call('connections.open', { id });
    expect(open.serverInfo.galera).toBe(true);
    const snap = await w.client.call('galera.snapshot', { connectionId: id });
    // wsrep_incoming_addresses lists members in Galera's order (by member UUID), so compare sorted.
    const rows = snap.nodes.map((n) => [n.endpoint, n.source, n.current, n.localState].join(' ')).sort();
    expect(rows).toEqual(
      [`${cluster.endpoint(1)} discovered false Synced`, `${cluster.endpoint(2)} profile true Synced`, `${cluster.endpoint(3)} discovered false Synced`].sort(),
    );
    expect(snap.health).toBe('healthy');
    expect(snap.clusterName).toBe('dbdesk_test');
  });

  it('flags a node that falls behind at once (desynced, its applier held by FLUSH TABLES WITH READ LOCK), and clears the flag when it caught up', async () => {
    await query(viaNode1, 'CREATE TABLE testdb.lag (id int PRIMARY KEY)');
    const id = await saveProfileFromUrl(w.client, cluster.url([1, 2, 3]), { name: 'Watching the lag' });
    await w.client.call('connections.open', { id });
    const node3 = async () => (await w.client.call('galera.snapshot', { connectionId: id })).nodes.find((n) => n.endpoint === cluster.endpoint(3))!;
    await expect.poll(async () => (await node3()).flags, { timeout: 10_000 }).toEqual([]);
    const limit = (await node3()).flowControlLimit ?? 16;
    // What a backup does on a node: desync it (so it throttles nobody), then stop its writes.
    const hold = await cluster.connect(3);
    try {
      await hold.query('SET GLOBAL wsrep_desync = ON');
      await hold.query('FLUSH TABLES WITH READ LOCK');
      for (let i = 1; i <= limit + 10; i++) await query(viaNode1, 'INSERT INTO testdb.lag VALUES (?)', [i]);
      // The very next reading flags it, with how far behind it is and behind whom.
      const snap = await w.client.call('galera.snapshot', { connectionId: id });
      const lagging = snap.nodes.find((n) => n.endpoint === cluster.endpoint(3))!;
      expect(lagging.flags.map((f) => f.kind), JSON.stringify(lagging)).toEqual(['desynced', 'behind']);
      expect(lagging.behindBy!).toBeGreaterThanOrEqual(limit + 10);
      expect(lagging.recvQueue!).toBeGreaterThanOrEqual(limit);
      expect(lagging.flags[1]!.message).toMatch(new RegExp(`^Falling behind: \\d+ writesets waiting to be applied, \\d+ behind 127\\.0\\.0\\.1:\\d+ \\(flow control starts at ${limit}\\)\\.$`));
      expect(lagging.usable).toBe(false); // desynced: the app's connection does not use it
      expect(snap.health).toBe('degraded');
      expect(snap.nodes.filter((n) => n.endpoint !== cluster.endpoint(3)).every((n) => n.flags.length === 0)).toBe(true);
    } finally {
      await hold.query('UNLOCK TABLES').catch(() => undefined);
      await hold.query('SET GLOBAL wsrep_desync = OFF').catch(() => undefined);
      await hold.end().catch(() => undefined);
    }
    // Caught up: no flag, the same last committed as the others.
    await expect.poll(async () => (await node3()).flags.map((f) => f.kind), { timeout: 15_000 }).toEqual([]);
    const snap = await w.client.call('galera.snapshot', { connectionId: id });
    expect(snap.health).toBe('healthy');
    expect((await cluster.sql(3, 'SELECT COUNT(*) AS c FROM testdb.lag'))[0]!.c).toBe(limit + 10);
  });

  it('the SQL editor on a cluster counts an open transaction’s age and calls it long after 30 s, for certification', async () => {
    await query(viaNode1, 'CREATE TABLE testdb.tx_age (id int PRIMARY KEY)');
    const id = await saveProfileFromUrl(w.client, cluster.url([1, 2, 3]), { name: 'Editor on the cluster' });
    await w.client.call('connections.open', { id });
    const opened = await w.client.call('query.openSession', { connectionId: id, sessionId: 'galera-tx' });
    expect(opened.longTransaction.afterMs).toBe(30_000);
    expect(opened.longTransaction.why).toMatch(/Galera cluster a transaction is certified against everything the other nodes committed/);
    await w.client.call('query.setAutoCommit', { sessionId: 'galera-tx', autoCommit: false });
    let runs = 0;
    const run = (sql: string) =>
      w.client.call('query.run', { sessionId: 'galera-tx', runId: `galera-tx-${++runs}`, statements: [{ sql, offset: 0 }], initialCredit: 10, batchRows: 100, maxRows: 100, continueOnError: false, confirmWrites: false });
    const first = await run('INSERT INTO testdb.tx_age VALUES (1)');
    expect(first.session.transactionOpen).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    const later = await run('SELECT COUNT(*) FROM testdb.tx_age');
    expect(later.session.transactionAgeMs!).toBeGreaterThanOrEqual(first.session.transactionAgeMs! + 350);
    const ended = await w.client.call('query.rollback', { sessionId: 'galera-tx' });
    expect(ended).toMatchObject({ transactionOpen: false, transactionAgeMs: null });
    await w.client.call('query.closeSession', { sessionId: 'galera-tx' });
  });
});
