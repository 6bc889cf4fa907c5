import type { DriverErrorEvidence } from '../../../../shared/model/diagnostics';
import { classification as c, type Classification, type DialectErrors } from '../../../../features/diagnostics/core/classification';

/** PostgreSQL errors by SQLSTATE (pg's DatabaseError), messages only where pg gives no code. */
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

/** pg's own words when its timer fired or the socket ended before the server said anything useful. */
const AMBIGUOUS = /^timeout expired$|Connection terminated due to connection timeout|Connection terminated unexpectedly|There was an error establishing an SSL connection|Received unexpected|received invalid response/i;

export const postgresErrors: DialectErrors = {
  sources: ['pg'],
  classify: (err) => classifyPostgresError(err),
  isAmbiguousTransport: (err) => AMBIGUOUS.test(err.message),
  listenSettings: '`listen_addresses` and `port` in postgresql.conf',
};
