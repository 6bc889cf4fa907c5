import pg from 'pg';
import type { EngineConfig } from '../config';
import { postgresClientOptions } from './postgres-client-options';
import { connectFirst } from './postgres-connect';
import { PostgresMigrationAdapter } from './postgres-migrations';

/**
 * What `dbdesk migrate` needs of a PostgreSQL profile: the migration adapter, which opens its own
 * connection per run. No pool: one client proves the host and TLS choice, and is closed at once.
 */
export async function openPostgresMigrations(config: EngineConfig): Promise<PostgresMigrationAdapter> {
  return connectFirst(config, async (host, port, ssl) => {
    const options = postgresClientOptions(config, host, port, ssl, config.connectTimeoutMs);
    const client = new pg.Client(options);
    await client.connect();
    await client.end();
    return new PostgresMigrationAdapter(options);
  });
}
