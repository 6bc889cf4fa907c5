import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import pg from 'pg';
import { freePort } from './free-port';
import { asUser, chownTo, runAsSync } from './run-as';

/**
 * A PostgreSQL cluster of its own for one test file: `initdb` into a temporary folder, its own
 * port on 127.0.0.1, its own pg_hba.conf and (optionally) TLS certificates. PostgreSQL refuses to
 * run as root, so under root everything runs as the `postgres` OS user. Start it once per file
 * (beforeAll) and stop() it in afterAll: that also deletes the folder. A process exit stops it too.
 */
export interface PrivatePostgres {
  host: '127.0.0.1';
  port: number;
  dir: string;
  /** Runs SQL as the superuser over the private Unix socket (trust), in `database` (default postgres). */
  admin(sql: string, params?: unknown[], database?: string): Promise<pg.QueryResult>;
  /** A URL for a user of this cluster (the password percent-encoded). */
  url(user: string, password?: string, database?: string, query?: string): string;
  /** Replaces pg_hba.conf (after the built-in line that lets the fixture in) and reloads. */
  setHba(lines: string[]): Promise<void>;
  /** Installs another server certificate and waits until the server presents it. */
  setCertificate(pair: { cert: string; key: string }): Promise<void>;
  /** ALTER SYSTEM + reload for settings that need no restart (e.g. ssl). */
  setSetting(name: string, value: string): Promise<void>;
  reload(): Promise<void>;
  /** Starts a smart shutdown without waiting (sessions keep it "shutting down"). */
  beginShutdown(): void;
  /**
   * Stops the server (waiting for a shutdown in progress) and starts it again as a standby with
   * hot_standby off and no primary to follow: it stays in recovery and refuses every connection.
   */
  restartAsStandby(): Promise<void>;
  stop(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** Server certificate, key and (for client certificates) the CA that signs clients. */
  tls?: { cert: string; key: string; ca?: string };
  hba?: string[];
  settings?: Record<string, string | number>;
}

const running = new Set<{ data: string; dir: string }>();
let exitHookInstalled = false;

function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL server binaries are not installed (apt-get install postgresql).');
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`No initdb under ${root}.`);
  return join(root, versions[0]!, 'bin');
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const r of running) {
      const [cmd, args] = asUser('postgres', [join(pgBinDir(), 'pg_ctl'), '-D', r.data, '-m', 'immediate', '-w', 'stop']);
      spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
      rmSync(r.dir, { recursive: true, force: true });
    }
  });
}

export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  mkdirSync(sock);
  chmodSync(dir, 0o755);
  chownTo(dir, 'postgres');
  chownTo(sock, 'postgres');
  const entry = { data, dir };
  const pgCtl = (...args: string[]) => runAsSync('postgres', [join(bin, 'pg_ctl'), '-D', data, ...args], { timeoutMs: 60_000 });
  let port = 0;
  try {
    runAsSync('postgres', [join(bin, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'], { timeoutMs: 120_000 });
    const settings: Record<string, string | number> = {
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${sock}'`,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: 20,
      superuser_reserved_connections: 2,
      shared_buffers: "'16MB'",
      password_encryption: "'scram-sha-256'",
      log_connections: 'on',
      ...options.settings,
    };
    if (options.tls) {
      installTlsFile(options.tls.cert, join(data, 'server.crt'), 0o644);
      installTlsFile(options.tls.key, join(data, 'server.key'), 0o600);
      settings.ssl = 'on';
      settings.ssl_cert_file = "'server.crt'";
      settings.ssl_key_file = "'server.key'";
      if (options.tls.ca) {
        installTlsFile(options.tls.ca, join(data, 'client-ca.crt'), 0o644);
        settings.ssl_ca_file = "'client-ca.crt'";
      }
    }
    writeHba(data, options.hba ?? ['host all all 127.0.0.1/32 scram-sha-256']);
    const conf = join(data, 'postgresql.conf');
    // Pick a port and start; another test may grab it between freePort and start, so retry.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      writeFileSync(conf, readFileSync(conf, 'utf8').replace(/\n# dbdesk-test[\s\S]*$/, '') + `\n# dbdesk-test\nport = ${port}\n` + Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
      try {
        pgCtl('-l', join(dir, 'server.log'), '-w', '-t', '60', 'start');
        break;
      } catch (err) {
        if (attempt >= 3) throw new Error(`${(err as Error).message}\n${readLog(dir)}`, { cause: err });
      }
    }
    running.add(entry);
    installExitHook();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const admin = async (sql: string, params: unknown[] = [], database = 'postgres') => {
    const client = new pg.Client({ host: sock, port, user: 'postgres', database });
    await client.connect();
    try {
      return await client.query(sql, params);
    } finally {
      await client.end();
    }
  };
  const reload = async () => {
    await admin('SELECT pg_reload_conf()');
    // The postmaster reloads asynchronously: give it a moment.
    await new Promise((r) => setTimeout(r, 300));
  };
  return {
    host: '127.0.0.1',
    port,
    dir,
    admin,
    url: (user, password, database = 'postgres', query = 'sslmode=disable') =>
      `postgres://${encodeURIComponent(user)}${password !== undefined ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${encodeURIComponent(database)}${query ? `?${query}` : ''}`,
    async setHba(lines) {
      writeHba(data, lines);
      await reload();
    },
    async setCertificate(pair) {
      installTlsFile(pair.cert, join(data, 'server.crt'), 0o644);
      installTlsFile(pair.key, join(data, 'server.key'), 0o600);
      await admin('SELECT pg_reload_conf()');
      await waitForCertificate(port, readFileSync(pair.cert, 'utf8'));
    },
    async setSetting(name, value) {
      await admin(`ALTER SYSTEM SET ${name} = ${value}`);
      await reload();
    },
    reload,
    beginShutdown() {
      const [cmd, args] = asUser('postgres', [join(bin, 'pg_ctl'), '-D', data, '-m', 'smart', '-W', 'stop']);
      spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    },
    async restartAsStandby() {
      const pid = join(data, 'postmaster.pid');
      const deadline = Date.now() + 30_000;
      // A smart shutdown ends by itself once its last session is gone; anything else is stopped here.
      while (existsSync(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (existsSync(pid)) pgCtl('-m', 'fast', '-w', 'stop');
      writeFileSync(join(data, 'standby.signal'), '');
      chownTo(join(data, 'standby.signal'), 'postgres');
      const conf = join(data, 'postgresql.conf');
      writeFileSync(conf, readFileSync(conf, 'utf8') + 'hot_standby = off\n');
      // pg_ctl -w counts a standby that refuses connections as started.
      pgCtl('-l', join(dir, 'server.log'), '-w', '-t', '60', 'start');
    },
    async stop() {
      try {
        if (existsSync(join(data, 'postmaster.pid'))) pgCtl('-m', 'immediate', '-w', 'stop');
      } catch {
        /* already gone */
      } finally {
        running.delete(entry);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The first line lets the fixture in over the private socket; the rest are the test's. */
function writeHba(data: string, lines: string[]): void {
  const file = join(data, 'pg_hba.conf');
  writeFileSync(file, ['local all postgres trust', ...lines, ''].join('\n'));
  chownTo(file, 'postgres');
}

function installTlsFile(from: string, to: string, mode: number): void {
  copyFileSync(from, to);
  chownTo(to, 'postgres');
  chmodSync(to, mode);
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

/** Polls the server's TLS certificate until it is the one just installed (a reload takes effect asynchronously). */
async function waitForCertificate(port: number, pem: string): Promise<void> {
  const wanted = new X509Certificate(pem).fingerprint256;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const got = await presentedFingerprint(port).catch(() => '');
    if (got === wanted) return;
    if (Date.now() > deadline) throw new Error(`The private PostgreSQL did not switch certificates within 10 s (got ${got}).`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function presentedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])));
    socket.once('data', (b) => {
      if (b[0] !== 0x53) return reject(new Error('no TLS'));
      const secure = tls.connect({ socket, rejectUnauthorized: false }, () => {
        const fp = secure.getPeerCertificate().fingerprint256;
        secure.destroy();
        resolve(fp);
      });
      secure.once('error', reject);
    });
  });
}
