import net from 'node:net';
import type mysql from 'mysql2';
import { readTlsMaterial, type EngineConfig } from '../config';
import { tlsOptionsFor } from '../common/tls-options';
import { mysqlTypeCast } from './mysql-types';

type TlsOptions = ReturnType<typeof tlsOptionsFor>;

/**
 * The mysql2 options every MySQL/MariaDB connection of the app uses — the engine's pool, a Galera
 * node's health check and the diagnostics' single connection alike — so a probe talks to a server
 * exactly the way the pool will (same TLS, same charset).
 */
export function mysqlConnectionOptions(
  config: EngineConfig,
  host: string,
  port: number,
  tls: TlsOptions,
  connectTimeoutMs = config.connectTimeoutMs,
): mysql.ConnectionOptions {
  const options: mysql.ConnectionOptions = {
    host,
    port,
    user: config.user,
    database: config.database || undefined,
    connectTimeout: connectTimeoutMs,
    // The guide's rule for Galera and good sense everywhere: 4-byte characters round-trip.
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    // JSON exactly as stored (MariaDB marks JSON only in extended metadata; mysql2 would parse it into objects).
    jsonStrings: true,
    multipleStatements: false,
    typeCast: mysqlTypeCast as mysql.ConnectionOptions['typeCast'],
    enableKeepAlive: true,
  };
  if (config.password !== undefined) options.password = config.password;
  if (tls) {
    const verifyIdentity = config.tls.mode === 'verify-full';
    options.ssl = {
      ...(tls.ca ? { ca: tls.ca as Buffer } : {}),
      ...(tls.cert ? { cert: tls.cert as Buffer } : {}),
      ...(tls.key ? { key: tls.key as Buffer } : {}),
      rejectUnauthorized: tls.rejectUnauthorized !== false,
      // verify-full compares the host name; verify-ca and require do not.
      verifyIdentity,
    };
    if (verifyIdentity && net.isIP(host) !== 0) options.stream = ipHostStream(host, port);
  }
  // Through SSH: each connection is a channel of the profile's tunnel to host:port as the bastion sees
  // them; TLS still checks the certificate against `host` (an IP host is set as the socket's _host, as above).
  const tunnel = config.tunnel;
  if (tunnel) {
    options.stream = () => {
      const stream = tunnel.stream(host, port) as unknown as net.Socket & { _host?: string };
      if (net.isIP(host) !== 0) stream._host = host;
      return stream;
    };
  }
  return options;
}

/**
 * mysql2 leaves `servername` unset for an IP host (right: SNI must not carry an IP), and then Node's
 * identity check compares the certificate with "localhost" instead of the IP. Node falls back to the
 * socket's `_host` before "localhost", but only sets it for names it resolved itself; this socket
 * factory sets it for the IP, so verify-full checks the certificate's IP SANs as libpq does.
 * (The TLS integration tests fail if a Node release stops honouring it.)
 */
function ipHostStream(host: string, port: number): () => net.Socket {
  return () => {
    const socket = net.connect({ host, port });
    (socket as net.Socket & { _host?: string })._host = host;
    socket.setNoDelay(true);
    socket.once('connect', () => socket.setKeepAlive(true));
    return socket;
  };
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
