import type net from 'node:net';
import type { ClientChannel, Client } from 'ssh2';
import { resolveAll, type ResolvedAddress } from '../../../features/diagnostics/core/probes/dns-probe';
import { connectTcp, ProbeTimeout } from '../../../features/diagnostics/core/probes/socket-io';
import { hopName, hopTitle, SshError, type HopRef } from './ssh-failure';

/**
 * How the bytes of each hop travel: the first hop over TCP (its own DNS lookup and connect, so a
 * failure names the step), every later hop — and finally the database — through a channel the
 * hop before it opens (`direct-tcpip`, what ProxyJump does).
 */

/** SSH_MSG_CHANNEL_OPEN_FAILURE reason codes (RFC 4254 5.1). */
const OPEN_PROHIBITED = 1;
const OPEN_CONNECT_FAILED = 2;
const OPEN_FAILURE_REASONS: Record<number, string> = { 1: 'administratively prohibited', 2: 'connect failed', 3: 'unknown channel type', 4: 'resource shortage' };

export async function resolveHopAddresses(host: string, ref: HopRef, timeoutMs: number, signal: AbortSignal): Promise<ResolvedAddress[]> {
  try {
    return await resolveAll(host, timeoutMs, signal);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const evidence = { host, code };
    if (err instanceof ProbeTimeout) return failDns(`No DNS answer for ${host} within ${timeoutMs} ms.`, { ...evidence, code: 'timeout' });
    if (['ENOTFOUND', 'EAI_NONAME', 'EAI_NODATA', 'EAI_AGAIN', 'EAI_FAIL'].includes(code)) {
      return failDns(code === 'EAI_AGAIN' ? `The name ${host} could not be resolved right now (EAI_AGAIN: the DNS server cannot be reached).` : `The name ${host} does not exist (${code}).`, evidence);
    }
    throw err;
  }
  function failDns(message: string, evidence: Record<string, string>): never {
    throw new SshError('ssh-dns-not-found', 'dns', ref, `${message} It is the host of ${hopName(ref)}.`, evidence);
  }
}

export interface TcpAttemptRecord {
  address: string;
  ok: boolean;
  ms: number;
  error?: string;
}

/** Connects to the addresses in order, keeping the first that accepts (each attempt recorded). */
export async function connectHopTcp(addresses: ResolvedAddress[], port: number, ref: HopRef, deadline: number, signal: AbortSignal, attempts: TcpAttemptRecord[] = []): Promise<net.Socket> {
  const errors: NodeJS.ErrnoException[] = [];
  for (const { address } of addresses) {
    const started = Date.now();
    try {
      const socket = await connectTcp(address, port, Math.max(1, deadline - Date.now()), signal);
      attempts.push({ address, ok: true, ms: Date.now() - started });
      return socket;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      errors.push(e);
      attempts.push({ address, ok: false, ms: Date.now() - started, error: e instanceof ProbeTimeout ? 'timeout' : (e.code ?? e.message) });
      if (signal.aborted && !(e instanceof ProbeTimeout)) throw err;
    }
  }
  const evidence = { port, attempts: attempts.map((a) => `${a.address}: ${a.ok ? `connected in ${a.ms} ms` : a.error}`) };
  const where = hopName(ref);
  if (errors.length > 0 && errors.every((e) => e.code === 'ECONNREFUSED')) throw new SshError('ssh-tcp-refused', 'tcp', ref, `${hopTitle(ref)} refused the connection on port ${port} (ECONNREFUSED): nothing listens there.`, evidence);
  if (errors.some((e) => e instanceof ProbeTimeout)) throw new SshError('ssh-tcp-timeout', 'tcp', ref, `${hopTitle(ref)} did not answer the TCP connect on port ${port} before the time limit: the packets are dropped (a firewall or a wrong route).`, evidence);
  const first = errors[0];
  throw new SshError(null, 'tcp', ref, `Cannot connect to ${where}: ${first?.message ?? 'no address'}.`, evidence, { cause: first });
}

/**
 * Asks `via` (an authenticated hop) to open a TCP connection to host:port for us. `onRefused`
 * turns an open failure into the class that fits where it happened (the next hop or the database).
 */
export function openChannel(via: Client, host: string, port: number, timeoutMs: number, signal: AbortSignal | undefined, onFailure: (kind: 'prohibited' | 'connect-failed' | 'timeout' | 'other', description: string, reason: unknown) => SshError): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => finish(onFailure('timeout', `no answer within ${timeoutMs} ms`, null)), timeoutMs);
    const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    function finish(err: Error | null, channel?: ClientChannel) {
      if (settled) {
        // A channel that opens after we gave up is closed at once.
        channel?.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(channel!);
    }
    try {
      via.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
        if (!err) return finish(null, channel);
        const reason = (err as Error & { reason?: unknown }).reason;
        // As ssh prints it: "administratively prohibited: open failed", "connect failed: Connection refused".
        const text = err.message.replace(/^\(SSH\) Channel open failure: /, '');
        const description = typeof reason === 'number' && OPEN_FAILURE_REASONS[reason] ? `${OPEN_FAILURE_REASONS[reason]}: ${text}` : text;
        const kind = reason === OPEN_PROHIBITED ? 'prohibited' : reason === OPEN_CONNECT_FAILED ? 'connect-failed' : 'other';
        finish(onFailure(kind, description, reason));
      });
    } catch (err) {
      finish(onFailure('other', (err as Error).message, null));
    }
  });
}

/** The channel to the next hop of a ProxyJump chain: any failure is `ssh-jump-failed`, naming both hops. */
export function openJumpChannel(via: Client, viaRef: HopRef, next: { host: string; port: number }, nextRef: HopRef, timeoutMs: number, signal?: AbortSignal): Promise<ClientChannel> {
  return openChannel(via, next.host, next.port, timeoutMs, signal, (kind, description, reason) => {
    const why = kind === 'prohibited' ? `it refuses to forward there ("${description}": AllowTcpForwarding or PermitOpen)` : kind === 'timeout' ? `no connection within ${timeoutMs} ms` : `"${description}"`;
    return new SshError('ssh-jump-failed', 'jump', nextRef, `${hopTitle(viaRef)} could not open a connection to ${hopName(nextRef)}: ${why}.`, { via: viaRef.label, target: nextRef.label, openFailure: description, reason: typeof reason === 'number' ? reason : null });
  });
}

/** The channel from the bastion to the database: refused by policy, or the database not reachable from there. */
export function openDatabaseChannel(via: Client, viaRef: HopRef, host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ClientChannel> {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return openChannel(via, host, port, timeoutMs, signal, (kind, description, reason) => {
    const evidence = { target, openFailure: description, reason: typeof reason === 'number' ? reason : null };
    if (kind === 'prohibited') return new SshError('ssh-forwarding-refused', 'forward', viaRef, `${hopTitle(viaRef)} refused to forward to ${target}: "${description}" (its sshd_config forbids it: AllowTcpForwarding or PermitOpen).`, evidence);
    if (kind === 'connect-failed' || kind === 'timeout') {
      return new SshError('ssh-target-unreachable', 'forward', viaRef, `${hopTitle(viaRef)} could not reach ${target}: ${kind === 'timeout' ? `no connection within ${timeoutMs} ms` : `"${description}"`}.`, evidence);
    }
    return new SshError(null, 'forward', viaRef, `${hopTitle(viaRef)} could not open a channel to ${target}: ${description}.`, evidence);
  });
}

