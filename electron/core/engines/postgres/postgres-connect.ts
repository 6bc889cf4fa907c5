import type pg from 'pg';
import { CoreError } from '../../errors';
import { tlsOptionsFor } from '../common/tls-options';
import { readTlsMaterial, type EngineConfig } from '../config';
import { endpointsOf } from '../endpoints';
import { POSTGRES_NO_TLS_MESSAGE } from './postgres-client-options';

/**
 * libpq's way to a server: each host of the profile in order, the first that accepts wins; under
 * sslmode=prefer TLS first, and plain text only when the server says it has no TLS (pg itself has
 * no such fallback). `attempt` connects (and proves the connection) with the TLS options given.
 */
export async function connectFirst<T>(config: EngineConfig, attempt: (host: string, port: number, ssl: pg.ClientConfig['ssl']) => Promise<T>): Promise<T> {
  const endpoints = endpointsOf(config);
  if (endpoints.length === 0) throw new CoreError('invalid-input', 'The connection has no host.');
  let firstError: unknown;
  for (const { host, port } of endpoints) {
    try {
      const ssl = tlsOptionsFor(config.tls.mode, await readTlsMaterial(config.tls));
      try {
        return await attempt(host, port, ssl ?? false);
      } catch (err) {
        if (config.tls.mode === 'prefer' && (err as Error).message === POSTGRES_NO_TLS_MESSAGE) return await attempt(host, port, false);
        throw err;
      }
    } catch (err) {
      firstError ??= err;
    }
  }
  throw firstError;
}
