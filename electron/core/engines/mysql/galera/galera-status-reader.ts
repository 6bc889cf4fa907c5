import type { EngineConfig } from '../../config';
import type { ClusterStatusSource } from '../../engine';
import { formatEndpoint } from '../mysql-connection-options';
import { flagCluster, type NodeReading } from './cluster-flags';
import { readNodeStatus, type NodeStatus, type Queryable } from './galera-status';
import type { ClusterNodeAddress } from './node-check';
import { NodeConnection } from './node-connection';
import { describeNodeFailure } from './node-health';

/** A cluster view refresh should not wait long for a hung node: it is shown as unreachable instead. */
const VIEW_READ_TIMEOUT_MS = 3000;

interface KnownNode {
  endpoint: string;
  source: 'profile' | 'discovered';
  conn: NodeConnection;
  lastPaused?: { ns: bigint; at: number };
  /** The node's wsrep_node_name when it last answered: still shown once it stops answering. */
  lastName?: string;
}

/**
 * Reads every node of a cluster for the cluster view: the profile's nodes plus any other member
 * found in a node's wsrep_incoming_addresses. A node seen once stays listed, so one that drops out
 * of the cluster shows up as unreachable or out of the primary component instead of vanishing.
 * One small connection per node, kept between readings.
 */
export class GaleraStatusReader implements ClusterStatusSource {
  private readonly known = new Map<string, KnownNode>();
  /** Discovered addresses that turned out to be a profile node under another name. */
  private readonly aliases = new Set<string>();
  private closed = false;

  constructor(
    private readonly config: EngineConfig,
    seeds: ClusterNodeAddress[],
    private readonly current: () => string | null,
  ) {
    for (const s of seeds) this.add(s, 'profile');
  }

  async read(): ReturnType<ClusterStatusSource['read']> {
    const readings = await this.readAll([...this.known.values()]);
    const found: KnownNode[] = [];
    // By address: Galera lists wsrep_incoming_addresses in no fixed order, and the view's rows should not move.
    const reported = readings.flatMap((r) => r.status?.incomingAddresses ?? []).sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
    for (const a of reported) {
      const endpoint = formatEndpoint(a.host, a.port);
      if (!this.known.has(endpoint) && !this.aliases.has(endpoint)) found.push(this.add(a, 'discovered'));
    }
    if (found.length > 0) readings.push(...(await this.readAll(found)));
    return flagCluster(this.withoutAliases(readings), Date.now());
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const k of this.known.values()) k.conn.close();
  }

  private add(a: ClusterNodeAddress, source: KnownNode['source']): KnownNode {
    const node: KnownNode = { endpoint: formatEndpoint(a.host, a.port), source, conn: new NodeConnection(this.config, a.host, a.port, VIEW_READ_TIMEOUT_MS) };
    this.known.set(node.endpoint, node);
    return node;
  }

  private readAll(nodes: KnownNode[]): Promise<NodeReading[]> {
    const current = this.current();
    return Promise.all(
      nodes.map(async (k): Promise<NodeReading> => {
        const base = { endpoint: k.endpoint, source: k.source, current: k.endpoint === current };
        if (this.closed) return { ...base, status: null, error: 'the cluster view was closed', flowControlPausedRecent: null };
        try {
          const status = await k.conn.use((c) => readNodeStatus(c as unknown as Queryable));
          if (status.nodeName) k.lastName = status.nodeName;
          return { ...base, status, error: null, flowControlPausedRecent: this.pausedShare(k, status) };
        } catch (err) {
          delete k.lastPaused;
          return { ...base, status: null, error: describeNodeFailure(err), flowControlPausedRecent: null, lastKnownName: k.lastName ?? null };
        }
      }),
    );
  }

  /** Flow control's share of the time since the last reading, from the cumulative wsrep_flow_control_paused_ns. */
  private pausedShare(k: KnownNode, s: NodeStatus): number | null {
    const now = Date.now();
    const prev = k.lastPaused;
    if (s.flowControlPausedNs === null) return null;
    k.lastPaused = { ns: s.flowControlPausedNs, at: now };
    if (!prev || now <= prev.at || s.flowControlPausedNs < prev.ns) return null;
    return Math.min(1, Number(s.flowControlPausedNs - prev.ns) / ((now - prev.at) * 1e6));
  }

  /** A discovered address whose node has the same gcomm UUID as a profile node is that node: drop it. */
  private withoutAliases(readings: NodeReading[]): NodeReading[] {
    const profileUuids = new Set(readings.filter((r) => r.source === 'profile' && r.status?.gcommUuid).map((r) => r.status!.gcommUuid!));
    return readings.filter((r) => {
      if (r.source !== 'discovered' || !r.status?.gcommUuid || !profileUuids.has(r.status.gcommUuid)) return true;
      this.aliases.add(r.endpoint);
      this.known.get(r.endpoint)?.conn.close();
      this.known.delete(r.endpoint);
      return false;
    });
  }
}
