import type { ClusterSnapshot, GaleraNodeState, NodeFlag, NodeFlagKind } from '../../../../../shared/model/galera';
import type { NodeStatus } from './galera-status';
import { judgeNode } from './node-health';

/** What the cluster view knows about one node at one moment. */
export interface NodeReading {
  endpoint: string;
  source: 'profile' | 'discovered';
  current: boolean;
  status: NodeStatus | null;
  /** Why it could not be read, when `status` is null. */
  error: string | null;
  /** Share of the last interval spent paused by flow control; null on the first reading. */
  flowControlPausedRecent: number | null;
  /** The node's name from an earlier reading, for a node that does not answer now. */
  lastKnownName?: string | null;
}

/** Galera's default gcs.fc_limit, for nodes that do not report theirs. */
const DEFAULT_FC_LIMIT = 16;
/** Paused more than this share of the interval is worth a warning (diagnostics.md §6: > 0.1 is degraded). */
const FLOW_CONTROL_WARNING = 0.1;

const shortLabels: Record<NodeFlagKind, string> = {
  unreachable: 'unreachable',
  'not-galera': 'not a Galera node',
  'non-primary': 'out of the primary component',
  'not-ready': 'not ready',
  'not-synced': 'not synced',
  desynced: 'desynced',
  'rejecting-queries': 'rejecting queries',
  behind: 'falling behind',
  'flow-control': 'pausing replication',
  'read-only': 'read-only',
};

/**
 * Pure: readings of every node → the snapshot the cluster view shows, with each problem flagged
 * the moment a reading shows it (a node out of the primary component, unreachable, catching up,
 * falling behind the others, throttling the cluster).
 */
export function flagCluster(readings: NodeReading[], takenAt: number): Omit<ClusterSnapshot, 'connectionId'> {
  const primary = readings.filter((r) => r.status?.wsrepOn && r.status.clusterStatus === 'Primary');
  const committed = primary.map((r) => r.status!.lastCommitted).filter((x): x is number => x !== null);
  const maxCommitted = committed.length > 0 ? Math.max(...committed) : null;
  const leader = primary.find((r) => r.status!.lastCommitted === maxCommitted)?.endpoint ?? null;
  const primaryList = primary.map((r) => r.endpoint);

  const nodes: GaleraNodeState[] = readings.map((r) => {
    const s = r.status;
    const behindBy = s && s.clusterStatus === 'Primary' && s.lastCommitted !== null && maxCommitted !== null ? maxCommitted - s.lastCommitted : null;
    return {
      endpoint: r.endpoint,
      source: r.source,
      current: r.current,
      reachable: s !== null,
      error: r.error,
      nodeName: s?.nodeName ?? r.lastKnownName ?? null,
      version: s?.version ?? null,
      localState: s?.localState ?? null,
      clusterStatus: s?.clusterStatus ?? null,
      clusterSize: s?.clusterSize ?? null,
      ready: s?.ready ?? null,
      connected: s?.connected ?? null,
      rejectQueries: s?.rejectQueries ?? null,
      readOnly: s?.readOnly ?? null,
      flowControlPaused: r.flowControlPausedRecent,
      flowControlPausedTotal: s?.flowControlPaused ?? null,
      recvQueue: s?.recvQueue ?? null,
      recvQueueAvg: s?.recvQueueAvg ?? null,
      sendQueue: s?.sendQueue ?? null,
      sendQueueAvg: s?.sendQueueAvg ?? null,
      lastCommitted: s?.lastCommitted ?? null,
      behindBy,
      flowControlLimit: s?.flowControlLimit ?? null,
      clusterStateUuid: s?.clusterStateUuid ?? null,
      usable: s !== null && judgeNode(s).usable,
      flags: flagsOf(r, behindBy, primaryList, leader),
    };
  });

  const usable = nodes.filter((n) => n.usable).length;
  const primarySize = Math.max(0, ...primary.map((r) => r.status!.clusterSize ?? 0));
  const issues = nodes.flatMap((n) => (n.flags.length > 0 ? [`${n.endpoint} ${n.flags.map((f) => shortLabels[f.kind]).join(', ')}`] : []));
  let health: ClusterSnapshot['health'];
  let summary: string;
  if (usable === 0) {
    health = 'down';
    summary = `No node is usable${issues.length ? `: ${issues.join('; ')}` : ''}.`;
  } else if (issues.length > 0 || primarySize < nodes.length) {
    health = 'degraded';
    const size = primarySize < nodes.length ? ` The primary component has ${primarySize} of ${nodes.length} nodes.` : '';
    summary = `${usable} of ${nodes.length} nodes usable${issues.length ? `: ${issues.join('; ')}` : ''}.${size}`;
  } else {
    health = 'healthy';
    summary = `All ${nodes.length} nodes Synced in the primary component.`;
  }
  const clusterName = readings.find((r) => r.status?.clusterName)?.status?.clusterName ?? null;
  return { takenAt, clusterName, health, summary, primaryComponent: primaryList, nodes };
}

function flagsOf(r: NodeReading, behindBy: number | null, primary: string[], leader: string | null): NodeFlag[] {
  const s = r.status;
  if (!s) return [{ kind: 'unreachable', severity: 'error', message: `Unreachable: ${r.error ?? 'no answer'}.` }];
  if (!s.wsrepOn) return [{ kind: 'not-galera', severity: 'error', message: 'Not a Galera node: wsrep_on is OFF.' }];
  const flags: NodeFlag[] = [];
  const inPrimary = s.clusterStatus === 'Primary';
  if (!inPrimary) {
    const others = primary.filter((e) => e !== r.endpoint);
    const where = others.length > 0 ? ` The primary component is on ${others.join(', ')}.` : ' No node reports a primary component.';
    flags.push({
      kind: 'non-primary',
      severity: 'error',
      message: `Out of the primary component (wsrep_cluster_status=${s.clusterStatus ?? 'unknown'}): it refuses reads and writes.${where}`,
    });
  } else {
    if (s.ready !== true) flags.push({ kind: 'not-ready', severity: 'error', message: 'Not ready (wsrep_ready=OFF): it refuses queries.' });
    if (s.localState === 'Donor/Desynced') {
      flags.push({ kind: 'desynced', severity: 'warning', message: 'Desynced (a state transfer donor, a backup or wsrep_desync): it may lag and is not used for the app’s connection.' });
    } else if (s.localState !== 'Synced') {
      flags.push({ kind: 'not-synced', severity: 'error', message: `Not synced (${s.localState ?? 'unknown'}): it is still catching up with the cluster.` });
    }
    const limit = s.flowControlLimit ?? DEFAULT_FC_LIMIT;
    const queue = s.recvQueue ?? 0;
    if (queue >= limit || (behindBy !== null && behindBy >= limit)) {
      const parts = [queue > 0 ? `${queue} writesets waiting to be applied` : null, behindBy ? `${behindBy} behind ${leader ?? 'the most advanced node'}` : null].filter(Boolean);
      flags.push({ kind: 'behind', severity: 'warning', message: `Falling behind: ${parts.join(', ')} (flow control starts at ${limit}).` });
    }
  }
  if (s.rejectQueries !== null && s.rejectQueries !== 'NONE') {
    flags.push({ kind: 'rejecting-queries', severity: 'error', message: `Rejecting client queries (wsrep_reject_queries=${s.rejectQueries}).` });
  }
  if (r.flowControlPausedRecent !== null && r.flowControlPausedRecent >= FLOW_CONTROL_WARNING) {
    flags.push({
      kind: 'flow-control',
      severity: 'warning',
      message: `Replication paused by flow control ${Math.round(r.flowControlPausedRecent * 100)}% of the last interval: a slow node is throttling the cluster.`,
    });
  }
  if (s.readOnly) flags.push({ kind: 'read-only', severity: 'warning', message: 'read_only is ON: writes through this node are refused.' });
  return flags;
}
