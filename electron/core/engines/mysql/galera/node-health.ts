import type { NodeStatus } from './galera-status';

/** The clustercheck rule for one node, with every reason it fails in words. */
export interface NodeJudgement {
  usable: boolean;
  problems: string[];
}

/**
 * usable = wsrep_on ∧ wsrep_ready=ON ∧ wsrep_cluster_status=Primary ∧ wsrep_local_state_comment=Synced
 * ∧ wsrep_reject_queries=NONE (percona-clustercheck and the Percona operator's readiness probe; a
 * Donor/Desynced node counts as unusable, as clustercheck's default AVAILABLE_WHEN_DONOR=0 does).
 * `SELECT 1` is no proof: it passes on a non-Primary node — the caller confirms with a table read.
 */
export function judgeNode(s: NodeStatus): NodeJudgement {
  const problems: string[] = [];
  if (!s.wsrepOn) {
    problems.push('it is not a Galera node (wsrep_on is OFF)');
    return { usable: false, problems };
  }
  if (s.clusterStatus !== 'Primary') problems.push(`it is not in the primary component (wsrep_cluster_status=${s.clusterStatus ?? 'unknown'})`);
  if (s.ready !== true) problems.push('it does not accept queries (wsrep_ready=OFF)');
  if (s.localState !== 'Synced') problems.push(`it is not synced (wsrep_local_state_comment=${s.localState ?? 'unknown'})`);
  if (s.rejectQueries !== null && s.rejectQueries !== 'NONE') problems.push(`it refuses client queries (wsrep_reject_queries=${s.rejectQueries})`);
  return { usable: problems.length === 0, problems };
}

interface DriverError {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
}

/** Driver codes that mean the connection, not the statement, failed. */
const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'HEALTH_CHECK_TIMEOUT',
]);
/** 1047 (08S01): "WSREP has not yet prepared node for application use" — the node left the primary component. */
const ER_WSREP_NOT_READY = 1047;

/**
 * Whether an error says the node is gone or unfit (connection lost or refused, node not ready),
 * as opposed to the statement being wrong. Only these make the cluster connection look for another node.
 */
export function isNodeFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  // An error that explains a driver error (a lost connection during an edit) keeps it as its cause.
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== err && isNodeFailure(cause)) return true;
  const e = err as DriverError;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  if (e.errno === ER_WSREP_NOT_READY) return true;
  if (e.fatal === true) return true; // mysql2 marks errors that closed the connection (also "closed state")
  return false;
}

/** The node failure in a few words, with the driver's code for support. */
export function describeNodeFailure(err: unknown): string {
  const cause = typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined;
  if (cause !== undefined && cause !== err && isNodeFailure(cause)) return describeNodeFailure(cause);
  const e = (typeof err === 'object' && err !== null ? err : {}) as DriverError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  switch (code) {
    case 'PROTOCOL_CONNECTION_LOST':
      return 'the server closed the connection (PROTOCOL_CONNECTION_LOST)';
    case 'ECONNREFUSED':
      return 'the node refused the connection: nothing listens on its port (ECONNREFUSED)';
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection was cut (${code})`;
    case 'ETIMEDOUT':
      return 'the node did not answer in time (ETIMEDOUT)';
    case 'HEALTH_CHECK_TIMEOUT':
      return String(e.message);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the node's host name does not resolve (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the node's network is unreachable (${code})`;
  }
  if (e.errno === ER_WSREP_NOT_READY) return 'the node refused the statement: it is not part of the primary component (WSREP not ready, error 1047)';
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(err);
  return code ? `${message} (${code})` : message;
}
