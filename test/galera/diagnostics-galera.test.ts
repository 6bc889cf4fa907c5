import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateGalera, type PrivateGalera } from '../support/private-galera';
import { diagnoseUrl, expectFailure, expectUsable } from '../integration/diagnostics/diagnose-helpers';

/**
 * The Galera classes on a real two-node cluster of private servers: a node that rejects queries while
 * its status looks healthy (galera-not-ready), a donor/desynced node (usable, degraded), and a node
 * outside the primary component after quorum loss (galera-non-primary) — where `SELECT 1` and the
 * catalog still answer and only the health step and a real table read tell the truth.
 */
let cluster: PrivateGalera;
const PW = 'Galera-Diag-Pw-8';

beforeAll(async () => {
  cluster = await startPrivateGalera(2);
  await cluster.nodes[0]!.exec(`
    CREATE DATABASE appdb;
    CREATE TABLE appdb.orders (id INT PRIMARY KEY, note VARCHAR(20));
    INSERT INTO appdb.orders VALUES (1, 'first');
    CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY '${PW}';
    GRANT ALL ON appdb.* TO 'app'@'127.0.0.1';
  `);
  // The user and the table reach node 2 by replication.
  for (let i = 0; i < 50; i++) {
    const rows = await cluster.nodes[1]!.exec<unknown[]>("SELECT 1 FROM mysql.global_priv WHERE User = 'app'").catch(() => []);
    if (rows.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await cluster?.stop();
});

const url = (node: number) => cluster.nodes[node]!.url('app', PW, 'appdb', 'sslmode=disable');

describe('Galera node states', () => {
  it('a Primary, Synced node passes, with the wsrep values as evidence', async () => {
    const run = await diagnoseUrl(url(0));
    expectUsable(run);
    expect(run.verdict.status).toBe('ok');
    expect(run.steps.find((s) => s.id === 'health')!.evidence).toMatchObject({ galera: 'usable', wsrep_cluster_status: 'Primary', wsrep_local_state_comment: 'Synced', wsrep_cluster_size: '2', wsrep_ready: 'ON' });
  });

  it('galera-not-ready: wsrep_reject_queries=ALL although the status says Primary/Synced', async () => {
    await cluster.nodes[0]!.exec('SET GLOBAL wsrep_reject_queries = ALL');
    try {
      const run = await diagnoseUrl(url(0));
      expectFailure(run, 'galera-not-ready', 'health');
      expect(run.steps.find((s) => s.id === 'health')!.evidence).toMatchObject({ wsrep_reject_queries: 'ALL', wsrep_cluster_status: 'Primary' });
      // The login and the catalog read worked: only the health check and a real read tell.
      expect(run.steps.find((s) => s.id === 'session')!.status).toBe('ok');
      const read = run.steps.find((s) => s.id === 'table-read')!;
      expect(read.status).toBe('fail');
      expect(read.error?.errno).toBe(1047);
      expect(read.classId).toBe('galera-not-ready');
    } finally {
      await cluster.nodes[0]!.exec('SET GLOBAL wsrep_reject_queries = NONE');
    }
  });

  it('a desynced node (Donor/Desynced) is usable but degraded', async () => {
    await cluster.nodes[0]!.exec('SET GLOBAL wsrep_desync = ON');
    try {
      await cluster.waitFor(0, (s) => s.wsrep_local_state === '2', 'Donor/Desynced');
      const run = await diagnoseUrl(url(0));
      expect(run.verdict).toMatchObject({ usable: true, status: 'degraded' });
      expect(run.steps.find((s) => s.id === 'health')).toMatchObject({ status: 'warn', evidence: { galera: 'degraded', wsrep_local_state_comment: 'Donor/Desynced' } });
    } finally {
      await cluster.nodes[0]!.exec('SET GLOBAL wsrep_desync = OFF');
      await cluster.waitFor(0, (s) => s.wsrep_local_state === '4', 'Synced');
    }
  });

  it('galera-non-primary: quorum lost (the other node isolated); SELECT 1 works, a real read fails with 1047', async () => {
    await cluster.isolate(1, true);
    try {
      await cluster.waitFor(0, (s) => s.wsrep_cluster_status === 'non-Primary', 'non-Primary');
      const run = await diagnoseUrl(url(0));
      expectFailure(run, 'galera-non-primary', 'health');
      expect(run.steps.find((s) => s.id === 'auth')!.status).toBe('ok');
      expect(run.steps.find((s) => s.id === 'session')!.status).toBe('ok');
      expect(run.steps.find((s) => s.id === 'health')!.evidence).toMatchObject({ wsrep_cluster_status: 'non-Primary', wsrep_ready: 'OFF' });
      expect(run.steps.find((s) => s.id === 'table-read')!.error).toMatchObject({ errno: 1047, sqlState: '08S01' });

      // Both nodes are outside a primary component now: a profile listing both gets the last-resort advice.
      await cluster.waitFor(1, (s) => s.wsrep_cluster_status === 'non-Primary', 'non-Primary');
      const endpoints = cluster.nodes.map((n) => `127.0.0.1:${n.port}`);
      const both = await diagnoseUrl(`mariadb://app:${PW}@${endpoints.join(',')}/appdb?sslmode=disable`);
      expect(both.verdict, both.verdict.headline).toMatchObject({ usable: false, status: 'failed', classId: 'galera-non-primary', failedStep: 'health' });
      expect(both.cluster!.primary).toEqual([]);
      expect(both.cluster!.nodes.map((n) => n.verdict.classId)).toEqual(['galera-non-primary', 'galera-non-primary']);
      const advice = both.verdict.remedy!.text;
      expect(advice).toContain('Quorum is lost: none of the 2 listed nodes holds the primary component.');
      expect(advice).toMatch(/as a last resort bootstrap the node with the most recent state — 127\.0\.0\.1:\d+/);
      expect(advice).toContain('pc.bootstrap=YES');
      expect(advice).toMatch(/Warning: bootstrapping a node while another primary component is still running splits the cluster/);
    } finally {
      await cluster.isolate(1, false);
      await cluster.waitFor(0, (s) => s.wsrep_cluster_status === 'Primary' && s.wsrep_cluster_size === '2', 'Primary again', 60_000);
    }
  });
});
