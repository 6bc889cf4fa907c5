import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * OpenSSH's real sshd for one test file: its own folder with sshd_config, host key and
 * authorized_keys, on free ports of 127.0.0.1, started in the foreground (`sshd -D -e -f CONFIG`,
 * by its absolute path as sshd requires). Logins are as root (the tests run as root): by key, or —
 * with `password` — by password and keyboard-interactive through PAM, against a private
 * /etc/shadow bind-mounted in a mount namespace of its own (`unshare -m`), so the machine's
 * accounts are never touched (checked by sshd itself, or through PAM with `pam`, which is also what
 * keyboard-interactive needs). `listen` adds further ports, each with its own `Match LocalPort`
 * rules (one server, several behaviours). `hosts` gives sshd names the test process cannot resolve.
 */
export interface PrivateSshd {
  host: '127.0.0.1';
  port: number;
  /** The further ports, by the name given in `listen`. */
  ports: Record<string, number>;
  dir: string;
  hostKey: { type: string; blob: Buffer; fingerprint: string; publicLine: string };
  /** A known_hosts line for a port of this server (OpenSSH's own format, plain). */
  knownHostsLine(port?: number): string;
  /** Every connection this server holds is killed (a tunnel through it drops); it keeps listening. */
  dropConnections(): void;
  /** Every connection this server holds stops answering (SIGSTOP), as when the network goes silent; returns the thaw. */
  freezeConnections(): () => void;
  /** Stops and starts again on the same ports, with a new host key when asked (a reinstalled server, or a man in the middle). */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  /** What sshd wrote to stderr (its log, -e). */
  log(): string;
  stop(): Promise<void>;
}

export interface PrivateSshdOptions {
  /** Public key lines allowed to log in as root. */
  authorizedKeys?: string[];
  /** Root's password in the private shadow file: password logins. */
  password?: string;
  /** UsePAM yes: the password is checked by PAM, and keyboard-interactive is offered (PAM delays a failure by ~2 s). */
  pam?: boolean;
  /**
   * The `auth` lines of sshd's PAM stack instead of the machine's (/etc/pam.d/sshd is bind-mounted
   * in sshd's own mount namespace; account and session are pam_permit). Implies `pam`.
   * E.g. a one-time code: `auth required pam_google_authenticator.so secret=FILE user=root`.
   */
  pamAuth?: string[];
  hostKeyType?: 'ed25519' | 'ecdsa' | 'rsa';
  /** Extra sshd_config lines for the main port (before any Match block). */
  config?: string[];
  /** Further ports with their own rules: `{ noForward: ['AllowTcpForwarding no'] }`. */
  listen?: Record<string, string[]>;
  /** sshd's LogLevel (VERBOSE by default; DEBUG1 shows the global requests it receives). */
  logLevel?: 'VERBOSE' | 'DEBUG1';
  /**
   * Names only this sshd resolves (name → address), as a database behind a bastion is known only
   * there: the machine's /etc/hosts plus these lines, bind-mounted in sshd's own mount namespace.
   * A connection to such a name can only have gone through the tunnel.
   */
  hosts?: Record<string, string>;
}

export interface TestKey {
  file: string;
  publicLine: string;
  fingerprint: string;
}

const SSHD = '/usr/sbin/sshd';
const running = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const r of running) {
      killTree(r.child.pid);
      rmSync(r.dir, { recursive: true, force: true });
    }
  });
}

/** sshd forks one process per connection and those call setsid(): find them by parent, depth first. */
function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return children.flatMap((c) => [...descendants(c), c]);
}

function killTree(pid: number | undefined, includeSelf = true): void {
  if (!pid) return;
  for (const p of [...descendants(pid), ...(includeSelf ? [pid] : [])]) {
    try {
      // A frozen process dies of SIGKILL too.
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A key made by ssh-keygen: `format` PEM or PKCS8 instead of OpenSSH's own; a passphrase when given. */
export function makeKey(dir: string, name: string, type: 'ed25519' | 'ecdsa' | 'rsa', options: { passphrase?: string; format?: 'PEM' | 'PKCS8' } = {}): TestKey {
  const file = join(dir, name);
  // Two KDF rounds instead of 16: ssh2 decrypts OpenSSH-format keys with bcrypt in plain JS (~1.6 s at 16 rounds).
  const args = ['-q', '-t', type, '-N', options.passphrase ?? '', '-C', `${name}@dbdesk-test`, '-a', '2', '-f', file];
  if (type === 'rsa') args.push('-b', '1024'); // sshd's RequiredRSASize minimum: quick to make
  if (options.format) args.push('-m', options.format);
  const r = spawnSync('ssh-keygen', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  const publicLine = readFileSync(`${file}.pub`, 'utf8').trim();
  return { file, publicLine, fingerprint: sshFingerprint(Buffer.from(publicLine.split(' ')[1]!, 'base64')) };
}

export async function startPrivateSshd(options: PrivateSshdOptions = {}): Promise<PrivateSshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing (apt-get install openssh-server).`);
  // sshd's privilege-separation folder (.ci/run creates it too).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-sshd-'));
  chmodSync(dir, 0o700);
  const type = options.hostKeyType ?? 'ed25519';
  const hostKeyFile = join(dir, `ssh_host_${type}_key`);
  const newHostKey = () => {
    rmSync(hostKeyFile, { force: true });
    rmSync(`${hostKeyFile}.pub`, { force: true });
    const r = spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', hostKeyFile], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  };
  newHostKey();
  writeFileSync(join(dir, 'authorized_keys'), (options.authorizedKeys ?? []).join('\n') + '\n', { mode: 0o600 });
  if (options.pamAuth) {
    const stack = [...options.pamAuth, 'account required pam_permit.so', 'session required pam_permit.so', 'password required pam_deny.so'];
    writeFileSync(join(dir, 'pam-sshd'), stack.join('\n') + '\n', { mode: 0o644 });
  }
  if (options.hosts) {
    const extra = Object.entries(options.hosts).map(([name, address]) => `${address} ${name}`);
    writeFileSync(join(dir, 'hosts'), `${readFileSync('/etc/hosts', 'utf8').trimEnd()}\n${extra.join('\n')}\n`, { mode: 0o644 });
  }
  if (options.password !== undefined) {
    const hash = spawnSync('openssl', ['passwd', '-6', '-stdin'], { input: options.password, encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(dir, 'shadow'), `root:${hash}:19000:0:99999:7:::\n`, { mode: 0o600 });
  }

  let port = 0;
  const ports: Record<string, number> = {};
  let child: ChildProcess | null = null;
  let log = '';
  const entry = { child: null as unknown as ChildProcess, dir };

  const writeConfig = () => {
    const pam = options.pam === true || options.pamAuth !== undefined;
    const password = options.password !== undefined;
    const lines = [
      `ListenAddress 127.0.0.1:${port}`,
      ...Object.values(ports).map((p) => `ListenAddress 127.0.0.1:${p}`),
      `HostKey ${hostKeyFile}`,
      'PidFile none',
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'PermitRootLogin yes',
      `UsePAM ${pam ? 'yes' : 'no'}`,
      `PasswordAuthentication ${password ? 'yes' : 'no'}`,
      `KbdInteractiveAuthentication ${pam ? 'yes' : 'no'}`,
      'PubkeyAuthentication yes',
      'AllowTcpForwarding yes',
      'PrintMotd no',
      `LogLevel ${options.logLevel ?? 'VERBOSE'}`,
      'MaxStartups 50',
      ...(options.config ?? []),
      ...Object.entries(options.listen ?? {}).flatMap(([name, rules]) => [`Match LocalPort ${ports[name]}`, ...rules.map((r) => `  ${r}`)]),
    ];
    writeFileSync(join(dir, 'sshd_config'), lines.join('\n') + '\n', { mode: 0o600 });
  };

  const launch = async (): Promise<void> => {
    log = '';
    writeConfig();
    const config = join(dir, 'sshd_config');
    // The private shadow file and PAM stack are seen by this sshd only (its own mount namespace).
    const mounts = [
      ...(options.password !== undefined ? [`mount --bind "${join(dir, 'shadow')}" /etc/shadow`] : []),
      ...(options.pamAuth ? [`mount --bind "${join(dir, 'pam-sshd')}" /etc/pam.d/sshd`] : []),
      ...(options.hosts ? [`mount --bind "${join(dir, 'hosts')}" /etc/hosts`] : []),
    ];
    const [cmd, args] =
      mounts.length > 0
        ? ['unshare', ['-m', '--propagation', 'private', 'sh', '-c', `${mounts.join(' && ')} && exec ${SSHD} -D -e -f "${config}"`]]
        : [SSHD, ['-D', '-e', '-f', config]];
    const proc = spawn(cmd, args as string[], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    entry.child = proc;
    proc.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.length > 200_000) log = log.slice(-100_000);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start within 10 s:\n${log}`)), 10_000);
      const check = () => {
        const listening = (log.match(/Server listening on/g) ?? []).length;
        if (listening >= 1 + Object.keys(ports).length) done();
      };
      const done = (err?: Error) => {
        clearTimeout(timer);
        proc.stderr!.off('data', check);
        proc.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      const onExit = (code: number | null) => done(new Error(`sshd exited (${code}):\n${log}`));
      proc.stderr!.on('data', check);
      proc.once('exit', onExit);
      check();
    });
  };

  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await launch();
        return;
      } catch (err) {
        killTree(child?.pid);
        if (attempt >= 3 || !/Address already in use|Bind to port/.test((err as Error).message)) throw err;
        port = await freePort();
        for (const name of Object.keys(options.listen ?? {})) ports[name] = await freePort();
      }
    }
  };

  try {
    port = await freePort();
    for (const name of Object.keys(options.listen ?? {})) ports[name] = await freePort();
    await start();
    running.add(entry);
    installExitHook();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const hostKey = () => {
    const publicLine = readFileSync(`${hostKeyFile}.pub`, 'utf8').trim();
    const [keyType, base64] = publicLine.split(' ');
    const blob = Buffer.from(base64!, 'base64');
    return { type: keyType!, blob, fingerprint: sshFingerprint(blob), publicLine };
  };

  const server: PrivateSshd = {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    ports,
    dir,
    get hostKey() {
      return hostKey();
    },
    knownHostsLine(p = port) {
      const k = hostKey();
      return `${p === 22 ? '127.0.0.1' : `[127.0.0.1]:${p}`} ${k.type} ${k.blob.toString('base64')}`;
    },
    dropConnections() {
      killTree(child?.pid, false);
    },
    freezeConnections() {
      const frozen = child?.pid ? descendants(child.pid) : [];
      const signal = (sig: NodeJS.Signals) => {
        for (const p of frozen) {
          try {
            process.kill(p, sig);
          } catch {
            /* gone */
          }
        }
      };
      signal('SIGSTOP');
      return () => signal('SIGCONT');
    },
    async restart(restartOptions = {}) {
      const old = child;
      killTree(old?.pid);
      if (old && old.exitCode === null && old.signalCode === null) await new Promise((r) => old.once('exit', r));
      if (restartOptions.newHostKey) newHostKey();
      // sshd binds with SO_REUSEADDR: the same ports are free again at once.
      await launch();
    },
    log: () => log,
    async stop() {
      const proc = child;
      killTree(proc?.pid);
      if (proc && proc.exitCode === null && proc.signalCode === null) await new Promise((r) => proc.once('exit', r));
      running.delete(entry);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** ssh-agent in the foreground on a socket of its own, with keys added by ssh-add. */
export interface PrivateAgent {
  socket: string;
  add(keyFile: string): void;
  stop(): Promise<void>;
}

export async function startAgent(dir: string): Promise<PrivateAgent> {
  const socket = join(dir, `agent-${process.pid}-${Date.now()}.sock`);
  const proc = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  const entry = { child: proc, dir: join(dir, '.agent-none') };
  running.add(entry);
  installExitHook();
  const deadline = Date.now() + 5000;
  while (!existsSync(socket)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('ssh-agent did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    socket,
    add(keyFile) {
      const r = spawnSync('ssh-add', ['-q', keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ssh-add failed: ${r.stderr}`);
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      running.delete(entry);
    },
  };
}
