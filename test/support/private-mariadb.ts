import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { freePort } from './free-port';
import { chownTo, isRoot, runAsSync } from './run-as';

/**
 * A MariaDB server of its own for one test file: `mariadb-install-db` into a temporary datadir, its
 * own port on 127.0.0.1, its own my.cnf (skip-name-resolve, ed25519 plugin, optional TLS and
 * Galera settings). Under root it runs as the `mysql` OS user. Start it once per file and stop()
 * it in afterAll: that also deletes the folder. A process exit kills it too.
 */
export interface PrivateMariadb {
  host: '127.0.0.1';
  port: number;
  dir: string;
  socket: string;
  /** Runs SQL as root over the private socket. */
  exec<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
  url(user: string, password?: string, database?: string, query?: string): string;
  /** Installs another server certificate (FLUSH SSL: no restart). */
  setCertificate(pair: { cert: string; key: string }): Promise<void>;
  /** Restarts with extra command-line options (e.g. ['--skip-ssl']) or none. */
  restart(extraArgs?: string[]): Promise<void>;
  /** The server process (for SIGSTOP/SIGKILL experiments). */
  process(): ChildProcess;
  stop(): Promise<void>;
}

export interface PrivateMariadbOptions {
  tls?: { cert: string; key: string; ca: string };
  /** Extra my.cnf lines for the [mariadbd] section. */
  settings?: string[];
  /** Called with the chosen port before my.cnf is written (Galera needs ports of its own too). */
  extraConfig?: (port: number, dir: string) => string[] | Promise<string[]>;
  /** Skip mariadb-install-db (a Galera joiner receives its datadir by state transfer). */
  emptyDatadir?: boolean;
  startArgs?: string[];
}

const running = new Set<{ dir: string; proc: () => ChildProcess | undefined }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const r of running) {
      try {
        const p = r.proc();
        if (p?.pid) process.kill(-p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      rmSync(r.dir, { recursive: true, force: true });
    }
  });
}

export async function startPrivateMariadb(options: PrivateMariadbOptions = {}): Promise<PrivateMariadb> {
  if (!existsSync('/usr/sbin/mariadbd')) throw new Error('MariaDB server is not installed (apt-get install mariadb-server).');
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-my-'));
  chmodSync(dir, 0o755);
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const cnf = join(dir, 'my.cnf');
  mkdirSync(datadir);
  chownTo(dir, 'mysql');
  chownTo(datadir, 'mysql');
  let proc: ChildProcess | undefined;
  const entry = { dir, proc: () => proc };
  let port = 0;

  const writeConfig = async () => {
    const lines = [
      '[mariadbd]',
      `datadir=${datadir}`,
      // Its own tmpdir: at start-up a MariaDB server deletes every `#sql*` file in its tmpdir, which in
      // /tmp would be the live temporary tables of the machine's main server (seen as a failed query there).
      `tmpdir=${dir}`,
      `socket=${socket}`,
      `port=${port}`,
      `pid-file=${join(dir, 'mariadbd.pid')}`,
      `log-error=${join(dir, 'error.log')}`,
      'bind-address=127.0.0.1',
      'skip-name-resolve',
      'plugin-load-add=auth_ed25519',
      'innodb_buffer_pool_size=16M',
      'innodb_log_file_size=16M',
      'max_connections=20',
      'skip-log-bin',
      'character-set-server=utf8mb4',
      ...(isRoot() ? ['user=mysql'] : []),
      ...(options.tls
        ? [`ssl-cert=${join(dir, 'server.crt')}`, `ssl-key=${join(dir, 'server.key')}`, `ssl-ca=${join(dir, 'ca.crt')}`]
        : []),
      ...(options.settings ?? []),
      ...(options.extraConfig ? await options.extraConfig(port, dir) : []),
      '',
    ];
    writeFileSync(cnf, lines.join('\n'));
  };
  const install = (from: string, name: string, mode: number) => {
    const to = join(dir, name);
    copyFileSync(from, to);
    chownTo(to, 'mysql');
    chmodSync(to, mode);
  };

  const start = async (extraArgs: string[] = []) => {
    const args = [`--defaults-file=${cnf}`, ...(options.startArgs ?? []), ...extraArgs];
    // Its own process group, so a kill reaches helpers (Galera's SST scripts) too.
    proc = spawn('/usr/sbin/mariadbd', args, { stdio: 'ignore', detached: true });
    const started = proc;
    let exited = false;
    started.once('exit', () => (exited = true));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(`mariadbd exited while starting:\n${readLog(dir)}`);
      try {
        const c = await mysql.createConnection({ socketPath: socket, user: 'root', connectTimeout: 1000 });
        await c.end();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections within 60 s:\n${readLog(dir)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const stopServer = async () => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    try {
      process.kill(-p.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 20_000))]);
    if (!done) {
      try {
        process.kill(-p.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      await exited;
    }
  };

  try {
    if (options.tls) {
      install(options.tls.cert, 'server.crt', 0o644);
      install(options.tls.key, 'server.key', 0o600);
      install(options.tls.ca, 'ca.crt', 0o644);
    }
    port = await freePort();
    await writeConfig();
    if (!options.emptyDatadir) {
      runAsSync('root', ['mariadb-install-db', `--defaults-file=${cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...(isRoot() ? ['--user=mysql'] : [])], {
        timeoutMs: 120_000,
      });
    }
    running.add(entry);
    installExitHook();
    await start();
  } catch (err) {
    await stopServer();
    running.delete(entry);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const exec = async <T>(sql: string, params: unknown[] = []): Promise<T> => {
    const c = await mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: true });
    try {
      const [rows] = await c.query(sql, params);
      return rows as T;
    } finally {
      await c.end();
    }
  };
  return {
    host: '127.0.0.1',
    port,
    dir,
    socket,
    exec,
    url: (user, password, database = '', query = 'sslmode=disable') =>
      `mariadb://${encodeURIComponent(user)}${password !== undefined ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${encodeURIComponent(database)}${query ? `?${query}` : ''}`,
    async setCertificate(pair) {
      install(pair.cert, 'server.crt', 0o644);
      install(pair.key, 'server.key', 0o600);
      await exec('FLUSH SSL');
    },
    async restart(extraArgs = []) {
      await stopServer();
      await start(extraArgs);
    },
    process: () => proc!,
    async stop() {
      try {
        await stopServer();
      } finally {
        running.delete(entry);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8').slice(-3000);
  } catch {
    return '';
  }
}

/** For tests that need to know the MariaDB binary exists without starting one. */
export function mariadbVersion(): string {
  return spawnSync('/usr/sbin/mariadbd', ['--version'], { encoding: 'utf8' }).stdout.trim();
}
