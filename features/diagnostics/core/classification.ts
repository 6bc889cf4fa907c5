import type { DiagnosticClass, DriverErrorEvidence } from '../../../shared/model/diagnostics';

/**
 * The vocabulary every dialect classifies its driver's errors in (engines/<family>/<family>-errors.ts),
 * and the classification of what no driver owns: Node's own dns, net and tls errors.
 */
export interface Classification {
  classId: DiagnosticClass;
  alternatives?: DiagnosticClass[];
}

export interface ErrorContext {
  /**
   * The server product as far as it is known: the profile's engine kind, then what answered (a MySQL
   * profile may reach MariaDB). Some error numbers mean different things per product.
   */
  product?: string;
  /** Whether the connection that failed used TLS (a MySQL 1045 without TLS may really be "TLS required"). */
  tlsInUse?: boolean;
}

/** How one dialect reads its driver's errors (a member of the Dialect). */
export interface DialectErrors {
  /** The `source` names of the errors it reads: its driver's npm name, and our own probes' names for its protocol. */
  readonly sources: readonly string[];
  /** The class of one of its errors, or null when the error alone cannot tell (the probes decide then). */
  classify(err: DriverErrorEvidence, ctx: ErrorContext): Classification | null;
  /** Its driver's errors that cannot tell a firewall, a silent port and a wrong service apart. */
  isAmbiguousTransport(err: DriverErrorEvidence): boolean;
  /** Where the server's listening address and port are set (the tcp-refused remedy); null for files. */
  readonly listenSettings: string | null;
}

export function classification(classId: DiagnosticClass, alternatives?: DiagnosticClass[]): Classification {
  return alternatives ? { classId, alternatives } : { classId };
}

const c = classification;

/** Node's own errors (dns, net, tls), from any driver or from our probes. */
export function classifySystemError(err: DriverErrorEvidence): Classification | null {
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
    case 'ENODATA':
      return c('dns-not-found');
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'ESERVFAIL':
    case 'ECONNREFUSED_DNS':
      return c('dns-temporary');
    case 'ECONNREFUSED':
      return c('tcp-refused');
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return c('tls-expired');
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
    case 'CERT_SIGNATURE_FAILURE':
      return c('tls-untrusted');
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return c('tls-hostname-mismatch');
  }
  return null;
}

/** Node's TLS verification messages, for drivers that keep only the message. */
export function classifyTlsMessage(message: string): Classification | null {
  if (/certificate has expired|certificate is not yet valid/i.test(message)) return c('tls-expired');
  if (/self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate not trusted/i.test(message)) return c('tls-untrusted');
  if (/Hostname\/IP does not match|is not in the cert's (altnames|list)|ERR_TLS_CERT_ALTNAME_INVALID/i.test(message)) return c('tls-hostname-mismatch');
  return null;
}

/** System errors that cannot tell a firewall, a silent port and a wrong service apart, from any source. */
export function isAmbiguousSystemError(err: DriverErrorEvidence): boolean {
  return err.code === 'ETIMEDOUT' || err.code === 'ECONNRESET' || err.code === 'EPIPE';
}
