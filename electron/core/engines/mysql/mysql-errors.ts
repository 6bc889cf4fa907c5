import type { DriverErrorEvidence } from '../../../../shared/model/diagnostics';
import { classification as c, classifyTlsMessage, type Classification, type DialectErrors, type ErrorContext } from '../../../../features/diagnostics/core/classification';

/** MySQL/MariaDB server errors by errno; some numbers mean different things per flavour. */
function classifyMysqlError(err: DriverErrorEvidence, ctx: ErrorContext): Classification | null {
  const errno = typeof err.errno === 'number' ? err.errno : Number(err.errno);
  const flavour = ctx.product === 'mysql' ? 'mysql' : 'mariadb';
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

export const mysqlErrors: DialectErrors = {
  // mysql-protocol: our own reading of a MySQL ERR packet sent before the greeting (fingerprint step).
  sources: ['mysql2', 'mysql-protocol'],
  classify: classifyMysqlError,
  // mysql2 makes up `connect ETIMEDOUT` when its own timer fires, and loses the connection without a word.
  isAmbiguousTransport: (err) => err.source === 'mysql2' && (err.code === 'ETIMEDOUT' || err.code === 'PROTOCOL_CONNECTION_LOST' || err.code === 'ECONNRESET'),
  listenSettings: '`bind-address`, `port` and `skip-networking` in the server’s my.cnf',
};
