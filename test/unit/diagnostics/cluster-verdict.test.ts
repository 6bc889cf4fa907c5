import { describe, expect, it } from 'vitest';
import { assessCluster, galeraFactsOf, type NodeOutcome } from '../../../features/diagnostics/core/cluster-verdict';
import type { DiagnosticStep, DiagnosticVerdict } from '../../../shared/model/diagnostics';

/** A node's outcome as the per-node run leaves it: the health step's wsrep evidence decides. */
function node(endpoint: string, wsrep: Record<string, string> | null, verdict: Partial<DiagnosticVerdict> = {}): NodeOutcome {
  const base = { title: 't', startedMs: 0, ms: 1, timeoutMs: 1000, timedOut: false };
  const steps: DiagnosticStep[] = wsrep
    ? [{ ...base, id: 'health', status: verdict.usable === false ? 'fail' : 'ok', detail: 'health', evidence: { wsrep_on: 'ON', ...wsrep }, ...(verdict.classId ? { classId: verdict.classId } : {}) }]
    : [{ ...base, id: 'tcp', status: 'fail', detail: 'refused', evidence: {}, classId: 'tcp-refused' }];
  return {
    endpoint,
    nodeName: wsrep?.wsrep_node_name ?? null,
    steps,
    verdict: { usable: true, status: 'ok', classId: null, headline: 'ok', ...verdict },
    server: { product: 'mariadb', version: '10.11.19' },
  };
}

const synced = (name: string, extra: Record<string, string> = {}) => ({
  wsrep_cluster_status: 'Primary',
  wsrep_cluster_size: '2',
  wsrep_ready: 'ON',
  wsrep_local_state_comment: 'Synced',
  wsrep_reject_queries: 'NONE',
  wsrep_last_committed: '120',
  wsrep_cluster_state_uuid: 'uuid-a',
  wsrep_node_name: name,
  ...extra,
});
const nonPrimary = (name: string, lastCommitted = '118') => ({
  wsrep_cluster_status: 'non-Primary',
  wsrep_cluster_size: '1',
  wsrep_ready: 'OFF',
  wsrep_local_state_comment: 'Initialized',
  wsrep_reject_queries: 'NONE',
  wsrep_last_committed: lastCommitted,
  wsrep_cluster_state_uuid: 'uuid-a',
  wsrep_node_name: name,
});
const failedAt = (classId: DiagnosticVerdict['classId'], step: DiagnosticVerdict['failedStep'] = 'health'): Partial<DiagnosticVerdict> => ({
  usable: false,
  status: 'failed',
  classId,
  failedStep: step,
  headline: `${classId} — node says so`,
  remedy: { audience: 'dba', text: 'generic' },
});

describe('a cluster profile’s verdict from its nodes', () => {
  it('reads the wsrep facts a node’s health step recorded', () => {
    expect(galeraFactsOf(node('a:1', synced('n1')).steps)).toMatchObject({ clusterStatus: 'Primary', clusterSize: 2, lastCommitted: 120, nodeName: 'n1' });
    expect(galeraFactsOf(node('a:1', null).steps)).toBeNull();
  });

  it('every node fine: ok, and says all are in the primary component', () => {
    const r = assessCluster([node('h:1', synced('n1', { wsrep_cluster_size: '3' })), node('h:2', synced('n2', { wsrep_cluster_size: '3' })), node('h:3', synced('n3', { wsrep_cluster_size: '3' }))], 'MariaDB');
    expect(r.verdict).toMatchObject({ usable: true, status: 'ok', classId: null });
    expect(r.verdict.headline).toMatch(/3 of 3 nodes passed every check \(MariaDB 10\.11\.19, all in the primary component\)/);
    expect(r.diagnosis.primary).toEqual(['h:1', 'h:2', 'h:3']);
    expect(r.diagnosis.findings).toEqual([]);
  });

  it('one node outside the primary component: names it, names who holds the primary component, and says not to bootstrap', () => {
    const r = assessCluster([node('h:1', synced('n1')), node('h:2', synced('n2')), node('h:3', nonPrimary('n3'), failedAt('galera-non-primary'))], 'MariaDB');
    expect(r.verdict).toMatchObject({ usable: true, status: 'degraded', classId: 'galera-non-primary', node: 'h:3', failedStep: 'health' });
    expect(r.verdict.headline).toMatch(/^2 of 3 nodes usable — h:3 \(n3\): /);
    const text = r.verdict.remedy!.text;
    expect(text).toContain('h:3 (n3) is outside the primary component (it sees a cluster of 1)');
    expect(text).toContain('held by h:1 (n1) and h:2 (n2) (cluster size 2)');
    expect(text).toContain('Do not bootstrap h:3 (n3)');
    expect(text).not.toContain('pc.bootstrap');
    // The node's own failing step carries the same advice.
    const n3 = r.diagnosis.nodes.find((n) => n.endpoint === 'h:3')!;
    expect(n3.steps.find((s) => s.id === 'health')!.remedy!.text).toBe(text);
    expect(n3.verdict.remedy!.text).toBe(text);
    expect(r.diagnosis.findings).toEqual(['The primary component has 2 members, but the connection lists 3 nodes: h:3 (n3) is not part of it.']);
  });

  it('quorum lost everywhere: bootstrap only as a last resort, on the node with the most recent state, with the warning', () => {
    const r = assessCluster(
      [node('h:1', nonPrimary('n1', '90'), failedAt('galera-non-primary')), node('h:2', nonPrimary('n2', '130'), failedAt('galera-non-primary')), node('h:3', nonPrimary('n3', '120'), failedAt('galera-non-primary'))],
      'MariaDB',
    );
    expect(r.verdict).toMatchObject({ usable: false, status: 'failed', classId: 'galera-non-primary', node: 'h:1' });
    const text = r.verdict.remedy!.text;
    expect(text).toContain('Quorum is lost: none of the 3 listed nodes holds the primary component.');
    expect(text).toContain('as a last resort bootstrap the node with the most recent state — h:2 (n2), wsrep_last_committed 130');
    expect(text).toContain("pc.bootstrap=YES");
    expect(text).toMatch(/Warning: bootstrapping a node while another primary component is still running splits the cluster/);
  });

  it('non-Primary with another node silent: check that node before anything else', () => {
    const r = assessCluster([node('h:1', nonPrimary('n1'), failedAt('galera-non-primary')), node('h:2', null, failedAt('tcp-refused', 'tcp'))], 'MariaDB');
    expect(r.verdict.classId).toBe('galera-non-primary');
    expect(r.verdict.remedy!.text).toContain('h:2 did not answer: check that node first — it may still be in the primary component.');
    expect(r.verdict.remedy!.text).toContain('Only when you are sure no primary component is left anywhere, as a last resort, bootstrap');
    // The silent node keeps its own (transport) advice.
    expect(r.diagnosis.nodes[1]!.verdict.remedy!.text).toBe('generic');
  });

  it('a node rejecting queries: maintenance, use the others meanwhile', () => {
    const r = assessCluster([node('h:1', synced('n1', { wsrep_reject_queries: 'ALL' }), failedAt('galera-not-ready')), node('h:2', synced('n2'))], 'MariaDB');
    expect(r.verdict).toMatchObject({ usable: true, status: 'degraded', classId: 'galera-not-ready', node: 'h:1' });
    expect(r.verdict.remedy!.text).toMatch(/^h:1 \(n1\) is set to refuse client queries \(wsrep_reject_queries=ALL\).*Use h:2 \(n2\) meanwhile.*wsrep_reject_queries=NONE/);
  });

  it('a joining node: not Synced yet', () => {
    const r = assessCluster([node('h:1', synced('n1')), node('h:2', synced('n2', { wsrep_local_state_comment: 'Joining: receiving State Transfer' }), failedAt('galera-not-ready'))], 'MariaDB');
    expect(r.verdict.remedy!.text).toContain('h:2 (n2) is Joining: receiving State Transfer, not Synced');
  });

  it('two primary components at once are a finding, even when every node answers', () => {
    const r = assessCluster([node('h:1', synced('n1', { wsrep_cluster_size: '1' })), node('h:2', synced('n2', { wsrep_cluster_size: '1', wsrep_cluster_state_uuid: 'uuid-b' }))], 'MariaDB');
    expect(r.verdict).toMatchObject({ usable: true, status: 'degraded', classId: null });
    expect(r.diagnosis.findings[0]).toMatch(/^Two primary components: h:1 \(n1\) and h:2 \(n2\) are each Primary/);
    expect(r.verdict.headline).toContain('Two primary components');
  });

  it('a Galera class explains a cluster before a transport failure listed earlier', () => {
    const r = assessCluster([node('h:1', null, failedAt('tcp-refused', 'tcp')), node('h:2', nonPrimary('n2'), failedAt('galera-non-primary'))], 'MariaDB');
    expect(r.verdict).toMatchObject({ usable: false, classId: 'galera-non-primary', node: 'h:2' });
    expect(r.verdict.headline).toMatch(/^No node of the cluster is usable — h:1: tcp-refused; h:2 \(n2\): galera-non-primary\./);
  });
});
