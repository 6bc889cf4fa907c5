import { isIP } from 'node:net';
import tls from 'node:tls';
import type { TlsMaterial } from '../../../../electron/core/engines/config';
import { connectTcp, SocketCollector, type Dial } from './socket-io';
import type { WireProtocol } from './wire-protocol';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  sha256: string;
  selfSigned: boolean;
}

export interface TlsProbeResult {
  /** false: PostgreSQL answered 'N', or the MySQL greeting lacks CLIENT_SSL. */
  serverSupportsTls: boolean;
  handshake?: {
    protocol: string | null;
    cipher: string;
    /** Chain verification against the profile's CA file (or the system's CAs when none is given). */
    chainVerified: boolean;
    chainError?: string;
    /** Whether the certificate names the host the profile connects to (SAN, or CN when there is no SAN). */
    hostnameMatches: boolean;
    hostnameError?: { code: string; message: string };
    certificate: CertificateFacts;
    chainLength: number;
    clientCertificateSent: boolean;
  };
}

/**
 * Negotiates TLS the way the database driver does (PostgreSQL SSLRequest, or the MySQL greeting's
 * CLIENT_SSL bit and SSLRequest packet), then completes a handshake that accepts any certificate so
 * it can report everything about it — chain trust and host name are judged afterwards, against the
 * profile's sslmode, by the caller.
 */
export async function probeTls(options: {
  address: string;
  port: number;
  /** The host name as the profile names it: what verify-full compares with the certificate. */
  host: string;
  /** The profile's protocol: how it asks for TLS before the login. */
  wire: WireProtocol;
  material: TlsMaterial;
  deadline: number;
  signal: AbortSignal;
  /** Through an SSH tunnel: a channel to the database instead of a TCP connect. */
  dial?: Dial;
}): Promise<TlsProbeResult> {
  const { address, port, wire, deadline, signal } = options;
  const socket = await (options.dial ?? connectTcp)(address, port, Math.max(1, deadline - Date.now()), signal);
  const collector = new SocketCollector(socket);
  try {
    if (!(await wire.startTls(socket, collector, deadline, signal))) return { serverSupportsTls: false };
    collector.detach();
    return { serverSupportsTls: true, handshake: await handshake(socket, options) };
  } finally {
    collector.detach();
    socket.destroy();
  }
}

function handshake(socket: import('node:net').Socket, o: Parameters<typeof probeTls>[0]): Promise<NonNullable<TlsProbeResult['handshake']>> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      socket,
      ...(isIP(o.host) === 0 ? { servername: o.host } : {}),
      ...(o.material.ca ? { ca: o.material.ca } : {}),
      ...(o.material.cert ? { cert: o.material.cert } : {}),
      ...(o.material.key ? { key: o.material.key } : {}),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(() => fail(Object.assign(new Error('The TLS handshake did not finish in time.'), { code: 'DBDESK_TIMEOUT' })), Math.max(1, o.deadline - Date.now()));
    const onAbort = () => fail(o.signal.reason instanceof Error ? o.signal.reason : new Error('aborted'));
    o.signal.addEventListener('abort', onAbort, { once: true });
    function cleanup() {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      secure.destroy();
    }
    function fail(err: Error) {
      cleanup();
      reject(err);
    }
    secure.once('error', fail);
    secure.once('secureConnect', () => {
      const peer = secure.getPeerCertificate(true);
      const identityError = tls.checkServerIdentity(o.host, peer) as (Error & { code?: string }) | undefined;
      const chainError = secure.authorizationError ? String((secure.authorizationError as unknown as { code?: string }).code ?? secure.authorizationError) : undefined;
      const cipher = secure.getCipher();
      const result: NonNullable<TlsProbeResult['handshake']> = {
        protocol: secure.getProtocol(),
        cipher: cipher.standardName ?? cipher.name,
        chainVerified: secure.authorized,
        ...(chainError ? { chainError } : {}),
        hostnameMatches: !identityError,
        ...(identityError ? { hostnameError: { code: identityError.code ?? 'ERR_TLS_CERT_ALTNAME_INVALID', message: identityError.message } } : {}),
        certificate: describeCertificate(peer),
        chainLength: chainLength(peer),
        clientCertificateSent: Boolean(o.material.cert),
      };
      cleanup();
      resolve(result);
    });
  });
}

function describeCertificate(c: tls.DetailedPeerCertificate): CertificateFacts {
  return {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    subjectAltNames: (c.subjectaltname ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    validFrom: new Date(c.valid_from).toISOString(),
    validTo: new Date(c.valid_to).toISOString(),
    sha256: c.fingerprint256,
    selfSigned: dn(c.subject) === dn(c.issuer),
  };
}

function dn(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function chainLength(c: tls.DetailedPeerCertificate): number {
  let n = 1;
  let cur = c;
  while (cur.issuerCertificate && cur.issuerCertificate !== cur && cur.issuerCertificate.fingerprint256 !== cur.fingerprint256 && n < 10) {
    cur = cur.issuerCertificate;
    n++;
  }
  return n;
}
