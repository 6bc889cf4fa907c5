import net from 'node:net';

/** Raised by a probe that ran out of its step's time; the step records it as a timeout. */
export class ProbeTimeout extends Error {
  override name = 'ProbeTimeout';
  readonly code = 'DBDESK_TIMEOUT';
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
  }
}

/** Rejects when the signal aborts (the step timed out or the run was cancelled). */
export function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** An address that is a path is a Unix socket (PostgreSQL's socket directory + .s.PGSQL.port). */
export function isSocketPath(address: string): boolean {
  return address.startsWith('/');
}

/**
 * One TCP connection to one address, no happy-eyeballs (each address is probed on its own), or
 * one connection to a Unix socket; destroyed when the signal aborts.
 */
export function connectTcp(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = isSocketPath(address) ? net.connect({ path: address }) : net.connect({ host: address, port, autoSelectFamily: false });
    if (!isSocketPath(address)) socket.setNoDelay(true);
    const timer = setTimeout(() => finish(new ProbeTimeout(`Connect to ${isSocketPath(address) ? address : `${address}:${port}`}`, timeoutMs)), timeoutMs);
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (err?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onConnect = () => finish();
    const onError = (err: Error) => finish(err);
    socket.once('connect', onConnect);
    socket.once('error', onError);
    if (signal.aborted) onAbort();
  });
}

/** How a probe reaches address:port: a TCP connect here, or a channel through an SSH tunnel. */
export type Dial = (address: string, port: number, timeoutMs: number, signal: AbortSignal) => Promise<net.Socket>;

export type ReadEnd = 'enough' | 'closed' | 'reset' | 'timeout';

/**
 * Collects what a server sends on a socket, so a probe can wait "until these bytes make sense, the
 * server hangs up, or time runs out", whichever comes first.
 */
export class SocketCollector {
  buffer = Buffer.alloc(0);
  ended: 'closed' | 'reset' | null = null;
  resetError: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(readonly socket: net.Socket) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  private onData = (chunk: Buffer) => {
    // A probe never needs much: keep the first 4 KiB.
    if (this.buffer.length < 4096) this.buffer = Buffer.concat([this.buffer, chunk]).subarray(0, 4096);
    this.wake?.();
  };
  private onEnd = () => {
    this.ended ??= 'closed';
    this.wake?.();
  };
  private onError = (err: Error) => {
    this.ended ??= 'reset';
    this.resetError ??= err;
    this.wake?.();
  };

  /** Waits until `enough(buffer)` holds, the peer ends the connection, `untilMs` passes or the signal aborts. */
  async waitFor(enough: (buf: Buffer) => boolean, untilMs: number, signal: AbortSignal): Promise<ReadEnd> {
    for (;;) {
      if (enough(this.buffer)) return 'enough';
      if (this.ended) return this.ended;
      const left = untilMs - Date.now();
      if (left <= 0 || signal.aborted) return 'timeout';
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        const onAbort = () => done();
        signal.addEventListener('abort', onAbort, { once: true });
        function done() {
          clearTimeout(t);
          signal.removeEventListener('abort', onAbort);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
  }

  /** Stops collecting (before the socket is handed to TLS). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
  }
}
