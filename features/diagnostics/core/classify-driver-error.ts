import type { DiagnosticClass, DriverErrorEvidence } from '../../../shared/model/diagnostics';

export interface Classification {
  classId: DiagnosticClass;
  alternatives?: DiagnosticClass[];
}

export interface ErrorContext {
  /** MySQL-family servers differ in errno meanings: MariaDB 4151 is "account locked", MySQL's is not. */
  flavour?: 'mysql' | 'mariadb';
  /** Whether the connection that failed used TLS (a MySQL 1045 without TLS may really be "TLS required"). */
  tlsInUse?: boolean;
}

/**
 * Names the class of one driver or system error, or returns null when the error alone cannot tell
 * (pg's `timeout expired`, mysql2's synthetic `connect ETIMEDOUT`, "connection terminated"): the
 * protocol probes decide those. PostgreSQL errors are keyed on SQLSTATE, MySQL/MariaDB errors on
 * errno plus the server's flavour (mysql2's `code` names are MySQL's and mislabel MariaDB errors),
 * SQLite errors on the extended result code; messages only where a driver gives no code.
 */
export function classifyDriverError(err: DriverErrorEvidence, ctx: ErrorContext = {}): Classification | null {
  const bySource = err.source ? driverClassifiers[err.source] : undefined;
  return bySource?.(err, ctx) ?? classifySystemError(err);
}

type DriverClassifier = (err: DriverErrorEvidence, ctx: ErrorContext) => Classification | null;

const driverClassifiers: Record<string, DriverClassifier> = {
  pg: classifyPostgresError,
  mysql2: classifyMysqlError,
  // Our own reading of a MySQL ERR packet sent before the greeting (fingerprint step).
  'mysql-protocol': classifyMysqlError,
  'better-sqlite3': classifySqliteError,
};

function c(classId: DiagnosticClass, alternatives?: DiagnosticClass[]): Classification {
  return alternatives ? { classId, alternatives } : { classId };
}

function classifyPostgresError(err: DriverErrorEvidence): Classification | null {
  const state = err.sqlState ?? (err.code && /^[0-9A-Z]{5}$/.test(err.code) && err.severity ? err.code : undefined);
  const m = err.message;
  if (state) {
    if (state === '28P01') return c('auth-failed');
    if (state === '28000') {
      if (/no pg_hba\.conf entry|pg_hba\.conf rejects/.test(m)) return c('no-hba-entry');
      if (/is not permitted to log in/.test(m)) return c('account-locked');
      return c('auth-failed');
    }
    if (state.startsWith('28')) return c('auth-failed');
    if (state === '3D000') return c('unknown-database');
    if (state === '42501') return c('insufficient-privilege');
    if (state === '53300') return c('too-many-connections');
    if (state === '55000' && /not currently accepting connections/.test(m)) return c('server-unavailable');
    if (state === '57P03' || state === '57P01' || state === '57P02') return c('server-unavailable');
    if (state === '25006') return c('insufficient-privilege');
    return null;
  }
  if (/^SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be (a string|a non-empty string)/.test(m)) return c('auth-failed');
  if (/^SASL: Only mechanism\(s\)|^SASL: Mechanism .* requires a certificate|^SASL: .*not supported|Unknown authenticationOk message type/i.test(m)) return c('auth-plugin-unsupported');
  if (m === 'The server does not support SSL connections') return c('tls-unsupported');
  return null;
}

/** MySQL/MariaDB server errors by errno; some numbers mean different things per flavour. */
function classifyMysqlError(err: DriverErrorEvidence, ctx: ErrorContext): Classification | null {
  const errno = typeof err.errno === 'number' ? err.errno : Number(err.errno);
  const flavour = ctx.flavour ?? 'mariadb';
  if (Number.isFinite(errno) && errno > 0) {
    switch (errno) {
      case 1045:
        return ctx.tlsInUse ? c('auth-failed') : c('auth-failed', ['tls-required']);
      case 1044:
        return c('insufficient-privilege', ['unknown-database']);
      case 1049:
        return c('unknown-database');
      case 1129:
      case 1130:
        return c('host-not-allowed');
      case 1040:
      case 1203:
      case 1226:
        return c('too-many-connections');
      case 1053:
      case 1927:
        return c('server-unavailable');
      case 3159:
        return c('tls-required');
      case 1820:
      case 1862:
        return c('password-expired');
      case 1251:
      case 1524:
        return c('auth-plugin-unsupported');
      case 1142:
      case 1143:
      case 1227:
      case 1370:
        return c('insufficient-privilege');
    }
    if (errno === 4151 && flavour === 'mariadb') return c('account-locked');
    if (errno === 3118 && flavour === 'mysql') return c('account-locked');
    // Galera (MariaDB and Percona XtraDB Cluster alike): 1047/08S01 "WSREP has not yet prepared node for application use".
    if (errno === 1047 && (err.sqlState === '08S01' || /WSREP/i.test(err.message))) return c('galera-not-ready', ['galera-non-primary']);
  }
  switch (err.code) {
    case 'AUTH_SWITCH_PLUGIN_ERROR':
    case 'MYSQL_CLEAR_PASSWORD_NOT_ENABLED':
      return c('auth-plugin-unsupported');
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return c('tls-unsupported');
    case 'HANDSHAKE_SSL_ERROR':
      // mysql2 overwrites Node's TLS code; only the message still says why.
      return classifyTlsMessage(err.message);
  }
  if (/unknown plugin|authentication plugin .* (is )?not supported|Server requests authentication using unknown plugin/i.test(err.message)) return c('auth-plugin-unsupported');
  return null;
}

function classifySqliteError(err: DriverErrorEvidence): Classification | null {
  const code = err.code ?? '';
  if (code.startsWith('SQLITE_NOTADB')) return c('sqlite-not-a-database');
  if (code.startsWith('SQLITE_CORRUPT')) return c('sqlite-corrupt');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return c('sqlite-locked');
  if (code.startsWith('SQLITE_READONLY')) return c('sqlite-read-only');
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return c('sqlite-permission-denied');
  if (code === 'ENOENT') return c('sqlite-not-found');
  if (code === 'EACCES' || code === 'EPERM') return c('sqlite-permission-denied');
  return null;
}

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

/** The errors a driver gives when it cannot tell a firewall, a silent port and a wrong service apart. */
export function isAmbiguousTransportError(err: DriverErrorEvidence): boolean {
  return (
    /^timeout expired$|Connection terminated due to connection timeout|Connection terminated unexpectedly|There was an error establishing an SSL connection|Received unexpected|received invalid response/i.test(err.message) ||
    (err.source === 'mysql2' && (err.code === 'ETIMEDOUT' || err.code === 'PROTOCOL_CONNECTION_LOST' || err.code === 'ECONNRESET')) ||
    err.code === 'ETIMEDOUT' ||
    err.code === 'ECONNRESET' ||
    err.code === 'EPIPE'
  );
}
