import type { CompletionColumn, ServerProcess } from '../../../../shared/model/query';
import type { QueryCapable, QuerySession, QuerySessionOptions } from '../query-session';
import { PostgresQuerySession } from './postgres-query-session';
import { PostgresResultTypes } from './postgres-result-types';
import type { CappedPool } from './postgres-pool';

/** The SQL editor's side of a PostgreSQL engine: query sessions, completion columns, the process list. */
export class PostgresQueryTools implements QueryCapable {
  private readonly types: PostgresResultTypes;

  constructor(private readonly pool: CappedPool) {
    this.types = new PostgresResultTypes(pool);
  }

  openQuerySession(options: QuerySessionOptions): Promise<QuerySession> {
    // The pool's own settings (TLS, the read-only session option, timeouts) on a connection of its own.
    return PostgresQuerySession.open(this.pool.options, this.pool, this.types, options.readOnly);
  }

  async listColumns(schema: string): Promise<CompletionColumn[]> {
    const { rows } = await this.pool.query<CompletionColumn>(
      `SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "dataType"
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum
        LIMIT 100000`,
      [schema],
    );
    return rows;
  }

  async processList(own: ReadonlySet<string>): Promise<ServerProcess[]> {
    const { rows } = await this.pool.query<{
      pid: string;
      usename: string | null;
      datname: string | null;
      client: string | null;
      application_name: string | null;
      state: string | null;
      query: string | null;
      duration_ms: number | null;
      waiting: string | null;
      mine: boolean;
    }>(
      `SELECT pid::text AS pid, usename, datname,
              CASE WHEN client_addr IS NULL THEN 'local' ELSE host(client_addr) || ':' || client_port END AS client,
              application_name, state, query,
              CASE WHEN state IS DISTINCT FROM 'idle' AND query_start IS NOT NULL
                   THEN (extract(epoch FROM clock_timestamp() - query_start) * 1000)::float8 END AS duration_ms,
              CASE WHEN wait_event IS NOT NULL THEN wait_event_type || ': ' || wait_event END AS waiting,
              pid = pg_backend_pid() AS mine
         FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
        ORDER BY (state = 'active') DESC, query_start NULLS LAST`,
    );
    return rows.map((r) => ({
      id: r.pid,
      user: r.usename,
      database: r.datname,
      client: r.client,
      application: r.application_name || null,
      state: r.state,
      query: r.query || null,
      durationMs: r.duration_ms === null ? null : Math.round(r.duration_ms),
      waiting: r.waiting,
      own: r.mine || own.has(r.pid),
    }));
  }

  async killProcess(id: string, mode: 'cancel' | 'terminate'): Promise<boolean> {
    const fn = mode === 'cancel' ? 'pg_cancel_backend' : 'pg_terminate_backend';
    const { rows } = await this.pool.query<{ ok: boolean }>(`SELECT ${fn}($1::int) AS ok`, [id]);
    return rows[0]?.ok === true;
  }
}
