import { existsSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { freePort } from './free-port';
import { startPrivateMariadb, type PrivateMariadb } from './private-mariadb';

const PROVIDER = '/usr/lib/galera/libgalera_smm.so';

/**
 * A small MariaDB Galera cluster of private servers (see ../shared/notes/galera.md): node 1
 * bootstraps, the others join by rsync state transfer. Every node has its own client, Galera, IST and
 * SST ports on 127.0.0.1 and short failure detection, so quorum loss shows within seconds.
 */
export interface PrivateGalera {
  nodes: PrivateMariadb[];
  /** Galera status and variables of a node, by name. */
  status(node: number): Promise<Record<string, string>>;
  /** Cuts a node off the group (gmcast.isolate) — with two nodes, both lose quorum. */
  isolate(node: number, on: boolean): Promise<void>;
  waitFor(node: number, check: (s: Record<string, string>) => boolean, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateGalera(size = 2): Promise<PrivateGalera> {
  if (!existsSync(PROVIDER)) throw new Error(`The Galera provider is missing (${PROVIDER}): apt-get install galera-4 rsync.`);
  const nodes: PrivateMariadb[] = [];
  let firstGalera = 0;
  try {
    for (let i = 0; i < size; i++) {
      const galeraPort = await freePort();
      const istPort = await freePort();
      const sstPort = await freePort();
      if (i === 0) firstGalera = galeraPort;
      const node = await startPrivateMariadb({
        emptyDatadir: i > 0,
        ...(i === 0 ? { startArgs: ['--wsrep-new-cluster'] } : {}),
        settings: ['binlog_format=ROW', 'default_storage_engine=InnoDB', 'innodb_autoinc_lock_mode=2'],
        extraConfig: () => [
          'wsrep_on=ON',
          `wsrep_provider=${PROVIDER}`,
          'wsrep_cluster_name=dbdesk-diagnostics',
          `wsrep_cluster_address=gcomm://${i === 0 ? '' : `127.0.0.1:${firstGalera}`}`,
          'wsrep_node_address=127.0.0.1',
          `wsrep_node_name=node${i + 1}`,
          'wsrep_sst_method=rsync',
          `wsrep_sst_receive_address=127.0.0.1:${sstPort}`,
          `wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:${galeraPort};base_port=${galeraPort};ist.recv_addr=127.0.0.1:${istPort};gcache.size=16M;evs.suspect_timeout=PT1.5S;evs.inactive_timeout=PT3S;evs.keepalive_period=PT0.5S;evs.install_timeout=PT3S;pc.announce_timeout=PT0.5S"`,
        ],
      });
      nodes.push(node);
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }

  const status = async (node: number) => {
    const c = await mysql.createConnection({ socketPath: nodes[node]!.socket, user: 'root' });
    try {
      const [s] = await c.query("SHOW GLOBAL STATUS LIKE 'wsrep%'");
      const [v] = await c.query("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_reject_queries', 'wsrep_desync')");
      return Object.fromEntries([...(s as { Variable_name: string; Value: string }[]), ...(v as { Variable_name: string; Value: string }[])].map((r) => [r.Variable_name, r.Value]));
    } finally {
      await c.end();
    }
  };
  const waitFor = async (node: number, check: (s: Record<string, string>) => boolean, what: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await status(node).catch(() => ({}) as Record<string, string>);
      if (check(s)) return;
      if (Date.now() > deadline) throw new Error(`Galera node ${node + 1} did not become ${what} within ${timeoutMs} ms: ${JSON.stringify(s).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await waitFor(size - 1, (s) => s.wsrep_local_state_comment === 'Synced' && s.wsrep_cluster_size === String(size), `Synced in a cluster of ${size}`, 60_000);
  return {
    nodes,
    status,
    waitFor,
    async isolate(node, on) {
      await nodes[node]!.exec(`SET GLOBAL wsrep_provider_options = 'gmcast.isolate=${on ? 1 : 0}'`);
    },
    async stop() {
      for (const n of [...nodes].reverse()) await n.stop();
    },
  };
}
