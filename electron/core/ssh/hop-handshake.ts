import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { nudgeAcks } from './ack-nudge';
import type { HostKeyPolicy, HostKeyVerdict } from './host-key-policy';
import type { LoadedKey } from './private-keys';
import { HopAuthentication, type SshCredentials } from './ssh-auth';
import { hopName, hopTitle, SshError, type HopRef, type SshPhase } from './ssh-failure';
import type { SshHop } from './ssh-route';

export interface HopHandshakeOptions {
  hop: SshHop;
  ref: HopRef;
  /** A connected TCP socket (the first hop) or a channel forwarded by the hop before. */
  transport: Duplex;
  hostKeys: HostKeyPolicy;
  credentials: SshCredentials;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Record the negotiated algorithms (a diagnosis shows them; a tunnel does not need them). */
  recordAlgorithms?: boolean;
  /** Decrypted keys shared by the hops of a route and its reconnects. */
  keyCache?: Map<string, LoadedKey>;
  /** Learn the offered login methods with a `none` request first (a diagnosis); default true. */
  askMethodsFirst?: boolean;
}

export interface BannerResult {
  /** The server's identification line: `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3`. */
  ident: string;
  /** Lines a server may send before it (RFC 4253 4.2). */
  preamble: string[];
}

const MAX_PREAMBLE_BYTES = 8192;

/**
 * One hop's SSH handshake, phase by phase — banner, key exchange, host key, authentication — each
 * a promise of its own, so a diagnosis can time and report them as separate steps and a tunnel can
 * simply await `ready`. Every failure is an SshError of the phase it happened in.
 */
export class HopHandshake {
  readonly client = new Client();
  readonly auth: HopAuthentication;
  readonly banner: Promise<BannerResult>;
  /** Resolves when the server's host key arrives (algorithms agreed). */
  readonly kex: Promise<{ algorithms: Record<string, string> }>;
  /** Resolves once the key is accepted and the server proved it holds it. */
  readonly hostKey: Promise<HostKeyVerdict>;
  readonly ready: Promise<Client>;
  phase: SshPhase = 'banner';
  /** True while the login waits for the person (a passphrase, a password, a one-time code): no deadline runs then. */
  waitingForUser = false;
  private readonly userWaitListeners = new Set<(waiting: boolean) => void>();
  /** Withdraws a question still put to the person once the handshake has failed. */
  private readonly questions = new AbortController();
  private failed: SshError | null = null;
  private readonly rejectBanner: (e: SshError) => void;
  private readonly algorithms: Record<string, string> = {};
  private readonly settle: {
    kex: [(v: { algorithms: Record<string, string> }) => void, (e: SshError) => void];
    hostKey: [(v: HostKeyVerdict) => void, (e: SshError) => void];
    ready: [(c: Client) => void, (e: SshError) => void];
  };

  constructor(private readonly options: HopHandshakeOptions) {
    this.auth = new HopAuthentication(options.hop, options.ref, options.credentials, options.keyCache, {
      signal: this.questions.signal,
      onUserWait: (waiting) => {
        this.waitingForUser = waiting;
        for (const listener of this.userWaitListeners) listener(waiting);
      },
      askMethodsFirst: options.askMethodsFirst ?? true,
    });
    const deferred = <T>() => {
      let resolve!: (v: T) => void;
      let reject!: (e: SshError) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined);
      return { promise, resolve, reject };
    };
    const kex = deferred<{ algorithms: Record<string, string> }>();
    const hostKey = deferred<HostKeyVerdict>();
    const ready = deferred<Client>();
    this.kex = kex.promise;
    this.hostKey = hostKey.promise;
    this.ready = ready.promise;
    this.settle = { kex: [kex.resolve, kex.reject], hostKey: [hostKey.resolve, hostKey.reject], ready: [ready.resolve, ready.reject] };
    const banner = deferred<BannerResult>();
    this.banner = banner.promise;
    this.rejectBanner = banner.reject;
    readBanner(options.transport, options.ref).then(banner.resolve, banner.reject);
    this.banner.catch((err: SshError) => this.fail(err));
    void this.banner.then(() => this.start(), () => undefined);
  }

  /** Tells when the login starts and stops waiting for the person (a deadline pauses meanwhile). */
  onUserWait(listener: (waiting: boolean) => void): () => void {
    this.userWaitListeners.add(listener);
    return () => this.userWaitListeners.delete(listener);
  }

  /** Stops the handshake (a step's limit, a cancelled run): later phases fail with `reason`. */
  abort(reason: SshError): void {
    this.rejectBanner(reason);
    this.fail(reason);
    this.client.end();
    this.options.transport.destroy();
  }

  /** The error for running out of time in the current phase. */
  timeoutError(ms: number): SshError {
    const where = hopName(this.options.ref);
    const base = { timeoutMs: ms, phase: this.phase };
    switch (this.phase) {
      case 'banner':
        return new SshError('ssh-not-ssh', 'banner', this.options.ref, `Nothing that speaks SSH answered on ${where} within ${ms} ms (an SSH server sends its banner at once).`, base);
      case 'auth':
        return this.auth.failure(new Error(`No answer to the login within ${ms} ms.`));
      default:
        return new SshError(null, this.phase, this.options.ref, `${hopTitle(this.options.ref)} did not finish the ${this.phase === 'kex' ? 'key exchange' : 'host key check'} within ${ms} ms.`, base);
    }
  }

  private start(): void {
    const { hop, ref, transport, hostKeys } = this.options;
    this.phase = 'kex';
    const subject = { hop: ref, host: hop.host, port: hop.port, ...(hop.knownHostsFile ? { knownHostsFile: hop.knownHostsFile } : {}), hashNew: hop.hashKnownHosts };
    let verdict: HostKeyVerdict | null = null;
    this.client.on('handshake', () => {
      this.phase = 'auth';
      if (verdict) this.settle.hostKey[0](verdict);
    });
    this.client.on('ready', () => {
      // Only after the login: a global request before it is a protocol error.
      nudgeAcks(this.client, transport);
      this.auth.succeeded();
      this.phase = 'forward';
      this.settle.ready[0](this.client);
    });
    this.client.on('error', (err: Error & { level?: string; code?: unknown }) => this.fail(this.classify(err)));
    this.client.on('close', () => this.fail(this.classify(new Error('connection closed'))));
    this.client.connect({
      sock: transport,
      username: hop.user,
      readyTimeout: 0,
      keepaliveInterval: this.options.keepaliveIntervalMs,
      keepaliveCountMax: this.options.keepaliveCountMax,
      algorithms: { serverHostKey: hostKeys.algorithmsFor(subject) as never },
      authHandler: this.auth.handler,
      ...(this.options.recordAlgorithms ? { debug: (m: string) => this.recordAlgorithm(m) } : {}),
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        this.phase = 'host-key';
        this.settle.kex[0]({ algorithms: { ...this.algorithms } });
        hostKeys.verify(subject, key).then(
          (v) => {
            verdict = v;
            verify(true);
          },
          (err: unknown) => {
            this.fail(err instanceof SshError ? err : new SshError(null, 'host-key', ref, `Checking the host key failed: ${(err as Error).message}`));
            verify(false);
          },
        );
      },
    });
  }

  private recordAlgorithm(message: string): void {
    if (this.phase !== 'kex') return;
    const m = /^Handshake: (KEX algorithm|Host key format|C->S Cipher|S->C cipher|C->S MAC|S->C MAC): (.+)$/.exec(message);
    if (m) this.algorithms[m[1]!.replace('S->C cipher', 'S->C Cipher')] = m[2]!;
  }

  /** What an ssh2 error means in the phase it happened in. */
  private classify(err: Error & { level?: string; code?: unknown }): SshError {
    if (err instanceof SshError) return err;
    const { ref } = this.options;
    const where = hopName(ref);
    const raw = { message: err.message, ...(err.level ? { level: err.level } : {}) };
    switch (this.phase) {
      case 'banner':
      case 'kex':
        return new SshError(null, 'kex', ref, err.message === 'connection closed' ? `${hopTitle(this.options.ref)} closed the connection during the key exchange.` : `The key exchange with ${where} failed: ${err.message}.`, raw, { cause: err });
      case 'host-key':
        return new SshError(null, 'host-key', ref, `${hopTitle(this.options.ref)} failed the host key check: ${err.message}.`, raw, { cause: err });
      case 'auth':
        if (typeof err.code === 'number' || err.message === 'connection closed') this.auth.disconnected(err.message);
        return this.auth.failure(err);
      default:
        return new SshError(null, 'forward', ref, `The SSH connection to ${where} ended: ${err.message}.`, raw, { cause: err });
    }
  }

  /** The first failure wins; every phase not yet settled fails with it. */
  private fail(err: SshError): void {
    if (this.failed) return;
    this.failed = err;
    this.questions.abort();
    this.settle.kex[1](err);
    this.settle.hostKey[1](err);
    this.settle.ready[1](err);
  }
}

/**
 * Reads the server's identification line before ssh2 sees the stream, so "something other than
 * SSH answers" is told apart from a failed key exchange; what was read is put back for ssh2.
 */
export function readBanner(transport: Duplex, ref: HopRef): Promise<BannerResult> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const cleanup = () => {
      transport.off('data', onData);
      transport.off('close', onClose);
      transport.off('error', onError);
      transport.off('end', onClose);
    };
    const notSsh = (why: string) => {
      cleanup();
      const first = buffer.subarray(0, 64);
      reject(new SshError('ssh-not-ssh', 'banner', ref, `${hopTitle(ref)} is not an SSH server: ${why}.`, { firstBytesHex: first.toString('hex'), firstBytesText: printable(first) }));
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const preamble: string[] = [];
      let start = 0;
      for (;;) {
        const nl = buffer.indexOf(0x0a, start);
        const line = buffer.subarray(start, nl < 0 ? buffer.length : nl).toString('latin1').replace(/\r$/, '');
        if (line.startsWith('SSH-') && nl >= 0) {
          cleanup();
          transport.pause();
          transport.unshift(buffer);
          resolve({ ident: line, preamble });
          return;
        }
        if (/[^\t\x20-\x7e]/.test(line)) return notSsh('it sent binary data instead of an SSH banner');
        if (nl < 0) break;
        preamble.push(line);
        start = nl + 1;
      }
      if (buffer.length > MAX_PREAMBLE_BYTES) notSsh(`it sent ${buffer.length} bytes of text without an SSH banner`);
    };
    const onClose = () => {
      cleanup();
      reject(new SshError(buffer.length > 0 ? 'ssh-not-ssh' : null, 'banner', ref, `${hopTitle(ref)} closed the connection before sending an SSH banner${buffer.length > 0 ? ` (it sent: ${printable(buffer.subarray(0, 64))})` : ''}.`, { bytesReceived: buffer.length }));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new SshError(null, 'banner', ref, `The connection to ${hopName(ref)} failed before the SSH banner: ${err.message}.`, { message: err.message }, { cause: err }));
    };
    transport.on('data', onData);
    transport.once('close', onClose);
    transport.once('end', onClose);
    transport.once('error', onError);
  });
}

function printable(b: Buffer): string {
  return b.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
}

