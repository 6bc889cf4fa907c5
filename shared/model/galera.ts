import { z } from 'zod';

/** What can be wrong with a Galera node, as the cluster view flags it. */
export const nodeFlagKinds = [
  'unreachable', // no connection, or no answer in time
  'not-galera', // wsrep_on is OFF
  'non-primary', // out of the primary component: refuses reads and writes
  'not-ready', // wsrep_ready=OFF
  'not-synced', // Joining / Joined: catching up after a state transfer
  'desynced', // Donor/Desynced: a backup, FTWRL or wsrep_desync; may lag
  'rejecting-queries', // wsrep_reject_queries is not NONE
  'behind', // receive queue or last committed seqno behind the others
  'flow-control', // replication was paused a large part of the last interval
  'read-only', // read_only=ON
] as const;
export const NodeFlagKind = z.enum(nodeFlagKinds);
export type NodeFlagKind = z.infer<typeof NodeFlagKind>;

export const NodeFlag = z.object({
  kind: NodeFlagKind,
  /** error: the node cannot serve the app; warning: it can, but something needs a look. */
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type NodeFlag = z.infer<typeof NodeFlag>;

export const GaleraNodeState = z.object({
  /** host:port of the node's client port. */
  endpoint: z.string(),
  /** Listed in the profile, or found in another node's wsrep_incoming_addresses. */
  source: z.enum(['profile', 'discovered']),
  /** The app's connection runs on this node. */
  current: z.boolean(),
  reachable: z.boolean(),
  /** Why the node could not be read, in words. */
  error: z.string().nullable(),
  nodeName: z.string().nullable(),
  version: z.string().nullable(),
  /** wsrep_local_state_comment: Synced, Donor/Desynced, Joining, Joined, Initialized… */
  localState: z.string().nullable(),
  /** wsrep_cluster_status: Primary, non-Primary, Disconnected. */
  clusterStatus: z.string().nullable(),
  clusterSize: z.number().int().nullable(),
  ready: z.boolean().nullable(),
  connected: z.boolean().nullable(),
  rejectQueries: z.string().nullable(),
  readOnly: z.boolean().nullable(),
  /** Share of the last refresh interval replication was paused by flow control (0–1); null on the first reading. */
  flowControlPaused: z.number().nullable(),
  /** wsrep_flow_control_paused: the same share since the last FLUSH STATUS. */
  flowControlPausedTotal: z.number().nullable(),
  recvQueue: z.number().int().nullable(),
  recvQueueAvg: z.number().nullable(),
  sendQueue: z.number().int().nullable(),
  sendQueueAvg: z.number().nullable(),
  /** wsrep_last_committed: seqno of the last writeset this node committed. */
  lastCommitted: z.number().int().nullable(),
  /** Writesets behind the most advanced node of the primary component. */
  behindBy: z.number().int().nullable(),
  /** gcs.fc_limit: receive queue length at which this node pauses the cluster. */
  flowControlLimit: z.number().int().nullable(),
  clusterStateUuid: z.string().nullable(),
  /** The clustercheck rule: wsrep_on, ready, Primary, Synced, not rejecting queries. */
  usable: z.boolean(),
  flags: z.array(NodeFlag),
});
export type GaleraNodeState = z.infer<typeof GaleraNodeState>;

export const ClusterSnapshot = z.object({
  connectionId: z.string(),
  /** Epoch milliseconds. */
  takenAt: z.number(),
  clusterName: z.string().nullable(),
  health: z.enum(['healthy', 'degraded', 'down']),
  /** One line for people: "All 3 nodes Synced in the primary component", "127.0.0.1:4308 unreachable"… */
  summary: z.string(),
  /** Endpoints of the nodes that report themselves in the primary component. */
  primaryComponent: z.array(z.string()),
  nodes: z.array(GaleraNodeState),
});
export type ClusterSnapshot = z.infer<typeof ClusterSnapshot>;
