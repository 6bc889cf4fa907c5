import pg from 'pg';
import type { SslMode } from '../../../../shared/model/connection';
import { readTlsMaterial, type EngineConfig } from '../config';
import type { DiagnosticSession, HealthFacts, NetworkEngineDiagnostics, PrivilegeFacts, SessionFacts, TableReadFacts } from '../../../../features/diagnostics/core/engine-diagnostics';
import { packageVersion } from '../common/package-version';
import { tlsOptionsFor } from '../common/tls-options';
import { postgresClientOptions, POSTGRES_NO_TLS_MESSAGE } from './postgres-client-options';
import { quotePgIdent } from './postgres-types';
import { destroySocket } from './pg-internals';

/** Relations a user could browse: everything but the system schemas. */
const USER_RELATIONS = `FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

export const postgresDiagnostics: NetworkEngineDiagnostics = {
  kind: 'network',
  driver: { name: 'pg', version: packageVersion('pg') },

  // pg (like libpq) takes a host that starts with '/' as the directory of the server's Unix socket.
  socketPath: (host: string, port: number) => (host.startsWith('/') ? `${host.replace(/\/+$/, '')}/.s.PGSQL.${port}` : undefined),

  async connect(config: EngineConfig, host: string, port: number, options: { timeoutMs: number; tlsMode: SslMode; signal: AbortSignal }): Promise<DiagnosticSession> {
    const material = await readTlsMaterial(config.tls);
    const attempt = async (ssl: pg.ClientConfig['ssl']) => {
      const client = new pg.Client(postgresClientOptions(config, host, port, ssl, options.timeoutMs));
      const onAbort = () => destroyClient(client);
      options.signal.addEventListener('abort', onAbort, { once: true });
      // A late socket error after a timeout must not become an unhandled 'error' event.
      client.on('error', () => undefined);
      try {
        await client.connect();
        return client;
      } catch (err) {
        destroyClient(client);
        throw err;
      } finally {
        options.signal.removeEventListener('abort', onAbort);
      }
    };
    const ssl = tlsOptionsFor(options.tlsMode, material) ?? false;
    try {
      return new PostgresDiagnosticSession(await attempt(ssl), ssl !== false, options.signal);
    } catch (err) {
      // sslmode=prefer: plain text only when the server says it has no TLS (as the engine does).
      if (options.tlsMode === 'prefer' && (err as Error).message === POSTGRES_NO_TLS_MESSAGE) {
        return new PostgresDiagnosticSession(await attempt(false), false, options.signal);
      }
      throw err;
    }
  },
};

function destroyClient(client: pg.Client): void {
  destroySocket(client);
}

class PostgresDiagnosticSession implements DiagnosticSession {
  constructor(
    private readonly client: pg.Client,
    readonly tlsInUse: boolean,
    signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.destroy(), { once: true });
  }

  async identify(): Promise<SessionFacts> {
    const { rows } = await this.client.query<{ usr: string; db: string; version: string; version_text: string; objects: string }>(
      `SELECT current_user AS usr, current_database() AS db, current_setting('server_version') AS version, version() AS version_text,
              (SELECT count(*) FROM pg_catalog.pg_class) AS objects`,
    );
    const r = rows[0]!;
    return { currentUser: r.usr, database: r.db, product: 'postgresql', serverVersion: r.version, versionText: r.version_text, catalogObjects: Number(r.objects) };
  }

  async privileges(): Promise<PrivilegeFacts> {
    const { rows } = await this.client.query<{ total: string; readable: string; writable: string; can_create: boolean; scope: string | null; grants: string[] }>(
      `SELECT count(*) AS total,
              count(*) FILTER (WHERE has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')) AS readable,
              count(*) FILTER (WHERE has_schema_privilege(n.oid, 'USAGE')
                               AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE'))) AS writable,
              coalesce(has_schema_privilege(current_schema(), 'CREATE'), false) AS can_create,
              current_schema() AS scope,
              ARRAY[
                'CONNECT on database ' || current_database() || ': ' || has_database_privilege(current_database(), 'CONNECT'),
                'CREATE on database ' || current_database() || ': ' || has_database_privilege(current_database(), 'CREATE'),
                'TEMPORARY on database ' || current_database() || ': ' || has_database_privilege(current_database(), 'TEMPORARY')
              ] AS grants
       ${USER_RELATIONS}`,
    );
    const r = rows[0]!;
    return {
      scope: r.scope ?? '(no schema on the search_path)',
      tablesTotal: Number(r.total),
      tablesReadable: Number(r.readable),
      tablesWritable: Number(r.writable),
      readScope: Number(r.total) === Number(r.readable),
      writeScope: Number(r.total) > 0 && Number(r.total) === Number(r.writable),
      canCreate: r.can_create,
      grants: r.grants,
    };
  }

  async health(): Promise<HealthFacts> {
    const { rows } = await this.client.query<{ version: string; recovery: boolean; default_ro: string; used: string; max: string }>(
      `SELECT current_setting('server_version') AS version, pg_is_in_recovery() AS recovery,
              current_setting('default_transaction_read_only') AS default_ro,
              (SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend') AS used,
              current_setting('max_connections') AS max`,
    );
    const r = rows[0]!;
    return {
      serverVersion: r.version,
      connectionsUsed: Number(r.used),
      connectionsMax: Number(r.max),
      readOnly: r.recovery || r.default_ro === 'on',
      inRecovery: r.recovery,
      galera: null,
    };
  }

  async readTable(): Promise<TableReadFacts> {
    const { rows } = await this.client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name ${USER_RELATIONS.replace("c.relkind IN ('r', 'p', 'v', 'm', 'f')", "c.relkind IN ('r', 'p')")}
         AND has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')
       ORDER BY (n.nspname = current_schema()) DESC, c.relpages, n.nspname, c.relname
       LIMIT 1`,
    );
    const t = rows[0];
    if (!t) return { table: null, rows: 0, columns: 0 };
    const result = await this.client.query(`SELECT * FROM ${quotePgIdent(t.schema)}.${quotePgIdent(t.name)} LIMIT 1`);
    return { table: `${t.schema}.${t.name}`, rows: result.rowCount ?? result.rows.length, columns: result.fields.length };
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  destroy(): void {
    destroyClient(this.client);
  }
}
