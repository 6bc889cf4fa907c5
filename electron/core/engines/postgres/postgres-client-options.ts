import type { Socket } from 'node:net';
import type pg from 'pg';
import type { EngineConfig } from '../config';
import { pgTypeParsers } from './postgres-types';

/**
 * The pg options every PostgreSQL connection of the app uses — the engine's pool and the diagnostics'
 * single client alike, so a diagnosis tests exactly what the app does.
 */
export function postgresClientOptions(config: EngineConfig, host: string, port: number, ssl: pg.ClientConfig['ssl'], connectTimeoutMs: number): pg.ClientConfig {
  const options: pg.ClientConfig = {
    host,
    port,
    user: config.user,
    database: config.database,
    ssl,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    application_name: 'DB Desk',
    types: pgTypeParsers,
    // Read-only is the server's rule on every session, not a guess from SQL text.
    // Synchronized scans would start a big table's scan mid-table when another scan runs:
    // windows of a table without a primary key follow the physical order and need it stable.
    options: `-c synchronize_seqscans=off${config.readOnly ? ' -c default_transaction_read_only=on' : ''}${searchPathOption(config.searchPath)}`,
  };
  if (config.password !== undefined) options.password = config.password;
  // Through SSH: each connection (and each cancel request) is a channel of the profile's tunnel; TLS
  // still checks the certificate against `host`, the database's name, which pg passes to tls.connect.
  const tunnel = config.tunnel;
  if (tunnel) options.stream = () => tunnel.socket() as unknown as Socket;
  return options;
}

/** A shadow's schema as every session's search_path; only generated names (letters, digits, `_`) are accepted. */
function searchPathOption(schema: string | undefined): string {
  if (schema === undefined) return '';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`Not a shadow schema name: ${JSON.stringify(schema)}`);
  return ` -c search_path=${schema}`;
}

/** What pg says when sslmode=prefer meets a server without TLS: the one case that falls back to plain text. */
export const POSTGRES_NO_TLS_MESSAGE = 'The server does not support SSL connections';
