import { describe, expect, it } from 'vitest';
import { parseFlowControlLimit, parseIncomingAddresses, parseNodeStatus, type NodeStatus } from '../../../electron/core/engines/mysql/galera/galera-status';
import { describeNodeFailure, isNodeFailure, judgeNode } from '../../../electron/core/engines/mysql/galera/node-health';

/** Status and variables as a healthy node reports them (observed on MariaDB 10.11 / galera-4 26.4). */
function healthy(overrides: Record<string, string> = {}, vars: Record<string, string> = {}): NodeStatus {
  const status = new Map(
    Object.entries({
      wsrep_ready: 'ON',
      wsrep_connected: 'ON',
      wsrep_cluster_status: 'Primary',
      wsrep_cluster_size: '3',
      wsrep_local_state_comment: 'Synced',
      wsrep_flow_control_paused: '0.012',
      wsrep_flow_control_paused_ns: '123456789',
      wsrep_local_recv_queue: '0',
      wsrep_local_recv_queue_avg: '0.1',
      wsrep_last_committed: '212',
      wsrep_incoming_addresses: '127.0.0.1:4307,127.0.0.1:4308,[::1]:4309',
      wsrep_cluster_conf_id: '18446744073709551615',
      ...overrides,
    }),
  );
  const variables = new Map(
    Object.entries({
      wsrep_on: 'ON',
      wsrep_reject_queries: 'NONE',
      read_only: 'OFF',
      wsrep_node_name: 'n1',
      wsrep_provider_options: 'base_dir = /var/lib/mysql/; gcs.fc_factor = 1.0; gcs.fc_limit = 16; gcs.fc_master_slave = no;',
      ...vars,
    }),
  );
  return parseNodeStatus(status, variables);
}

describe('reading a node’s wsrep status', () => {
  it('types the variables, keeping the unsigned conf id as text and the paused time exact', () => {
    const s = healthy();
    expect(s).toMatchObject({ wsrepOn: true, ready: true, clusterStatus: 'Primary', clusterSize: 3, localState: 'Synced', lastCommitted: 212, flowControlLimit: 16, nodeName: 'n1' });
    expect(s.confId).toBe('18446744073709551615');
    expect(s.flowControlPausedNs).toBe(123456789n);
    expect(s.incomingAddresses).toEqual([
      { host: '127.0.0.1', port: 4307 },
      { host: '127.0.0.1', port: 4308 },
      { host: '::1', port: 4309 },
    ]);
  });

  it('skips incoming addresses that name no port (AUTO, empty)', () => {
    expect(parseIncomingAddresses('AUTO,,10.0.0.5,10.0.0.6:3306, 10.0.0.7:0')).toEqual([{ host: '10.0.0.6', port: 3306 }]);
  });

  it('finds gcs.fc_limit among the provider options, or says it does not know', () => {
    expect(parseFlowControlLimit('gcs.fc_factor = 1.0; gcs.fc_limit = 80; gcs.fc_master_slave = no')).toBe(80);
    expect(parseFlowControlLimit('')).toBeNull();
  });

  it('treats a server without wsrep variables (MySQL, plain MariaDB) as not Galera', () => {
    const s = parseNodeStatus(new Map(), new Map([['version', '8.0.36']]));
    expect(s.wsrepOn).toBe(false);
    expect(judgeNode(s)).toEqual({ usable: false, problems: ['it is not a Galera node (wsrep_on is OFF)'] });
  });
});

describe('the clustercheck rule', () => {
  it('accepts a Synced node in the primary component that takes queries', () => {
    expect(judgeNode(healthy())).toEqual({ usable: true, problems: [] });
  });

  it('refuses a non-Primary node, saying every reason as the status shows it', () => {
    const j = judgeNode(healthy({ wsrep_ready: 'OFF', wsrep_cluster_status: 'non-Primary', wsrep_local_state_comment: 'Initialized', wsrep_cluster_size: '1' }));
    expect(j.usable).toBe(false);
    expect(j.problems).toEqual([
      'it is not in the primary component (wsrep_cluster_status=non-Primary)',
      'it does not accept queries (wsrep_ready=OFF)',
      'it is not synced (wsrep_local_state_comment=Initialized)',
    ]);
  });

  it('refuses a Donor/Desynced node and one that rejects queries while looking Primary and Synced', () => {
    expect(judgeNode(healthy({ wsrep_local_state_comment: 'Donor/Desynced' })).problems).toEqual(['it is not synced (wsrep_local_state_comment=Donor/Desynced)']);
    expect(judgeNode(healthy({}, { wsrep_reject_queries: 'ALL' })).problems).toEqual(['it refuses client queries (wsrep_reject_queries=ALL)']);
  });
});

describe('telling a node failure from a bad statement', () => {
  it('counts lost, refused and timed-out connections and error 1047 as node failures', () => {
    expect(isNodeFailure({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })).toBe(true);
    expect(isNodeFailure({ code: 'ECONNREFUSED', errno: -111 })).toBe(true);
    expect(isNodeFailure({ code: 'ER_UNKNOWN_COM_ERROR', errno: 1047, sqlState: '08S01' })).toBe(true);
    expect(isNodeFailure(Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }))).toBe(true);
  });

  it('does not count what the statement did wrong', () => {
    expect(isNodeFailure({ code: 'ER_PARSE_ERROR', errno: 1064 })).toBe(false);
    expect(isNodeFailure({ code: 'ER_DUP_ENTRY', errno: 1062 })).toBe(false);
    // A real lock wait is the statement's problem, not the node's.
    expect(isNodeFailure({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 })).toBe(false);
    expect(isNodeFailure(null)).toBe(false);
  });

  it('says what happened in words, with the driver code', () => {
    expect(describeNodeFailure({ code: 'PROTOCOL_CONNECTION_LOST' })).toBe('the server closed the connection (PROTOCOL_CONNECTION_LOST)');
    expect(describeNodeFailure({ code: 'ER_UNKNOWN_COM_ERROR', errno: 1047, message: 'WSREP has not yet prepared node for application use' })).toMatch(/not part of the primary component .*1047/);
    expect(describeNodeFailure({ code: 'ER_ACCESS_DENIED_ERROR', message: "Access denied for user 'x'@'y'" })).toBe("Access denied for user 'x'@'y' (ER_ACCESS_DENIED_ERROR)");
  });
});
