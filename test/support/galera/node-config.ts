import { join } from 'node:path';
import { nodePorts } from './ports';

export const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
export const CLUSTER_NAME = 'dbdesk_test';

export interface NodeLayout {
  n: number;
  dir: string;
  dataDir: string;
  socket: string;
  pidFile: string;
  errorLog: string;
  cnf: string;
  ports: ReturnType<typeof nodePorts>;
}

export function nodeLayout(root: string, base: number, n: number): NodeLayout {
  const dir = join(root, `n${n}`);
  return {
    n,
    dir,
    dataDir: join(dir, 'data'),
    socket: join(dir, 'mysqld.sock'),
    pidFile: join(dir, 'mysqld.pid'),
    errorLog: join(dir, 'error.log'),
    cnf: join(dir, 'my.cnf'),
    ports: nodePorts(base, n),
  };
}

/**
 * Failure detection shortened for loopback (galera.md: a dead node leaves the view in ~2 s instead of
 * ~6 s). Galera requires keepalive ≤ inactive_check ≤ suspect ≤ inactive ≤ consensus.
 * Never use these across a real network: a short GC pause would split the cluster.
 */
const FAST_FAILURE = [
  'evs.keepalive_period=PT0.5S',
  'evs.inactive_check_period=PT0.5S',
  'evs.suspect_timeout=PT1.5S',
  'evs.inactive_timeout=PT3S',
  'evs.install_timeout=PT3S',
  'evs.join_retrans_period=PT0.5S',
  'pc.announce_timeout=PT0.5S',
];

/**
 * One node's my.cnf. It is passed as the first argument (`--defaults-file`), which keeps
 * /etc/mysql (and Debian's 60-galera.cnf) out; the SST script reads the same file.
 * The server's default character set is left at the compiled-in latin1 on purpose: the app must set
 * utf8mb4 on its connections itself, and the tests prove that it does.
 */
export function myCnf(node: NodeLayout, all: NodeLayout[], runAsUser: string | null, extra: string[] = []): string {
  const gcomm = all.map((x) => `127.0.0.1:${x.ports.galera}`).join(',');
  const provider = [
    `gmcast.listen_addr=tcp://127.0.0.1:${node.ports.galera}`,
    `ist.recv_addr=127.0.0.1:${node.ports.ist}`,
    'gcache.size=16M',
    ...FAST_FAILURE,
  ].join(';');
  return [
    '[mysqld]',
    ...(runAsUser ? [`user=${runAsUser}`] : []),
    `datadir=${node.dataDir}`,
    // Not /tmp: a starting server deletes every `#sql*` file in its tmpdir, the main server's included.
    `tmpdir=${node.dir}`,
    `socket=${node.socket}`,
    `pid-file=${node.pidFile}`,
    `log-error=${node.errorLog}`,
    `port=${node.ports.client}`,
    'bind-address=127.0.0.1',
    'skip-name-resolve',
    'innodb_buffer_pool_size=32M',
    'innodb_log_file_size=16M',
    'innodb_flush_log_at_trx_commit=2',
    'innodb_autoinc_lock_mode=2',
    'binlog_format=ROW',
    'default_storage_engine=InnoDB',
    'max_connections=200',
    'wsrep_on=ON',
    `wsrep_provider=${GALERA_PROVIDER}`,
    `wsrep_cluster_name=${CLUSTER_NAME}`,
    `wsrep_cluster_address=gcomm://${gcomm}`,
    `wsrep_node_name=n${node.n}`,
    `wsrep_node_address=127.0.0.1:${node.ports.galera}`,
    `wsrep_node_incoming_address=127.0.0.1:${node.ports.client}`,
    `wsrep_sst_receive_address=127.0.0.1:${node.ports.sst}`,
    'wsrep_sst_method=rsync',
    `wsrep_provider_options="${provider}"`,
    ...extra,
    '',
    '[client]',
    `socket=${node.socket}`,
    '',
  ].join('\n');
}
