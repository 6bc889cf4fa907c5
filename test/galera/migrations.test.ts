import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationPlan } from '../../shared/model/migrations';
import { GaleraCluster, CLUSTER_USER } from '../support/galera/galera-cluster';
import { cli, dbmateFile, migrationFolder } from '../support/migrations';

/**
 * The migration runner on a real three-node Galera cluster: GET_LOCK does not work across nodes
 * (and errors under wsrep_on since MariaDB 10.6.13), so the runner takes a lease row, which the
 * cluster certifies like any other write.
 */
describe('migrations on a real Galera cluster', () => {
  let cluster: GaleraCluster;
  const folder = migrationFolder();

  beforeAll(async () => {
    cluster = await GaleraCluster.start(3);
    const c = await mysql.createConnection({ host: '127.0.0.1', port: Number(cluster.endpoint(1).split(':')[1]), ...CLUSTER_USER });
    try {
      await c.query('CREATE TABLE applied_log (migration varchar(50) NOT NULL PRIMARY KEY)');
    } finally {
      await c.end();
    }
    for (let i = 1; i <= 3; i++) folder.write(`2024090100000${i}_m${i}.sql`, dbmateFile(`CREATE TABLE g${i} (id int PRIMARY KEY);\nINSERT INTO applied_log VALUES ('m${i}');\nSELECT SLEEP(1);`));
  });
  afterAll(async () => {
    await cluster?.destroy();
    folder.remove();
  });

  it('the plan takes a lease row, shows wsrep_OSU_method and warns about TOI', async () => {
    const r = await cli(['migrate', 'plan', '--json', '--url', cluster.url([1]), '--dir', folder.dir]);
    const plan = JSON.parse(r.stdout) as MigrationPlan;
    expect(plan.lock.strategy).toBe('lease-row');
    expect(plan.galera).toEqual({ osuMethod: 'TOI', warning: expect.stringMatching(/whole cluster waits/) });
    expect(plan.settings.find((s) => s.name === 'wsrep_OSU_method')?.value).toBe('TOI');
  });

  it('two runners on two different nodes at once: each migration is applied exactly once', async () => {
    const [a, b] = await Promise.all([
      cli(['migrate', 'up', '--url', cluster.url([1]), '--dir', folder.dir]),
      cli(['migrate', 'up', '--url', cluster.url([3]), '--dir', folder.dir]),
    ]);
    expect([a.code, b.code], `${a.stdout}${a.stderr}\n---\n${b.stdout}${b.stderr}`).toEqual([0, 0]);
    const c = await mysql.createConnection({ host: '127.0.0.1', port: Number(cluster.endpoint(2).split(':')[1]), ...CLUSTER_USER });
    try {
      const [log] = await c.query<RowDataPacket[]>('SET STATEMENT wsrep_sync_wait=1 FOR SELECT migration FROM applied_log ORDER BY migration');
      expect(log.map((r) => r.migration)).toEqual(['m1', 'm2', 'm3']);
      const [history] = await c.query<RowDataPacket[]>("SET STATEMENT wsrep_sync_wait=1 FOR SELECT version FROM dbdesk_migrations WHERE action = 'up' AND status = 'applied' ORDER BY id");
      expect(history.map((r) => r.version)).toEqual(['20240901000001', '20240901000002', '20240901000003']);
    } finally {
      await c.end();
    }
    const loser = a.stdout.includes('3 migrations applied') ? b : a;
    expect(loser.stdout).toMatch(/Waiting for the migration lock, held by .*pid \d+/);
    // The third node sees the same state.
    const s = JSON.parse((await cli(['migrate', 'status', '--json', '--url', cluster.url([2]), '--dir', folder.dir])).stdout) as { migrations: { state: string }[]; lock: unknown };
    expect(s.migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'applied']);
    expect(s.lock).toBeNull();
  });
});
