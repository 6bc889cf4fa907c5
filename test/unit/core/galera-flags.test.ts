import { describe, expect, it } from 'vitest';
import { flagCluster, type NodeReading } from '../../../electron/core/engines/mysql/galera/cluster-flags';
import { parseNodeStatus } from '../../../electron/core/engines/mysql/galera/galera-status';

function reading(endpoint: string, status: Record<string, string> | null, extra: Partial<NodeReading> = {}): NodeReading {
  const parsed =
    status &&
    parseNodeStatus(
      new Map(
        Object.entries({
          wsrep_ready: 'ON',
          wsrep_cluster_status: 'Primary',
          wsrep_cluster_size: '3',
          wsrep_local_state_comment: 'Synced',
          wsrep_local_recv_queue: '0',
          wsrep_last_committed: '100',
          ...status,
        }),
      ),
      new Map([
        ['wsrep_on', 'ON'],
        ['wsrep_reject_queries', 'NONE'],
        ['wsrep_cluster_name', 'prod'],
        ['wsrep_provider_options', 'gcs.fc_limit = 16;'],
      ]),
    );
  return { endpoint, source: 'profile', current: false, status: parsed, error: status ? null : 'the node refused the connection (ECONNREFUSED)', flowControlPausedRecent: 0, ...extra };
}

const kinds = (snap: ReturnType<typeof flagCluster>, endpoint: string) => snap.nodes.find((n) => n.endpoint === endpoint)!.flags.map((f) => f.kind);

describe('flagging a cluster’s nodes for the cluster view', () => {
  it('calls three Synced Primary nodes healthy', () => {
    const snap = flagCluster([reading('a:1', {}, { current: true }), reading('b:1', {}), reading('c:1', {})], 1);
    expect(snap.health).toBe('healthy');
    expect(snap.summary).toBe('All 3 nodes Synced in the primary component.');
    expect(snap.clusterName).toBe('prod');
    expect(snap.nodes.every((n) => n.usable && n.flags.length === 0)).toBe(true);
    expect(snap.primaryComponent).toEqual(['a:1', 'b:1', 'c:1']);
  });

  it('flags an unreachable node and a smaller primary component', () => {
    const snap = flagCluster([reading('a:1', { wsrep_cluster_size: '2' }), reading('b:1', null), reading('c:1', { wsrep_cluster_size: '2' })], 1);
    expect(kinds(snap, 'b:1')).toEqual(['unreachable']);
    expect(snap.nodes[1]!.flags[0]!.message).toBe('Unreachable: the node refused the connection (ECONNREFUSED).');
    expect(snap.health).toBe('degraded');
    expect(snap.summary).toBe('2 of 3 nodes usable: b:1 unreachable. The primary component has 2 of 3 nodes.');
  });

  it('flags a non-Primary node, naming where the primary component is', () => {
    const snap = flagCluster(
      [reading('a:1', { wsrep_cluster_status: 'non-Primary', wsrep_ready: 'OFF', wsrep_local_state_comment: 'Initialized', wsrep_cluster_size: '1' }), reading('b:1', { wsrep_cluster_size: '2' }), reading('c:1', { wsrep_cluster_size: '2' })],
      1,
    );
    expect(kinds(snap, 'a:1')).toEqual(['non-primary']);
    expect(snap.nodes[0]!.flags[0]!.message).toBe('Out of the primary component (wsrep_cluster_status=non-Primary): it refuses reads and writes. The primary component is on b:1, c:1.');
    expect(snap.nodes[0]!.usable).toBe(false);
    expect(snap.nodes[0]!.behindBy).toBeNull(); // not compared with a component it is not in
  });

  it('says when no node reports a primary component', () => {
    const np = { wsrep_cluster_status: 'non-Primary', wsrep_ready: 'OFF', wsrep_local_state_comment: 'Initialized' };
    const snap = flagCluster([reading('a:1', np), reading('b:1', np)], 1);
    expect(snap.health).toBe('down');
    expect(snap.nodes[0]!.flags[0]!.message).toMatch(/No node reports a primary component\.$/);
    expect(snap.summary).toMatch(/^No node is usable: a:1 out of the primary component; b:1 out of the primary component\.$/);
  });

  it('flags a node falling behind (receive queue or committed seqno at the flow control limit) and one that throttles', () => {
    const snap = flagCluster(
      [
        reading('a:1', { wsrep_last_committed: '500' }),
        reading('b:1', { wsrep_last_committed: '480', wsrep_local_recv_queue: '20', wsrep_local_state_comment: 'Donor/Desynced' }),
        reading('c:1', { wsrep_last_committed: '499' }, { flowControlPausedRecent: 0.42 }),
      ],
      1,
    );
    expect(kinds(snap, 'b:1')).toEqual(['desynced', 'behind']);
    expect(snap.nodes[1]!.flags[1]!.message).toBe('Falling behind: 20 writesets waiting to be applied, 20 behind a:1 (flow control starts at 16).');
    expect(snap.nodes[1]!.behindBy).toBe(20);
    expect(snap.nodes[2]!.behindBy).toBe(1);
    expect(kinds(snap, 'c:1')).toEqual(['flow-control']);
    expect(snap.nodes[2]!.usable).toBe(true); // a warning, not a reason to leave the node
    expect(snap.health).toBe('degraded');
  });

  it('flags a node that is catching up after a state transfer', () => {
    const snap = flagCluster([reading('a:1', {}), reading('b:1', { wsrep_local_state_comment: 'Joined' })], 1);
    expect(kinds(snap, 'b:1')).toEqual(['not-synced']);
    expect(snap.nodes[1]!.usable).toBe(false);
  });
});
