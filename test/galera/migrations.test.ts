import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationPlan, RunResult } from '../../shared/model/migrations';
import { GaleraCluster, CLUSTER_USER } from '../support/galera/galera-cluster';
import { cli, dbmateFile, migrationFolder } from '../support/migrations';

/**
 * The migration runner on a real three-node Galera cluster: GET_LOCK does not work across nodes
 * (and errors under wsrep_on since MariaDB 10.6.13), so the runner takes a lease row, which the
 * cluster certifies like any other write. After a run it compares the schema on every node.
 */
describe('migrations on a real Galera cluster', () => {
  let cluster: GaleraCluster;
  const folder = migrationFolder();
  const port = (n: number) => Number(cluster.endpoint(n).split(':')[1]);
  /** Reads on node n as the test user, after the node applied everything committed anywhere before. */
  const readOn = async (n: number, sql: string) => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: port(n), ...CLUSTER_USER });
    try {
      return (await c.query<RowDataPacket[]>(`SET STATEMENT wsrep_sync_wait=1 FOR ${sql}`))[0];
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    cluster = await GaleraCluster.start(3);
    await cluster.sql(1, 'CREATE TABLE testdb.applied_log (migration varchar(50) NOT NULL PRIMARY KEY)');
    for (let i = 1; i <= 3; i++) folder.write(`2024090100000${i}_m${i}.sql`, dbmateFile(`CREATE TABLE g${i} (id int PRIMARY KEY);\nINSERT INTO applied_log VALUES ('m${i}');\nSELECT SLEEP(1);`));
  });
  afterAll(async () => {
    await cluster?.destroy();
    folder.remove();
  });

  it('the plan takes a lease row, shows wsrep_OSU_method, warns about TOI, and shows the size of every table it changes', async () => {
    await cluster.sql(1, 'INSERT INTO testdb.applied_log VALUES ("seed-1"), ("seed-2"); ANALYZE TABLE testdb.applied_log');
    const r = await cli(['migrate', 'plan', '--json', '--url', cluster.url([1]), '--dir', folder.dir]);
    const plan = JSON.parse(r.stdout) as MigrationPlan;
    expect(plan.lock.strategy).toBe('lease-row');
    expect(plan.galera).toEqual({ osuMethod: 'TOI', warning: expect.stringMatching(/whole cluster waits/) });
    expect(plan.settings.find((s) => s.name === 'wsrep_OSU_method')?.value).toBe('TOI');
    // Each step changes applied_log (its INSERT); the tables it creates are not "changed".
    for (const step of plan.steps) expect(step.tables).toEqual([{ name: 'applied_log', rows: expect.any(Number), bytes: expect.any(Number), exists: true }]);
    expect(plan.steps[0]!.tables[0]!.bytes).toBeGreaterThan(0);
    const text = await cli(['migrate', 'plan', '--url', cluster.url([1]), '--dir', folder.dir]);
    expect(text.stdout).toMatch(/Galera: the tables it changes — applied_log ≈\d+ rows, [\d.]+ KiB\. Choose a low-traffic time/);
    expect(text.stdout).toMatch(/ {3}tables: applied_log ≈\d+ rows/);
    await cluster.sql(1, 'DELETE FROM testdb.applied_log WHERE migration LIKE "seed-%"');
  });

  it('two runners on two different nodes at once: exactly one applies, each migration once; the other waits, then has nothing to do', async () => {
    const [a, b] = await Promise.all([
      cli(['migrate', 'up', '--url', cluster.url([1]), '--dir', folder.dir]),
      cli(['migrate', 'up', '--url', cluster.url([3]), '--dir', folder.dir]),
    ]);
    expect([a.code, b.code], `${a.stdout}${a.stderr}\n---\n${b.stdout}${b.stderr}`).toEqual([0, 0]);
    expect((await readOn(2, 'SELECT migration FROM applied_log ORDER BY migration')).map((r) => r.migration)).toEqual(['m1', 'm2', 'm3']);
    const history = await readOn(2, "SELECT version FROM dbdesk_migrations WHERE action = 'up' AND status = 'applied' ORDER BY id");
    expect(history.map((r) => r.version)).toEqual(['20240901000001', '20240901000002', '20240901000003']);
    const [winner, loser] = a.stdout.includes('3 migrations applied') ? [a, b] : [b, a];
    expect(winner.stdout).toContain('3 migrations applied');
    expect(loser.stdout).toMatch(/Waiting for the migration lock, held by .*pid \d+/);
    expect(loser.stdout).toContain('Nothing to do');
    expect(loser.stdout).not.toMatch(/Statement \d+ of|applied in \d+ ms/);
    // The winner compared the schema on every node afterwards.
    expect(winner.stdout).toMatch(/Schema check: The schema of testdb is identical on all 3 nodes/);
    // The third node sees the same state.
    const s = JSON.parse((await cli(['migrate', 'status', '--json', '--url', cluster.url([2]), '--dir', folder.dir])).stdout) as { migrations: { state: string }[]; lock: unknown };
    expect(s.migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'applied']);
    expect(s.lock).toBeNull();
  });

  it('a migration’s DDL is on all three nodes afterwards, the schema check says identical, and the lock was the lease row — never GET_LOCK', async () => {
    folder.write('20240901000004_m4.sql', dbmateFile('ALTER TABLE g1 ADD COLUMN note varchar(20) NOT NULL DEFAULT "";\nCREATE INDEX g1_note ON g1 (note);'));
    // Everything the run's node is asked, from now on, in its general log (a table, on node 2 only).
    await cluster.sql(2, "SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log; SET GLOBAL general_log = ON");
    let run: RunResult;
    try {
      const r = await cli(['migrate', 'up', '--json', '--url', cluster.url([2]), '--dir', folder.dir]);
      expect(r.code, r.stderr).toBe(0);
      run = JSON.parse(r.stdout) as RunResult;
    } finally {
      await cluster.sql(2, 'SET GLOBAL general_log = OFF');
    }
    expect(run.outcome).toBe('success');
    const log = await cluster.sql(2, "SELECT CONVERT(argument USING utf8mb4) AS a FROM mysql.general_log WHERE command_type = 'Query'");
    const statements = log.map((r) => String(r.a));
    expect(statements.some((s) => /ALTER TABLE g1 ADD COLUMN note/.test(s))).toBe(true);
    expect(statements.filter((s) => /GET_LOCK|IS_USED_LOCK|RELEASE_LOCK/i.test(s))).toEqual([]);
    expect(statements.some((s) => /dbdesk_migrations_lock/.test(s))).toBe(true);
    await cluster.sql(2, 'TRUNCATE mysql.general_log');

    // The DDL is on every node.
    for (const n of [1, 2, 3]) {
      const cols = await readOn(n, "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'testdb' AND TABLE_NAME = 'g1' ORDER BY ORDINAL_POSITION");
      expect(cols.map((c) => c.c), `node ${n}`).toEqual(['id', 'note']);
      expect((await readOn(n, "SHOW INDEX FROM g1 WHERE Key_name = 'g1_note'")).length, `node ${n}`).toBe(1);
    }
    // And the run's own check says so, node by node.
    const check = run.schemaCheck!;
    expect(check).toMatchObject({ database: 'testdb', identical: true, differences: [], moreDifferences: 0 });
    expect(check.nodes.map((n) => [n.endpoint, n.name, n.reference, n.reached, n.caughtUp, n.error])).toEqual([
      [cluster.endpoint(2), 'n2', true, true, true, null],
      // The others are found in wsrep_incoming_addresses (the profile names one node), listed by address.
      ...[1, 3].map((n) => [cluster.endpoint(n), `n${n}`, false, true, true, null]),
    ]);
    expect(new Set(check.nodes.map((n) => n.objects)).size).toBe(1);
    expect(check.nodes[0]!.objects).toBeGreaterThan(10);
  });

  it('reports a schema that differs between nodes clearly, and fails the run for CI (though the migration applied)', async () => {
    // Node 3 gets a column the others never see: DDL with replication switched off for the session.
    await cluster.sql(3, 'SET SESSION wsrep_on = OFF; ALTER TABLE testdb.g2 ADD COLUMN drift int; SET SESSION wsrep_on = ON');
    try {
      folder.write('20240901000005_m5.sql', dbmateFile('CREATE TABLE g5 (id int PRIMARY KEY);'));
      const r = await cli(['migrate', 'up', '--url', cluster.url([1, 2, 3]), '--dir', folder.dir]);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toContain('1 migration applied');
      expect(r.stdout).toMatch(/Schema check: The schema of testdb differs between the nodes: 1 object \(first: column g2\.drift — /);
      expect(r.stdout).toContain('≠ column g2.drift');
      expect(r.stdout).toContain(`${cluster.endpoint(1)}: (missing)`);
      expect(r.stdout).toMatch(new RegExp(`${cluster.endpoint(3).replace(/\./g, '\\.')}: #2 int\\(11\\) NULL`));
      // The migration itself is on every node.
      for (const n of [1, 2, 3]) expect((await readOn(n, "SHOW TABLES LIKE 'g5'")).length, `node ${n}`).toBe(1);
    } finally {
      await cluster.sql(3, 'SET SESSION wsrep_on = OFF; ALTER TABLE testdb.g2 DROP COLUMN drift; SET SESSION wsrep_on = ON');
    }
  });
});
