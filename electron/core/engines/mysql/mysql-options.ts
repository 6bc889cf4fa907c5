import type mysql from 'mysql2';
import { readTlsMaterial, type EngineConfig } from '../config';
import { tlsOptionsFor } from '../tls-options';
import { mysqlTypeCast } from './mysql-types';

type TlsOptions = ReturnType<typeof tlsOptionsFor>;

/**
 * mysql2 options for one server of a profile — the pool's and every single health-check
 * connection's, so a probe talks to a node exactly the way the pool will (same TLS, same charset).
 */
export function mysqlConnectionOptions(config: EngineConfig, host: string, port: number, tls: TlsOptions): mysql.ConnectionOptions {
  const options: mysql.ConnectionOptions = {
    host,
    port,
    user: config.user,
    database: config.database || undefined,
    connectTimeout: config.connectTimeoutMs,
    // The guide's rule for Galera and good sense everywhere: 4-byte characters round-trip.
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    multipleStatements: false,
    typeCast: mysqlTypeCast as mysql.ConnectionOptions['typeCast'],
    enableKeepAlive: true,
  };
  if (config.password !== undefined) options.password = config.password;
  if (tls) {
    options.ssl = {
      ...(tls.ca ? { ca: tls.ca as Buffer } : {}),
      ...(tls.cert ? { cert: tls.cert as Buffer } : {}),
      ...(tls.key ? { key: tls.key as Buffer } : {}),
      rejectUnauthorized: tls.rejectUnauthorized !== false,
      // verify-full compares the host name; verify-ca and require do not.
      verifyIdentity: config.tls.mode === 'verify-full',
    };
  }
  return options;
}

/**
 * Runs `open` with the profile's TLS settings. mysql2 has no "prefer": with sslmode=prefer it is
 * retried in plain text, but only when the server has no TLS at all.
 */
export async function withProfileTls<T>(config: EngineConfig, open: (tls: TlsOptions) => Promise<T>): Promise<T> {
  const tls = tlsOptionsFor(config.tls.mode, await readTlsMaterial(config.tls));
  try {
    return await open(tls);
  } catch (err) {
    if (config.tls.mode === 'prefer' && (err as { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT') return open(undefined);
    throw err;
  }
}

export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
