import { lookup } from 'node:dns/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiagnostics } from '../../features/diagnostics/core/run-diagnostics';
import type { EventPayload } from '../../shared/ipc/contract';
import { SshSettings } from '../../shared/model/ssh';
import { engineConfigFromUrl, waitForEvent } from '../support/galera/app';
import { CLUSTER_USER, GaleraCluster } from '../support/galera/galera-cluster';
import { makeKey, startPrivateSshd, type PrivateSshd } from '../support/private-sshd';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../support/test-core';

/**
 * A Galera profile behind a bastion (real three-node cluster, real sshd): every node is named by a
 * host only the bastion resolves, so the node choice, the cluster view's per-node checks and the
 * failover after a node dies can only have gone through the one tunnel of the connection.
 */
type Failover = EventPayload<'connection.failover'>;

describe('a Galera cluster through SSH (each node through the tunnel)', () => {
  let cluster: GaleraCluster;
  let bastion: PrivateSshd;
  let dir: string;
  let core: TestCore;
  let w: TestWindow;
  let ssh: Record<string, unknown>;
  const nodeName = (n: number) => `galera-${n}.behind-bastion.test`;
  const endpoint = (n: number) => `${nodeName(n)}:${cluster.node(n).ports.client}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-ssh-galera-'));
    const key = makeKey(dir, 'id_ed25519', 'ed25519');
    cluster = await GaleraCluster.start();
    bastion = await startPrivateSshd({ authorizedKeys: [key.publicLine], hosts: Object.fromEntries([1, 2, 3].map((n) => [nodeName(n), '127.0.0.1'])) });
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, bastion.knownHostsLine() + '\n');
    core = createTestCore();
    w = core.openWindow();
    ssh = { enabled: true, host: '127.0.0.1', port: bastion.port, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: knownHosts, useSshConfig: false };
  });
  afterAll(async () => {
    await w?.close();
    await core?.close();
    await bastion?.stop();
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the diagnosis runs each node’s SSH hops, then its database steps through the tunnel', async () => {
    const hosts = [1, 2, 3].map(endpoint).join(',');
    const url = `mariadb://${CLUSTER_USER.user}:${CLUSTER_USER.password}@${hosts}/${CLUSTER_USER.database}?sslmode=disable`;
    const run = await runDiagnostics({ ...engineConfigFromUrl(url), ssh: SshSettings.parse(ssh) }, { stepTimeoutMs: 10_000 });
    const summary = run.cluster?.nodes.map((n) => `${n.endpoint}: ${n.steps.map((s) => `${s.hop ? 'ssh ' : ''}${s.id}:${s.status}`).join(' ')}`).join('\n');
    expect(run.verdict.usable, summary).toBe(true);
    expect(run.cluster!.nodes.map((n) => [n.endpoint, n.verdict.usable, n.nodeName]), summary).toEqual([1, 2, 3].map((n) => [endpoint(n), true, expect.any(String)]));
    for (const node of run.cluster!.nodes) {
      expect(node.steps.some((s) => s.hop !== undefined && s.status === 'ok'), summary).toBe(true);
      expect(node.steps.find((s) => s.id === 'health')?.status, summary).toBe('ok');
    }
  });

  it('connects to the first node, sees all three in the cluster view, and fails over when it dies — all through the bastion', async () => {
    const loginsBefore = (bastion.log().match(/Accepted publickey/g) ?? []).length;
    for (const n of [1, 2, 3]) await expect(lookup(nodeName(n))).rejects.toMatchObject({ code: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
    const hosts = [1, 2, 3].map(endpoint).join(',');
    const url = `mariadb://${CLUSTER_USER.user}:${CLUSTER_USER.password}@${hosts}/${CLUSTER_USER.database}?sslmode=disable`;
    const id = await saveProfileFromUrl(w.client, url, { name: 'Cluster behind a bastion', ssh });
    const open = await w.client.call('connections.open', { id });
    expect(open.endpoint).toBe(endpoint(1));
    expect(open.serverInfo.galera).toBe(true);
    const logins = () => (bastion.log().match(/Accepted publickey/g) ?? []).length - loginsBefore;
    expect(logins()).toBe(1);

    const snap = await w.client.call('galera.snapshot', { connectionId: id });
    expect(snap.nodes.map((n) => [n.endpoint, n.reachable])).toEqual([1, 2, 3].map((n) => [endpoint(n), true]));
    expect(snap.nodes.find((n) => n.current)?.endpoint).toBe(endpoint(1));

    const before = w.events.length;
    await cluster.kill(1);
    // Something has to use the connection for it to notice; browsing does.
    void w.client.call('schema.tables', { connectionId: id, schema: CLUSTER_USER.database }).catch(() => undefined);
    const moved = await waitForEvent<Failover>(w, 'connection.failover', (e) => e.connectionId === id && !!e.to, 30_000, before);
    expect(moved.from).toBe(endpoint(1));
    expect([endpoint(2), endpoint(3)]).toContain(moved.to);
    expect((await w.client.call('schema.tables', { connectionId: id, schema: CLUSTER_USER.database })).length).toBeGreaterThanOrEqual(0);
    // Still the one SSH login: the nodes are channels of the same tunnel.
    expect(logins()).toBe(1);
  });
});
