import type { SslMode } from '../../../shared/model/connection';
import type { TlsMaterial } from '../../../electron/core/engines/config';
import { wireProtocols } from '../../../electron/core/engines/dialects';
import type { FingerprintResult } from './probes/fingerprint';
import type { probeTls } from './probes/tls-probe';
import type { StepOutcome } from './step-recorder';

/** What the fingerprint found, in words for the step's detail. */
export function describeFound(fp: FingerprintResult): string {
  const database = wireProtocols().find((p) => p.service === fp.found);
  if (database) return `a ${database.productName(fp)} server${fp.serverVersion ? ` (${fp.serverVersion})` : ''}`;
  switch (fp.found) {
    case 'http':
      return `a web server (${fp.banner ?? 'HTTP'})`;
    case 'ssh':
      return `an SSH server (${fp.banner ?? 'SSH'})`;
    case 'tls':
      return 'a TLS endpoint that expects TLS from the first byte';
    default:
      return `an unknown service (first bytes ${fp.firstBytesHex.slice(0, 32)})`;
  }
}

/** Judges the TLS facts against the sslmode (libpq's rules). */
export function tlsOutcome(r: Awaited<ReturnType<typeof probeTls>>, mode: SslMode, material: TlsMaterial, host: string, address: string): StepOutcome {
  if (!r.serverSupportsTls || !r.handshake) {
    const evidence = { sslmode: mode, serverSupportsTls: false };
    // Plain text on the loopback interface never leaves the machine; over a network someone should know.
    if (mode === 'prefer') {
      return isLoopback(address)
        ? { status: 'ok', detail: 'The server offers no TLS: plain text, which sslmode=prefer allows (loopback only).', evidence }
        : { status: 'warn', detail: 'The server offers no TLS: this connection will be plain text over the network (sslmode=prefer).', evidence };
    }
    return { status: 'fail', detail: `The server offers no TLS, and sslmode=${mode} requires it.`, evidence: { ...evidence, failure: 'unsupported' } };
  }
  const h = r.handshake;
  const c = h.certificate;
  const evidence = {
    sslmode: mode,
    serverSupportsTls: true,
    protocol: h.protocol,
    cipher: h.cipher,
    subject: c.subject,
    issuer: c.issuer,
    subjectAltNames: c.subjectAltNames,
    validFrom: c.validFrom,
    validTo: c.validTo,
    sha256: c.sha256,
    selfSigned: c.selfSigned,
    chainLength: h.chainLength,
    chainVerified: h.chainVerified,
    chainError: h.chainError ?? null,
    hostnameMatches: h.hostnameMatches,
    clientCertificateSent: h.clientCertificateSent,
    caFile: material.ca ? 'given' : 'system CAs',
  };
  const verifyChain = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && Boolean(material.ca));
  const verifyHost = mode === 'verify-full';
  if (verifyChain && !h.chainVerified) {
    return { status: 'fail', detail: `The certificate (${c.subject}) failed verification: ${h.chainError ?? 'untrusted'}.`, evidence: { ...evidence, failure: 'chain' } };
  }
  if (verifyHost && !h.hostnameMatches) {
    return { status: 'fail', detail: `The certificate does not name ${host}: it lists ${c.subjectAltNames.join(', ') || c.subject}.`, evidence: { ...evidence, failure: 'hostname' } };
  }
  const checks = verifyHost ? 'chain and host name verified' : verifyChain ? 'chain verified (host name not compared: verify-ca)' : `certificate not verified (sslmode=${mode})`;
  return { status: 'ok', detail: `${h.protocol ?? 'TLS'} ${h.cipher}; ${checks}; valid until ${c.validTo.slice(0, 10)}.`, evidence };
}

/** Loopback addresses and Unix sockets: traffic that never leaves the machine. */
function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || address === '::ffff:127.0.0.1' || address.startsWith('/');
}
