import type { RowDataPacket } from 'mysql2/promise';

/** Something that runs a query: a mysql2 promise connection or pool. */
export interface Queryable {
  query<T extends RowDataPacket[]>(sql: string, values?: unknown[]): Promise<[T, unknown]>;
}

/** The wsrep status variables a node's health is read from (shared/notes/diagnostics.md §6). */
const STATUS_NAMES = [
  'wsrep_ready',
  'wsrep_connected',
  'wsrep_cluster_status',
  'wsrep_cluster_size',
  'wsrep_cluster_state_uuid',
  'wsrep_cluster_conf_id',
  'wsrep_local_state',
  'wsrep_local_state_comment',
  'wsrep_local_state_uuid',
  'wsrep_flow_control_paused',
  'wsrep_flow_control_paused_ns',
  'wsrep_local_recv_queue',
  'wsrep_local_recv_queue_avg',
  'wsrep_local_send_queue',
  'wsrep_local_send_queue_avg',
  'wsrep_last_committed',
  'wsrep_incoming_addresses',
  'wsrep_gcomm_uuid',
  'wsrep_desync_count',
];

/** System variables: which exist depends on the server (MySQL has no wsrep_* at all), so ask by name. */
const VARIABLE_NAMES = ['wsrep_on', 'wsrep_reject_queries', 'read_only', 'wsrep_node_name', 'wsrep_cluster_name', 'wsrep_provider_options', 'version'];

/** One node's wsrep state, typed. Null where the server did not report the variable. */
export interface NodeStatus {
  wsrepOn: boolean;
  ready: boolean | null;
  connected: boolean | null;
  clusterStatus: string | null;
  clusterSize: number | null;
  clusterStateUuid: string | null;
  confId: string | null;
  localState: string | null;
  flowControlPaused: number | null;
  flowControlPausedNs: bigint | null;
  recvQueue: number | null;
  recvQueueAvg: number | null;
  sendQueue: number | null;
  sendQueueAvg: number | null;
  lastCommitted: number | null;
  incomingAddresses: { host: string; port: number }[];
  gcommUuid: string | null;
  rejectQueries: string | null;
  readOnly: boolean | null;
  nodeName: string | null;
  clusterName: string | null;
  flowControlLimit: number | null;
  version: string | null;
}

/**
 * Reads a node's status in two round trips. Both work for a user with only USAGE and on a
 * non-Primary node (SHOW is exempt from the wsrep readiness check).
 */
export async function readNodeStatus(q: Queryable): Promise<NodeStatus> {
  const [status] = await q.query<RowDataPacket[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS_NAMES.map(() => '?').join(', ')})`, STATUS_NAMES);
  const [vars] = await q.query<RowDataPacket[]>(`SHOW GLOBAL VARIABLES WHERE Variable_name IN (${VARIABLE_NAMES.map(() => '?').join(', ')})`, VARIABLE_NAMES);
  return parseNodeStatus(toMap(status), toMap(vars));
}

function toMap(rows: RowDataPacket[]): Map<string, string> {
  return new Map(rows.map((r) => [String(r.Variable_name).toLowerCase(), r.Value === null ? '' : String(r.Value)]));
}

/** Pure: status and variable maps (lower-case names) → NodeStatus. */
export function parseNodeStatus(s: Map<string, string>, v: Map<string, string>): NodeStatus {
  const text = (m: Map<string, string>, k: string) => {
    const x = m.get(k);
    return x === undefined || x === '' ? null : x;
  };
  const num = (m: Map<string, string>, k: string) => {
    const x = text(m, k);
    if (x === null) return null;
    const n = Number(x);
    return Number.isFinite(n) ? n : null;
  };
  const onOff = (m: Map<string, string>, k: string) => {
    const x = text(m, k)?.toUpperCase();
    return x === undefined ? null : x === 'ON' || x === '1';
  };
  const pausedNs = text(s, 'wsrep_flow_control_paused_ns');
  return {
    wsrepOn: onOff(v, 'wsrep_on') === true,
    ready: onOff(s, 'wsrep_ready'),
    connected: onOff(s, 'wsrep_connected'),
    clusterStatus: text(s, 'wsrep_cluster_status'),
    clusterSize: num(s, 'wsrep_cluster_size'),
    clusterStateUuid: text(s, 'wsrep_cluster_state_uuid'),
    confId: text(s, 'wsrep_cluster_conf_id'),
    localState: text(s, 'wsrep_local_state_comment'),
    flowControlPaused: num(s, 'wsrep_flow_control_paused'),
    flowControlPausedNs: pausedNs !== null && /^\d+$/.test(pausedNs) ? BigInt(pausedNs) : null,
    recvQueue: num(s, 'wsrep_local_recv_queue'),
    recvQueueAvg: num(s, 'wsrep_local_recv_queue_avg'),
    sendQueue: num(s, 'wsrep_local_send_queue'),
    sendQueueAvg: num(s, 'wsrep_local_send_queue_avg'),
    lastCommitted: num(s, 'wsrep_last_committed'),
    incomingAddresses: parseIncomingAddresses(text(s, 'wsrep_incoming_addresses') ?? ''),
    gcommUuid: text(s, 'wsrep_gcomm_uuid'),
    rejectQueries: text(v, 'wsrep_reject_queries')?.toUpperCase() ?? null,
    readOnly: onOff(v, 'read_only'),
    nodeName: text(v, 'wsrep_node_name'),
    clusterName: text(v, 'wsrep_cluster_name'),
    flowControlLimit: parseFlowControlLimit(text(v, 'wsrep_provider_options') ?? ''),
    version: text(v, 'version'),
  };
}

/** `wsrep_incoming_addresses`: `h1:p1,h2:p2,[::1]:p3`; `AUTO` or an address without a port is skipped. */
export function parseIncomingAddresses(text: string): { host: string; port: number }[] {
  const out: { host: string; port: number }[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})\s*$/.exec(part);
    if (!m) continue;
    const port = Number(m[3]);
    if (port >= 1 && port <= 65535) out.push({ host: (m[1] ?? m[2])!, port });
  }
  return out;
}

/** `gcs.fc_limit = 16;` inside wsrep_provider_options. */
export function parseFlowControlLimit(options: string): number | null {
  const m = /(?:^|;)\s*gcs\.fc_limit\s*=\s*(\d+)/.exec(options);
  return m ? Number(m[1]) : null;
}
