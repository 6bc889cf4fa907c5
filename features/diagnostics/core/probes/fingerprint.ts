import tls from 'node:tls';
import type { ServiceFound } from '../../../../shared/model/diagnostics';
import { connectTcp, isSocketPath, SocketCollector, type Dial, type ReadEnd } from './socket-io';
import { wireProtocols } from '../../../../electron/core/engines/dialects';
import type { PreHandshakeError, WireProtocol } from './wire-protocol';

export interface FingerprintResult {
  /** What answered; null when nothing identifiable did (silence, or a hang-up). */
  found: ServiceFound | null;
  /** How the server behaved: spoke first, replied to our probe, stayed silent, closed or reset. */
  behaviour: 'spoke-first' | 'replied' | 'silent' | 'closed' | 'reset';
  firstBytesHex: string;
  /** MySQL/MariaDB greeting facts. */
  serverVersion?: string;
  flavour?: 'mysql' | 'mariadb';
  authPlugin?: string;
  /** PostgreSQL 'S'/'N' answer, or the MySQL greeting's CLIENT_SSL bit. */
  sslSupported?: boolean;
  /** An error sent instead of the greeting (MySQL's ERR packet: 1130, 1040, 1129…). */
  preHandshakeError?: PreHandshakeError;
  /** The first line an HTTP or SSH server sent. */
  banner?: string;
  /** The server answered a TLS ClientHello directly (TLS proxy, PostgreSQL 17 direct TLS). */
  directTls?: boolean;
}

/**
 * "Who answers on this port?" without sending credentials. MySQL/MariaDB and SSH speak first; an
 * HTTP server answers garbage with `HTTP/1.1 400`; PostgreSQL answers an 8-byte SSLRequest with one
 * byte, 'S' or 'N'. For a PostgreSQL profile the SSLRequest goes out at once (PostgreSQL never speaks
 * first, and a server that does still has its greeting read first), so a healthy server costs one
 * round trip; for MySQL the probe waits a moment for the greeting before prodding.
 */
export async function fingerprint(address: string, port: number, expected: WireProtocol, deadline: number, signal: AbortSignal, dial: Dial = connectTcp): Promise<FingerprintResult> {
  const protocols = wireProtocols();
  // The probe a silent server answers: the expected protocol's own, else another's (PostgreSQL's SSLRequest).
  const probe = expected.probe ?? protocols.find((p) => p.probe)?.probe;
  const socket = await dial(address, port, Math.max(1, deadline - Date.now()), signal);
  const collector = new SocketCollector(socket);
  try {
    let sentProbe = false;
    const sendProbe = () => {
      if (!probe) return;
      sentProbe = true;
      socket.write(probe);
    };
    if (!expected.serverSpeaksFirst) sendProbe();
    else {
      const bannerWait = Math.min(400, Math.max(50, (deadline - Date.now()) * 0.3));
      const end = await collector.waitFor((b) => b.length > 0, Date.now() + bannerWait, signal);
      if (end === 'timeout' && collector.buffer.length === 0) sendProbe();
    }
    const end = await collector.waitFor((b) => identified(protocols, b, sentProbe), deadline, signal);
    const result = interpret(protocols, collector.buffer, end, sentProbe);
    // Hung up on our probe without a word: a direct-TLS endpoint does that; ask it in TLS.
    if (result.found === null && (result.behaviour === 'closed' || result.behaviour === 'reset') && dial === connectTcp && deadline - Date.now() > 20) {
      if (await answersTls(address, port, protocols, deadline, signal)) return { ...result, found: 'tls', directTls: true };
    }
    return result;
  } finally {
    collector.detach();
    socket.destroy();
  }
}

/** Enough bytes to name the service? */
function identified(protocols: readonly WireProtocol[], b: Buffer, sentProbe: boolean): boolean {
  if (b.length === 0) return false;
  for (const p of protocols) {
    const enough = p.enough(b);
    if (enough !== null) return enough;
  }
  if (startsWith(b, 'SSH-') || startsWith(b, 'HTTP/')) return b.includes(0x0a) || b.length >= 256;
  if (sentProbe && b.length >= 1) return true;
  return b.length >= 16;
}

function interpret(protocols: readonly WireProtocol[], b: Buffer, end: ReadEnd, sentProbe: boolean): FingerprintResult {
  const firstBytesHex = b.subarray(0, 32).toString('hex');
  const spokeFirst = protocols.some((p) => p.serverSpeaksFirst && p.enough(b) !== null) || startsWith(b, 'SSH-');
  const behaviourIfData: FingerprintResult['behaviour'] = sentProbe && !spokeFirst ? 'replied' : 'spoke-first';
  if (b.length === 0) {
    const behaviour = end === 'timeout' ? 'silent' : end === 'reset' ? 'reset' : 'closed';
    return { found: null, behaviour, firstBytesHex };
  }
  for (const p of protocols.filter((x) => x.serverSpeaksFirst)) {
    const found = p.recognise(b, sentProbe);
    if (found) return { found: p.service, behaviour: 'spoke-first', firstBytesHex, ...found };
  }
  if (startsWith(b, 'SSH-')) return { found: 'ssh', behaviour: 'spoke-first', firstBytesHex, banner: firstLine(b) };
  if (startsWith(b, 'HTTP/')) return { found: 'http', behaviour: behaviourIfData, firstBytesHex, banner: firstLine(b) };
  // A TLS record (handshake 0x16 or alert 0x15, version 3.x): a TLS endpoint refusing our plain bytes.
  if ((b[0] === 0x15 || b[0] === 0x16) && b[1] === 0x03) return { found: 'tls', behaviour: behaviourIfData, firstBytesHex, directTls: true };
  for (const p of protocols.filter((x) => !x.serverSpeaksFirst)) {
    const found = p.recognise(b, sentProbe);
    if (found) return { found: p.service, behaviour: 'replied', firstBytesHex, ...found };
  }
  return { found: 'unknown', behaviour: behaviourIfData, firstBytesHex };
}

/** A TLS ClientHello, nothing verified: does the port speak TLS at all? */
function answersTls(address: string, port: number, protocols: readonly WireProtocol[], deadline: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ ...(isSocketPath(address) ? { path: address } : { host: address, port }), rejectUnauthorized: false, ALPNProtocols: protocols.map((p) => p.service) });
    const timer = setTimeout(() => done(false), Math.max(1, deadline - Date.now()));
    const onAbort = () => done(false);
    signal.addEventListener('abort', onAbort, { once: true });
    function done(ok: boolean) {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(ok);
    }
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

function startsWith(b: Buffer, text: string): boolean {
  return b.length >= text.length && b.subarray(0, text.length).toString('latin1') === text;
}

function firstLine(b: Buffer): string {
  const nl = b.indexOf(0x0a);
  return b
    .subarray(0, nl < 0 ? Math.min(b.length, 200) : nl)
    .toString('latin1')
    .replace(/\r$/, '')
    .slice(0, 200);
}
