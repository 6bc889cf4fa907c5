import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { ForwardedSocket } from './forwarded-socket';
import { HopHandshake } from './hop-handshake';
import type { HostKeyPolicy } from './host-key-policy';
import type { LoadedKey } from './private-keys';
import { connectHopTcp, openDatabaseChannel, openJumpChannel, resolveHopAddresses } from './hop-transport';
import type { SshCredentials } from './ssh-auth';
import { hopName, SshError, type HopRef } from './ssh-failure';
import { hopLabel, type SshRoute } from './ssh-route';

export interface SshTunnelOptions {
  route: SshRoute;
  credentials: SshCredentials;
  hostKeys: HostKeyPolicy;
  /** Per hop: TCP connect plus handshake and login. */
  connectTimeoutMs: number;
  /** 0: none. A silent peer is declared gone after interval × countMax. */
  keepaliveIntervalMs: number;
  keepaliveCountMax?: number;
}

/** Raised on every stream of a tunnel whose SSH connection went away; the next use reconnects. */
export class SshTunnelDropped extends Error {
  override name = 'SshTunnelDropped';
  readonly code = 'SSH_TUNNEL_DROPPED';
}

/**
 * One SSH route (jump hosts, then the bastion) kept open for one connection profile, shared by
 * every pooled database connection of it: each gets its own forwarded channel. When any hop's
 * connection closes, every open stream fails at once with SshTunnelDropped, listeners hear of
 * it, and the next stream asked for opens the route again.
 */
export class SshTunnel {
  private clients: Client[] | null = null;
  private opening: Promise<Client[]> | null = null;
  private readonly streams = new Set<ForwardedSocket>();
  private readonly dropListeners = new Set<(err: SshTunnelDropped) => void>();
  private closed = false;
  /** Keys decrypted once for every hop and every reconnect of this tunnel (kept in memory, as an agent would). */
  readonly keyCache = new Map<string, LoadedKey>();
  /** Handshakes of the route now open (a diagnosis reads their evidence). */
  handshakes: HopHandshake[] = [];

  constructor(private readonly options: SshTunnelOptions) {}

  get refs(): HopRef[] {
    const hops = this.options.route.hops;
    return hops.map((hop, index) => ({ index, count: hops.length, label: hopLabel(hop) }));
  }

  get isOpen(): boolean {
    return this.clients !== null;
  }

  /** Opens the route if it is not open (one attempt at a time, shared by concurrent callers). */
  async connect(signal?: AbortSignal): Promise<Client> {
    if (this.closed) throw new Error('The SSH tunnel was closed.');
    if (this.clients) return this.clients[this.clients.length - 1]!;
    this.opening ??= this.openRoute(signal).finally(() => (this.opening = null));
    const clients = await this.opening;
    return clients[clients.length - 1]!;
  }

  /** A stream to host:port as the bastion sees them, opened now (mysql2's `stream` option). */
  stream(host: string, port: number): Duplex {
    return this.socket().connect(port, host);
  }

  /** A socket-shaped stream that opens its channel when the driver calls connect(port, host) (pg's `stream` option). */
  socket(): ForwardedSocket {
    const socket = new ForwardedSocket((host, port) => this.channel(host, port));
    this.streams.add(socket);
    socket.once('close', () => this.streams.delete(socket));
    return socket;
  }

  /** A raw channel from the bastion to host:port (reconnecting first if the route is down). */
  async channel(host: string, port: number, signal?: AbortSignal): Promise<ClientChannel> {
    const bastion = await this.connect(signal);
    const refs = this.refs;
    return openDatabaseChannel(bastion, refs[refs.length - 1]!, host, port, this.options.connectTimeoutMs, signal);
  }

  /** Takes over a route a diagnosis opened hop by hop, so the database steps run through it. */
  adopt(clients: Client[], handshakes: HopHandshake[]): void {
    this.clients = clients;
    this.handshakes = handshakes;
    this.watch(clients, this.refs);
  }

  onDrop(listener: (err: SshTunnelDropped) => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    const clients = this.clients;
    this.clients = null;
    for (const s of this.streams) s.destroy();
    for (const c of [...(clients ?? [])].reverse()) c.end();
  }

  private async openRoute(signal?: AbortSignal): Promise<Client[]> {
    const { route, connectTimeoutMs } = this.options;
    const refs = this.refs;
    const clients: Client[] = [];
    const handshakes: HopHandshake[] = [];
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (const [i, hop] of route.hops.entries()) {
        const ref = refs[i]!;
        const deadline = Date.now() + connectTimeoutMs;
        let transport: Duplex;
        if (i === 0) {
          const addresses = await resolveHopAddresses(hop.host, ref, connectTimeoutMs, controller.signal);
          transport = await connectHopTcp(addresses, hop.port, ref, deadline, controller.signal);
        } else {
          transport = await openJumpChannel(clients[i - 1]!, refs[i - 1]!, hop, ref, Math.max(1, deadline - Date.now()), controller.signal);
        }
        const handshake = new HopHandshake({
          hop,
          ref,
          transport,
          hostKeys: this.options.hostKeys,
          credentials: this.options.credentials,
          keepaliveIntervalMs: this.options.keepaliveIntervalMs,
          keepaliveCountMax: this.options.keepaliveCountMax ?? 3,
          keyCache: this.keyCache,
          // The methods offered are learnt from the first refusal, if any: one round trip less.
          askMethodsFirst: false,
        });
        handshakes.push(handshake);
        clients.push(await withDeadline(handshake, deadline, controller.signal));
      }
    } catch (err) {
      for (const c of clients.reverse()) c.end();
      for (const h of handshakes) h.client.end();
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (this.closed) {
      for (const c of [...clients].reverse()) c.end();
      throw new Error('The SSH tunnel was closed.');
    }
    this.clients = clients;
    this.handshakes = handshakes;
    this.watch(clients, refs);
    return clients;
  }

  /** Any hop that closes takes the whole route down: streams fail now, the next use reconnects. */
  private watch(clients: Client[], refs: HopRef[]): void {
    let reason: string | null = null;
    clients.forEach((client, i) => {
      client.on('error', (err: Error) => (reason ??= `${hopName(refs[i]!)}: ${err.message}`));
      // A hop reached through a channel sees 'end' when the hop before hangs up; 'close' may never follow.
      const onGone = () => {
        if (this.clients !== clients) return;
        this.clients = null;
        for (const c of clients) c.end();
        const dropped = new SshTunnelDropped(`The SSH tunnel through ${hopName(refs[i]!)} dropped${reason ? ` (${reason})` : ' (the connection was closed)'}. It reconnects on the next use.`);
        for (const s of this.streams) s.destroy(dropped);
        // Told once the streams have failed (their errors come a turn later, as a socket's do): by
        // then the pools have let go of their dead connections, so the next use — however soon after
        // the news — opens a new one through a new tunnel instead of writing into a dead one.
        setImmediate(() => {
          for (const listener of this.dropListeners) listener(dropped);
        });
      };
      client.once('end', onGone);
      client.once('close', onGone);
    });
  }
}

/**
 * Waits for a hop's login, failing with the phase's own error when the deadline passes or the
 * caller gives up. Time the login spends waiting for the person (a passphrase, a one-time code)
 * does not count: the clock stops while a question is open and runs on with what was left.
 */
function withDeadline(handshake: HopHandshake, deadline: number, signal: AbortSignal): Promise<Client> {
  const ms = Math.max(1, deadline - Date.now());
  let left = ms;
  let started = Date.now();
  return new Promise((resolve, reject) => {
    const expire = () => handshake.abort(handshake.timeoutError(ms));
    let timer: NodeJS.Timeout | null = setTimeout(expire, left);
    const offWait = handshake.onUserWait((waiting) => {
      if (waiting && timer) {
        clearTimeout(timer);
        timer = null;
        left = Math.max(1, left - (Date.now() - started));
      } else if (!waiting && !timer) {
        started = Date.now();
        timer = setTimeout(expire, left);
      }
    });
    const onAbort = () => handshake.abort(new SshError(null, handshake.phase, null, 'Cancelled.', {}, { code: 'cancelled' }));
    signal.addEventListener('abort', onAbort, { once: true });
    handshake.ready.then(resolve, reject).finally(() => {
      if (timer) clearTimeout(timer);
      offWait();
      signal.removeEventListener('abort', onAbort);
    });
  });
}
