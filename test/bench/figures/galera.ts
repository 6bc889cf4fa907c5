import mysql from 'mysql2/promise';
import { runDiagnostics } from '../../../features/diagnostics/core/run-diagnostics';
import { openEngine } from '../../../electron/core/engines';
import type { NodeChange } from '../../../electron/core/engines/hooks';
import { engineConfigFromUrl } from '../../support/galera/app';
import { CLUSTER_USER, GaleraCluster } from '../../support/galera/galera-cluster';
import { medianMs, round, timeRatio, type Figure, type FigureModule } from '../figure';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** galera.connect.3-nodes: opening a cluster connection (clustercheck probe + table read + pool) vs a bare mysql2 connect + SELECT 1. */
async function connect(cluster: GaleraCluster): Promise<Figure> {
  const config = engineConfigFromUrl(cluster.url([1, 2, 3]));
  const ours = await medianMs(7, async () => {
    const engine = await openEngine(config);
    await engine.close();
  });
  const baseline = await medianMs(7, async () => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: cluster.node(1).ports.client, user: CLUSTER_USER.user, password: CLUSTER_USER.password, database: CLUSTER_USER.database });
    await c.query('SELECT 1');
    await c.end();
  });
  return {
    id: 'galera.connect.3-nodes',
    value: round(ours),
    unit: 'ms',
    baseline: round(baseline),
    ratio: timeRatio(ours, baseline),
    note: 'mysql2 connect + SELECT 1 to one node (no health check)',
  };
}

/** Times from `act` until the engine reports leaving its node, and until Galera's own signal `galeraDone`. */
async function timeMove(cluster: GaleraCluster, order: number[], act: () => Promise<void>, galeraDone: () => Promise<void>): Promise<{ ours: number; galera: number }> {
  let moved: (c: NodeChange) => void = () => undefined;
  const change = new Promise<NodeChange>((r) => (moved = r));
  const engine = await openEngine(engineConfigFromUrl(cluster.url(order)), { onNodeChange: (c) => moved(c) });
  try {
    const t0 = performance.now();
    const ours = change.then(() => performance.now() - t0);
    await act();
    const galera = galeraDone().then(() => performance.now() - t0);
    return { ours: await ours, galera: await galera };
  } finally {
    await engine.close();
  }
}

/** galera.failover.kill: SIGKILL of the node in use → connection moved, vs → the survivors' view without it. */
async function failoverKill(cluster: GaleraCluster): Promise<Figure> {
  const ours: number[] = [];
  const galera: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = await timeMove(
      cluster,
      [2, 1, 3],
      () => cluster.kill(2),
      () => cluster.waitClusterSize([1, 3], 2, 30_000, 25),
    );
    ours.push(t.ours);
    galera.push(t.galera);
    await cluster.restart(2);
  }
  return {
    id: 'galera.failover.kill',
    value: round(median(ours)),
    unit: 'ms',
    baseline: round(median(galera)),
    ratio: timeRatio(median(ours), median(galera)),
    note: 'Galera itself: survivors report cluster_size=2 (loopback timeouts)',
  };
}

/** galera.failover.isolate: gmcast.isolate of the node in use → connection moved, vs → the node reports non-Primary. */
async function failoverIsolate(cluster: GaleraCluster): Promise<Figure> {
  const ours: number[] = [];
  const galera: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = await timeMove(
      cluster,
      [3, 1, 2],
      () => cluster.sql(3, "SET GLOBAL wsrep_provider_options='gmcast.isolate=1'").then(() => undefined),
      () => cluster.waitFor(3, (s) => s.wsrep_cluster_status !== 'Primary', 'non-Primary', 30_000, 25).then(() => undefined),
    );
    ours.push(t.ours);
    galera.push(t.galera);
    await cluster.unisolate(3);
  }
  return {
    id: 'galera.failover.isolate',
    value: round(median(ours)),
    unit: 'ms',
    baseline: round(median(galera)),
    ratio: timeRatio(median(ours), median(galera)),
    note: 'the isolated node itself reporting non-Primary; ours adds ≤ 1 s health-check interval',
  };
}

/** galera.diagnose.3-nodes: the diagnostics of a 3-node profile (every node, all steps) vs the same run against one node. */
async function diagnose(cluster: GaleraCluster): Promise<Figure> {
  const three = engineConfigFromUrl(cluster.url([1, 2, 3]));
  const one = engineConfigFromUrl(cluster.url([1]));
  const ours = await medianMs(5, () => runDiagnostics(three));
  const baseline = await medianMs(5, () => runDiagnostics(one));
  return {
    id: 'galera.diagnose.3-nodes',
    value: round(ours),
    unit: 'ms',
    baseline: round(baseline),
    ratio: timeRatio(ours, baseline),
    note: 'the same diagnosis of one node; the nodes run at once, so 1.0 would be free',
  };
}

/**
 * galera.schema-check.3-nodes: after a migration, the schema of a 60-table database read and compared
 * on all three nodes (with the catch-up wait) vs raw mysql2 reading information_schema.COLUMNS and
 * STATISTICS of it on the three nodes at once.
 */
async function schemaCheck(cluster: GaleraCluster): Promise<Figure> {
  const ddl = Array.from({ length: 60 }, (_, i) => `CREATE TABLE testdb.wide_${i} (id int PRIMARY KEY, a varchar(40), b decimal(10,2), c datetime, d text, KEY (a), KEY (c))`);
  await cluster.sql(1, ddl.join(';'));
  const engine = await openEngine(engineConfigFromUrl(cluster.url([1, 2, 3])));
  try {
    const adapter = engine.migrations();
    const conn = await adapter.openConnection();
    try {
      const target = await adapter.describeTarget(conn);
      let objects = 0;
      const ours = await medianMs(5, async () => {
        const check = await adapter.clusterSchemaCheck!(target)!(conn);
        if (!check?.identical) throw new Error(`The bench cluster's schemas differ: ${check?.summary}`);
        objects = check.nodes[0]!.objects;
      });
      const baseline = await medianMs(5, () =>
        Promise.all(
          [1, 2, 3].map(async (n) => {
            const c = await mysql.createConnection({ host: '127.0.0.1', port: cluster.node(n).ports.client, user: CLUSTER_USER.user, password: CLUSTER_USER.password, database: CLUSTER_USER.database });
            await c.query('SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?', [CLUSTER_USER.database]);
            await c.query('SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?', [CLUSTER_USER.database]);
            await c.end();
          }),
        ),
      );
      return {
        id: 'galera.schema-check.3-nodes',
        value: round(ours),
        unit: 'ms',
        baseline: round(baseline),
        ratio: timeRatio(ours, baseline),
        note: `${objects} schema objects compared on 3 nodes; baseline: mysql2 reading COLUMNS + STATISTICS on each node`,
      };
    } finally {
      await conn.close();
    }
  } finally {
    await engine.close();
  }
}

const module: FigureModule = {
  ids: ['galera.connect.3-nodes', 'galera.failover.kill', 'galera.failover.isolate', 'galera.diagnose.3-nodes', 'galera.schema-check.3-nodes'],
  async run() {
    const cluster = await GaleraCluster.start();
    try {
      await cluster.sql(1, 'CREATE TABLE testdb.probe_me (id int PRIMARY KEY)');
      return [await connect(cluster), await diagnose(cluster), await schemaCheck(cluster), await failoverKill(cluster), await failoverIsolate(cluster)];
    } finally {
      await cluster.destroy();
    }
  },
};
export default module;
