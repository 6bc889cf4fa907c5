import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/ipc/contract';
import { IpcCallError } from '../../shared/ipc/errors';
import { runDiagnostics } from '../../features/diagnostics/core/run-diagnostics';
import { GaleraCluster } from '../support/galera/galera-cluster';
import { engineConfigFromUrl, waitForEvent } from '../support/galera/app';
import { cli } from '../support/migrations';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../support/test-core';

type Failover = EventPayload<'connection.failover'>;

describe('a node out of the primary component (real three-node Galera cluster, gmcast.isolate)', () => {
  let cluster: GaleraCluster;
  let core: TestCore;
  let w: TestWindow;

  beforeAll(async () => {
    cluster = await GaleraCluster.start();
    await cluster.sql(1, 'CREATE TABLE testdb.items (id int PRIMARY KEY) CHARACTER SET utf8mb4; INSERT INTO testdb.items VALUES (1)');
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

  it('never connects to an isolated node, though it still answers SELECT 1, and flags it in the cluster view', async () => {
    await cluster.isolate(1);
    // What makes SELECT 1 useless as a health check: the isolated node still answers it.
    expect(await cluster.sql(1, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);

    const id = await saveProfileFromUrl(w.client, cluster.url([1, 2, 3]), { name: 'Cluster 1-2-3' });
    const { id: _id, hasPassword: _h, source: _s, ...fields } = (await w.client.call('connections.list', {})).find((p) => p.id === id)!;
    const tested = await w.client.call('connections.test', { id, fields });
    expect(tested.endpoint).toBe(cluster.endpoint(2));
    const open = await w.client.call('connections.open', { id });
    expect(open.endpoint).toBe(cluster.endpoint(2));
    expect((await w.client.call('schema.tables', { connectionId: id, schema: 'testdb' })).map((t) => t.name)).toEqual(['items']);

    const snap = await w.client.call('galera.snapshot', { connectionId: id });
    const isolated = snap.nodes.find((n) => n.endpoint === cluster.endpoint(1))!;
    expect(isolated.reachable).toBe(true);
    expect(isolated.usable).toBe(false);
    expect(isolated.clusterStatus).toBe('non-Primary');
    const flag = isolated.flags.find((f) => f.kind === 'non-primary')!;
    expect(flag.severity).toBe('error');
    // It names where the primary component is.
    expect(flag.message).toContain(cluster.endpoint(2));
    expect(flag.message).toContain(cluster.endpoint(3));
    expect(snap.primaryComponent.sort()).toEqual([cluster.endpoint(2), cluster.endpoint(3)].sort());
    expect(snap.nodes.filter((n) => n.usable).map((n) => n.endpoint).sort()).toEqual([cluster.endpoint(2), cluster.endpoint(3)].sort());
    expect(snap.nodes.find((n) => n.current)?.endpoint).toBe(cluster.endpoint(2));
    expect(snap.health).toBe('degraded');
    expect(snap.summary).toMatch(/2 of 3 nodes usable/);
  });

  it('leaves its node when that node is isolated, saying it left the primary component', async () => {
    const id = await saveProfileFromUrl(w.client, cluster.url([3, 1, 2]), { name: 'Cluster 3-1-2' });
    expect((await w.client.call('connections.open', { id })).endpoint).toBe(cluster.endpoint(3));
    const before = w.events.length;
    await cluster.isolate(3);
    const moved = await waitForEvent<Failover>(w, 'connection.failover', (e) => e.connectionId === id, 15_000, before);
    expect(moved.from).toBe(cluster.endpoint(3));
    expect(moved.to).toBe(cluster.endpoint(1)); // the next usable node in the profile's order
    expect(moved.reason).toMatch(/not in the primary component \(wsrep_cluster_status=non-Primary\)/);
    expect((await w.client.call('schema.tables', { connectionId: id, schema: 'testdb' })).map((t) => t.name)).toEqual(['items']);
  });

  it('diagnoses every node of the profile: galera-non-primary named for the isolated node, with who holds the primary component (GUI command and dbdesk diagnose)', async () => {
    await cluster.isolate(3);
    const id = await saveProfileFromUrl(w.client, cluster.url([1, 2, 3]), { name: 'Cluster diagnosed' });
    const runId = 'cluster-diagnosis-1';
    const before = w.events.length;
    const run = await w.client.call('diagnostics.run', { runId, subject: { kind: 'profile', profileId: id }, stepTimeoutMs: 5000 });
    const [n1, n2, n3] = run.cluster!.nodes;
    expect(run.cluster!.nodes.map((n) => n.endpoint)).toEqual([cluster.endpoint(1), cluster.endpoint(2), cluster.endpoint(3)]);
    expect(run.steps).toEqual([]);
    // Nodes 1 and 2 pass every step; node 3 fails at the health step as non-Primary, its table read refused.
    for (const n of [n1!, n2!]) expect(n.verdict, JSON.stringify(n.steps.filter((s) => s.status !== 'ok'))).toMatchObject({ usable: true, status: 'ok' });
    expect(n3!.verdict).toMatchObject({ usable: false, classId: 'galera-non-primary', failedStep: 'health' });
    expect(n3!.nodeName).toBe('n3');
    expect(n3!.steps.find((s) => s.id === 'session')!.status).toBe('ok'); // SELECT-level queries still work there
    expect(n3!.steps.find((s) => s.id === 'table-read')!.error).toMatchObject({ errno: 1047 });
    const advice = n3!.verdict.remedy!.text;
    expect(advice).toContain(`${cluster.endpoint(3)} (n3) is outside the primary component`);
    expect(advice).toContain(`held by ${cluster.endpoint(1)} (n1) and ${cluster.endpoint(2)} (n2)`);
    expect(advice).toContain('Do not bootstrap');
    expect(run.cluster!.primary).toEqual([cluster.endpoint(1), cluster.endpoint(2)]);
    // The run as a whole: usable (two nodes are), degraded, and about node 3.
    expect(run.verdict).toMatchObject({ usable: true, status: 'degraded', classId: 'galera-non-primary', node: cluster.endpoint(3) });
    expect(run.verdict.headline).toMatch(/^2 of 3 nodes usable — /);
    // Live progress named the node of every step.
    const progress = w.events.slice(before).filter((e) => e.name === 'diagnostics.step').map((e) => e.payload as { runId: string; kind: string; node?: string; nodes?: string[] });
    expect(progress[0]).toMatchObject({ runId, kind: 'plan', nodes: [cluster.endpoint(1), cluster.endpoint(2), cluster.endpoint(3)] });
    const finished = progress.filter((p) => p.kind === 'finished');
    expect(finished.length).toBe(33);
    expect(new Set(finished.map((p) => p.node))).toEqual(new Set([cluster.endpoint(1), cluster.endpoint(2), cluster.endpoint(3)]));

    // The command line says the same.
    const r = await cli(['diagnose', '--json', '--timeout-ms', '5000', cluster.url([1, 2, 3])]);
    expect(r.code, r.stderr).toBe(0); // usable: two of three nodes are
    const json = JSON.parse(r.stdout) as { usable: boolean; class: string; node: string; nodes: { node: string; class: string | null; remedy: string | null }[] };
    expect(json).toMatchObject({ usable: true, class: 'galera-non-primary', node: cluster.endpoint(3) });
    expect(json.nodes.map((n) => n.class)).toEqual([null, null, 'galera-non-primary']);
    expect(json.nodes[2]!.remedy).toMatch(/^The DBA: .* is outside the primary component/);
    const text = await cli(['diagnose', '--timeout-ms', '5000', cluster.url([3, 1, 2])]);
    expect(text.stdout).toContain(`== node ${cluster.endpoint(3)} (n3): NOT USABLE — class galera-non-primary`);
    expect(text.stdout).toMatch(/USABLE, WITH WARNINGS: 2 of 3 nodes usable/);
    expect(text.stdout).not.toContain('test:test');
  });

  it('diagnoses a hung node (SIGSTOP) within the step limits: no-response named for that node, the others usable', async () => {
    cluster.freeze(2);
    const LIMIT = 1500;
    const run = await runDiagnostics(engineConfigFromUrl(cluster.url([1, 2, 3])), { stepTimeoutMs: LIMIT });
    const [n1, n2, n3] = run.cluster!.nodes;
    const steps = (n: typeof n2) => n!.steps.map((s) => `${s.id}:${s.status} ${s.ms}/${s.timeoutMs} ms ${s.detail}`).join('\n');
    // The kernel still accepts its TCP connections; the stopped server never sends its greeting.
    expect(n2!.verdict, steps(n2)).toMatchObject({ usable: false, classId: 'no-response', failedStep: 'fingerprint' });
    expect(n2!.steps.find((s) => s.id === 'fingerprint')!.evidence.behaviour).toBe('silent');
    for (const n of [n1!, n3!]) expect(n.verdict.usable, steps(n)).toBe(true);
    expect(run.verdict).toMatchObject({ usable: true, status: 'degraded', node: cluster.endpoint(2) });
    // The nodes are diagnosed at once: the run lasts no longer than the slowest node's steps' limits.
    const bound = Math.max(...run.cluster!.nodes.map((n) => n.steps.filter((s) => s.status !== 'skip').reduce((sum, s) => sum + s.timeoutMs, 0)));
    expect(run.ms).toBeLessThanOrEqual(bound + 400);
    for (const n of run.cluster!.nodes) for (const s of n.steps) if (s.status !== 'skip') expect(s.ms, `${n.endpoint} ${s.id}`).toBeLessThanOrEqual(LIMIT + 250);
  });

  it('explains, node by node, why it cannot connect when no listed node is usable', async () => {
    await cluster.isolate(2);
    // Node 2 (isolated) and a port where nothing listens.
    const url = `mariadb://test:test@${cluster.endpoint(2)},127.0.0.1:1/testdb?sslmode=disable`;
    const id = await saveProfileFromUrl(w.client, url, { name: 'Broken cluster' });
    const err = await w.client.call('connections.open', { id }).then(
      () => null,
      (e: unknown) => e as IpcCallError,
    );
    expect(err).toBeInstanceOf(IpcCallError);
    expect(err!.code).toBe('connection-failed');
    expect(err!.message).toContain(`${cluster.endpoint(2)}: it is not in the primary component`);
    expect(err!.message).toContain('127.0.0.1:1: the node refused the connection');
    expect(err!.message).not.toContain('test:test');
  });
});
