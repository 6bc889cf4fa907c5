import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { GALERA_PROVIDER, myCnf, nodeLayout, type NodeLayout } from './node-config';
import { findPortBlock } from './ports';
import { groupBelongsTo, isAlive, signalGroup, waitGroupGone } from './processes';
import { startReaper } from './reaper';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';
const DIR_PREFIX = 'dbdesk-galera-';
/** The user and database every cluster gets (galera.md: `test`/`test`, database `testdb`). */
export const CLUSTER_USER = { user: 'test', password: 'test', database: 'testdb' } as const;

type Status = Record<string, string>;

interface Running {
  child: ChildProcess;
  pgid: number;
  exited: Promise<number | null>;
}

/**
 * A real three-node MariaDB Galera cluster on 127.0.0.1 for tests, built from the facts in
 * shared/notes/galera.md: own datadirs in a temp folder, own ports, rsync SST, 32M buffer pools,
 * short failure detection. Nodes run as `mysql` when the tests run as root. Every node is its own
 * process group (with its SST helpers); `destroy()`, an exit hook and an outside watchdog make sure
 * no process and no folder outlives the test process, however it ends.
 */
export class GaleraCluster {
  private readonly running = new Map<number, Running>();
  private readonly frozen = new Set<number>();
  private readonly isolated = new Set<number>();
  private readonly onExit = () => this.killAllSync();
  private reaperPid = 0;
  private destroyed = false;

  private constructor(
    readonly root: string,
    readonly nodes: NodeLayout[],
    private readonly runAs: { name: string; uid: number; gid: number } | null,
    private readonly extraConfig: string[],
  ) {}

  /**
   * Builds a fresh cluster and waits until every node is Synced in a cluster of `size`.
   * `extraConfig`: more [mysqld] lines for every node's my.cnf.
   */
  static async start(size = 3, options: { extraConfig?: string[] } = {}): Promise<GaleraCluster> {
    checkPrerequisites();
    cleanStaleClusters();
    const root = mkdtempSync(join(tmpdir(), DIR_PREFIX));
    chmodSync(root, 0o755); // the mysql user must reach its node folders
    writeFileSync(join(root, 'owner.pid'), String(process.pid));
    const base = await findPortBlock(size);
    const nodes = Array.from({ length: size }, (_, i) => nodeLayout(root, base, i + 1));
    const cluster = new GaleraCluster(root, nodes, process.getuid?.() === 0 ? mysqlUser() : null, options.extraConfig ?? []);
    cluster.reaperPid = startReaper(root);
    process.on('exit', cluster.onExit);
    try {
      for (const node of nodes) cluster.prepareNode(node);
      await cluster.bootstrapFirst();
      for (const node of nodes.slice(1)) {
        await cluster.spawnNode(node.n);
        await cluster.waitSynced(node.n);
      }
      await cluster.waitClusterSize(nodes.map((x) => x.n), size);
    } catch (err) {
      await cluster.destroy();
      throw err;
    }
    return cluster;
  }

  node(n: number): NodeLayout {
    const node = this.nodes[n - 1];
    if (!node) throw new Error(`There is no node ${n} (the cluster has ${this.nodes.length}).`);
    return node;
  }

  /** `host:port` of node n's client port, as the app names it. */
  endpoint(n: number): string {
    return `127.0.0.1:${this.node(n).ports.client}`;
  }

  /** A `mariadb://` URL listing the given nodes in that order (the app's cluster profile syntax). */
  url(order: number[] = this.nodes.map((x) => x.n), database: string = CLUSTER_USER.database): string {
    const hosts = order.map((n) => this.endpoint(n)).join(',');
    return `mariadb://${CLUSTER_USER.user}:${CLUSTER_USER.password}@${hosts}/${database}?sslmode=disable`;
  }

  /** Runs SQL on node n as root over its socket. */
  async sql(n: number, sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
    const conn = await this.connect(n);
    try {
      const [rows] = await conn.query<RowDataPacket[]>(sql, params);
      return rows;
    } finally {
      await conn.end().catch(() => undefined);
    }
  }

  /** A root connection to node n over its socket; close it yourself. */
  connect(n: number): Promise<mysql.Connection> {
    return mysql.createConnection({ socketPath: this.node(n).socket, user: 'root', charset: 'utf8mb4', multipleStatements: true, connectTimeout: 5000 });
  }

  async status(n: number): Promise<Status> {
    const rows = await this.sql(n, "SHOW GLOBAL STATUS LIKE 'wsrep%'");
    return Object.fromEntries(rows.map((r) => [String(r.Variable_name).toLowerCase(), String(r.Value)]));
  }

  isRunning(n: number): boolean {
    return this.running.has(n);
  }

  /** SIGKILL of the node's whole process group, as a crash or power loss would. */
  async kill(n: number): Promise<void> {
    const r = this.running.get(n);
    if (!r) return;
    signalGroup(r.pgid, 'SIGKILL');
    await r.exited;
    await waitGroupGone(r.pgid, 10_000);
    this.running.delete(n);
    this.frozen.delete(n);
    this.isolated.delete(n);
  }

  /** SIGSTOP of the node's process group: a hung node that keeps its sockets open. */
  freeze(n: number): void {
    const r = this.running.get(n);
    if (!r) throw new Error(`Node ${n} is not running.`);
    signalGroup(r.pgid, 'SIGSTOP');
    this.frozen.add(n);
  }

  thaw(n: number): void {
    const r = this.running.get(n);
    if (r) signalGroup(r.pgid, 'SIGCONT');
    this.frozen.delete(n);
  }

  /**
   * Brings the cluster back to every node running and Synced, whatever a test left behind: thaws,
   * re-bootstraps a component that lost quorum (pc.bootstrap on the most advanced survivor, galera.md),
   * unisolates and restarts. For afterEach, so one failed test does not fail the next.
   */
  async heal(): Promise<void> {
    for (const n of [...this.frozen]) this.thaw(n);
    const up = this.nodes.map((x) => x.n).filter((n) => this.running.has(n));
    if (up.length === 0) throw new Error('No node is running; start a new cluster.');
    const states = await Promise.all(up.map(async (n) => ({ n, s: await this.status(n).catch(() => null) })));
    if (!states.some((x) => x.s?.wsrep_cluster_status === 'Primary' && !this.isolated.has(x.n))) {
      const best = states.filter((x) => x.s && !this.isolated.has(x.n)).sort((a, b) => Number(b.s!.wsrep_last_committed) - Number(a.s!.wsrep_last_committed))[0];
      if (!best) throw new Error('No running node can re-bootstrap the cluster.');
      await this.sql(best.n, "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'");
      await this.waitSynced(best.n);
    }
    for (const n of [...this.isolated]) await this.unisolate(n);
    for (const x of this.nodes) if (!this.running.has(x.n)) await this.restart(x.n);
    const all = this.nodes.map((x) => x.n);
    for (const n of all) await this.waitSynced(n);
    await this.waitClusterSize(all, all.length);
  }

  /** Graceful shutdown (SIGTERM), SIGKILL after 30 s: SIGTERM during an SST can hang (galera.md pitfall 7). */
  async stop(n: number): Promise<void> {
    const r = this.running.get(n);
    if (!r) return;
    signalGroup(r.pgid, 'SIGTERM');
    const done = await Promise.race([r.exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!done) signalGroup(r.pgid, 'SIGKILL');
    await r.exited;
    await waitGroupGone(r.pgid, 10_000);
    this.running.delete(n);
    this.isolated.delete(n);
  }

  /**
   * Starts a stopped or killed node again and waits until it is Synced. After a crash grastate.dat
   * says `seqno: -1`; the position is recovered first (--wsrep-recover) so the node rejoins by IST
   * instead of a full SST. Waits first until the survivors dropped it from their view.
   */
  async restart(n: number): Promise<'IST' | 'SST'> {
    if (this.running.has(n)) throw new Error(`Node ${n} is still running; kill or stop it first.`);
    const survivors = this.nodes.map((x) => x.n).filter((x) => x !== n && this.running.has(x));
    await this.waitClusterSize(survivors, survivors.length);
    const extra: string[] = [];
    if (grastateSeqno(this.node(n)) === '-1') extra.push(`--wsrep_start_position=${await this.recoverPosition(n)}`);
    const logStart = existsSync(this.node(n).errorLog) ? statSync(this.node(n).errorLog).size : 0;
    await this.spawnNode(n, extra);
    await this.waitSynced(n);
    await this.waitClusterSize([...survivors, n], survivors.length + 1);
    // The joiner's log says which state transfer it took. The rsync script runs (and logs "SST started")
    // either way; it ends with "rsync IST completed" when the donor bypassed the full copy.
    const log = readFileSync(this.node(n).errorLog).subarray(logStart).toString('utf8');
    return /rsync SST completed on joiner/.test(log) ? 'SST' : 'IST';
  }

  /** Cuts node n off the group communication (gmcast.isolate=1) and waits until it is non-Primary. */
  async isolate(n: number): Promise<void> {
    await this.sql(n, "SET GLOBAL wsrep_provider_options='gmcast.isolate=1'");
    this.isolated.add(n);
    await this.waitFor(n, (s) => s.wsrep_cluster_status !== 'Primary', 'non-Primary');
    const others = this.nodes.map((x) => x.n).filter((x) => x !== n && this.running.has(x));
    await this.waitClusterSize(others, others.length);
  }

  async unisolate(n: number): Promise<void> {
    await this.sql(n, "SET GLOBAL wsrep_provider_options='gmcast.isolate=0'");
    this.isolated.delete(n);
    await this.waitSynced(n);
    const all = this.nodes.map((x) => x.n).filter((x) => this.running.has(x));
    await this.waitClusterSize(all, all.length);
  }

  async waitSynced(n: number, timeoutMs = 90_000): Promise<void> {
    await this.waitFor(n, (s) => s.wsrep_local_state_comment === 'Synced' && s.wsrep_ready === 'ON' && s.wsrep_cluster_status === 'Primary', 'Synced', timeoutMs);
  }

  /** Waits until every listed node reports wsrep_cluster_size = size. */
  async waitClusterSize(ns: number[], size: number, timeoutMs = 60_000, pollMs = 150): Promise<void> {
    for (const n of ns) await this.waitFor(n, (s) => Number(s.wsrep_cluster_size) === size && s.wsrep_cluster_status === 'Primary', `cluster size ${size}`, timeoutMs, pollMs);
  }

  /** Polls node n's wsrep status until `ok`; fails early with the error log when the node died. */
  async waitFor(n: number, ok: (s: Status) => boolean, what: string, timeoutMs = 60_000, pollMs = 150): Promise<Status> {
    const deadline = Date.now() + timeoutMs;
    let last: Status | string;
    for (;;) {
      if (!this.running.has(n)) throw new Error(`Node ${n} is not running (waiting for ${what}).\n${this.logTail(n)}`);
      try {
        const s = await this.status(n);
        if (ok(s)) return s;
        last = s;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline) {
        const seen = typeof last === 'string' ? last : `state=${last.wsrep_local_state_comment} status=${last.wsrep_cluster_status} size=${last.wsrep_cluster_size}`;
        throw new Error(`Node ${n} did not reach ${what} within ${timeoutMs} ms (last: ${seen}).\n${this.logTail(n)}`);
      }
      await sleep(pollMs);
    }
  }

  logTail(n: number, lines = 30): string {
    const log = this.node(n).errorLog;
    if (!existsSync(log)) return `(node ${n} wrote no error log)`;
    return `--- n${n}/error.log ---\n` + readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Kills every node (SIGKILL: nothing to keep), waits for their process groups, removes the folder. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const r of this.running.values()) signalGroup(r.pgid, 'SIGKILL');
    for (const r of this.running.values()) await waitGroupGone(r.pgid, 10_000);
    this.running.clear();
    process.off('exit', this.onExit);
    rmSync(this.root, { recursive: true, force: true });
    if (this.reaperPid && isAlive(this.reaperPid)) signalGroup(this.reaperPid, 'SIGKILL');
  }

  /** The exit hook: synchronous, so it only signals; the watchdog then removes the folder. */
  private killAllSync(): void {
    for (const r of this.running.values()) signalGroup(r.pgid, 'SIGKILL');
  }

  private prepareNode(node: NodeLayout): void {
    mkdirSync(node.dataDir, { recursive: true });
    writeFileSync(node.cnf, myCnf(node, this.nodes, this.runAs?.name ?? null, this.extraConfig));
    if (this.runAs) {
      chownSync(node.dir, this.runAs.uid, this.runAs.gid);
      chownSync(node.dataDir, this.runAs.uid, this.runAs.gid);
    }
  }

  private async bootstrapFirst(): Promise<void> {
    const first = this.nodes[0]!;
    const args = [`--defaults-file=${first.cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--datadir=${first.dataDir}`];
    if (this.runAs) args.push(`--user=${this.runAs.name}`);
    const code = await this.runToExit(first.n, INSTALL_DB, args, 60_000);
    if (code !== 0) throw new Error(`mariadb-install-db failed (exit ${code}).\n${this.logTail(1)}`);
    await this.spawnNode(first.n, ['--wsrep-new-cluster']);
    await this.waitSynced(first.n);
    // Replicated to the joiners by their SST.
    await this.sql(
      first.n,
      `CREATE USER '${CLUSTER_USER.user}'@'%' IDENTIFIED BY '${CLUSTER_USER.password}';
       CREATE DATABASE ${CLUSTER_USER.database} CHARACTER SET utf8mb4;
       GRANT ALL ON ${CLUSTER_USER.database}.* TO '${CLUSTER_USER.user}'@'%';`,
    );
  }

  private async spawnNode(n: number, extraArgs: string[] = []): Promise<void> {
    const node = this.node(n);
    const child = spawn(MARIADBD, [`--defaults-file=${node.cnf}`, ...extraArgs], { detached: true, stdio: 'ignore' });
    this.track(n, child);
  }

  /** Runs a helper (install-db, --wsrep-recover) in its own tracked process group and waits for it. */
  private async runToExit(n: number, file: string, args: string[], timeoutMs: number): Promise<number | null> {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const r = this.track(n, child);
    const code = await Promise.race([r.exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      signalGroup(r.pgid, 'SIGKILL');
      await r.exited;
    }
    await waitGroupGone(r.pgid, 10_000);
    this.running.delete(n);
    if (code === 'timeout') throw new Error(`${file} did not finish within ${timeoutMs} ms.\n${output}`);
    if (code !== 0) writeFileSync(join(this.node(n).dir, 'helper-output.log'), output);
    return code;
  }

  private track(n: number, child: ChildProcess): Running {
    if (!child.pid) throw new Error(`Could not start a process for node ${n}.`);
    const exited = new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
    child.once('error', () => undefined);
    // Detached: the child leads its own process group, so pgid = pid.
    const r: Running = { child, pgid: child.pid, exited };
    writeFileSync(join(this.node(n).dir, 'pgid'), String(child.pid));
    this.running.set(n, r);
    void exited.then(() => {
      if (this.running.get(n) === r && !isAlive(child.pid!)) this.running.delete(n);
    });
    return r;
  }

  private async recoverPosition(n: number): Promise<string> {
    const node = this.node(n);
    const log = join(node.dir, 'recover.log');
    rmSync(log, { force: true });
    const code = await this.runToExit(n, MARIADBD, [`--defaults-file=${node.cnf}`, '--wsrep-recover', `--log-error=${log}`], 60_000);
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    const m = /WSREP: Recovered position: ([0-9a-f-]{36}:-?\d+)/.exec(text);
    if (code !== 0 || !m) throw new Error(`Position recovery of node ${n} failed (exit ${code}).\n${text.split('\n').slice(-20).join('\n')}`);
    return m[1]!;
  }
}

function grastateSeqno(node: NodeLayout): string | null {
  const file = join(node.dataDir, 'grastate.dat');
  if (!existsSync(file)) return null;
  return /^seqno:\s*(-?\d+)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? null;
}

function mysqlUser(): { name: string; uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).trim());
    return { name: 'mysql', uid, gid };
  } catch {
    throw new Error('The tests run as root but there is no `mysql` user for the Galera nodes (mariadbd refuses to run as root). Install mariadb-server.');
  }
}

function checkPrerequisites(): void {
  const missing: string[] = [];
  if (!existsSync(MARIADBD) || !existsSync(INSTALL_DB)) missing.push('mariadb-server');
  if (!existsSync(GALERA_PROVIDER)) missing.push('galera-4');
  try {
    execFileSync('rsync', ['--version'], { stdio: 'ignore' });
  } catch {
    missing.push('rsync');
  }
  if (missing.length > 0) throw new Error(`The Galera tests need ${missing.join(', ')}: apt-get install -y ${missing.join(' ')}`);
}

/** Clusters left by a test process that died so hard even the watchdog went with it. */
function cleanStaleClusters(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const root = join(tmpdir(), name);
    let owner = 0;
    try {
      owner = Number(readFileSync(join(root, 'owner.pid'), 'utf8'));
    } catch {
      // no owner file: a start that died at once
    }
    if (owner && isAlive(owner)) continue;
    for (const n of readdirSync(root)) {
      const pgidFile = join(root, n, 'pgid');
      if (!existsSync(pgidFile)) continue;
      // A process group id can be reused: kill only a group that still runs this cluster's programs.
      const pgid = Number(readFileSync(pgidFile, 'utf8'));
      if (groupBelongsTo(pgid, root)) signalGroup(pgid, 'SIGKILL');
    }
    rmSync(root, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
