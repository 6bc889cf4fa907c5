import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import type { TableDetail, TableRef } from '../../../../shared/model/schema';
import type { ReferencingKey } from '../../../../shared/model/table-query';
import type { ValueKind } from '../../../../shared/model/values';
import { CoreError } from '../../errors';
import { boundValueOf, bytesParam } from '../table-data/params';
import type { KeyPart, RowKeys, Sql, TableDataDriver, TransactionRunner } from '../table-data/table-data-driver';
import type { PostgresIntrospector } from './postgres-introspector';
import { postgresValueKind, quotePgIdent } from './postgres-types';
import { checkoutClient } from './postgres-checkout';
import { onCancellableClient } from './postgres-cancellable';
import { copyRowCounter } from './pg-internals';
import { csvRecordEndCounter } from '../../../../features/table-browser/core/export/csv-record-ends';

const QUERY_CANCELED = '57014';

type ArrayQuery = pg.QueryConfig & { rowMode: 'array'; queryMode: 'extended' };

/** Always the extended protocol: one statement per call, so nothing can be chained after a raw WHERE. */
function arrayQuery(q: CompiledQuery): ArrayQuery {
  return { text: q.sql, values: q.parameters as unknown[], rowMode: 'array', queryMode: 'extended' };
}

/**
 * The table browser on node-postgres. Queries holding the user's raw WHERE run in a
 * `BEGIN READ ONLY` transaction with a `statement_timeout`; exports read a portal
 * (pg-cursor) in batches or the server's COPY, and are stopped as windows are (postgres-cancellable.ts).
 */
export class PostgresTableData implements TableDataDriver {
  readonly beginStatement = 'BEGIN';
  readonly commitStatement = 'COMMIT';
  readonly deferredJoin = true;
  readonly lockCheckedRows = true;

  connectionLost(err: unknown): boolean {
    const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
    // pg has no code for a backend that went away mid-query; its message says so. 57P01: terminated by an admin.
    return ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03'].includes(String(e.code)) || /Connection terminated|connection is not open|Client has encountered a connection error/i.test(String(e.message ?? ''));
  }

  readonly containsOperator = 'ILIKE' as const;

  constructor(
    private readonly pool: pg.Pool,
    /** How the pool connects: a cancel request goes to the same server (through the same SSH tunnel). */
    private readonly clientConfig: pg.ClientConfig,
    private readonly introspector: PostgresIntrospector,
    private readonly kyselyOf: () => Kysely<unknown>,
  ) {}

  get kysely(): Kysely<unknown> {
    return this.kyselyOf();
  }

  describe(table: TableRef): Promise<TableDetail> {
    return this.introspector.describeTable(table);
  }


  rowKeys(detail: TableDetail): RowKeys {
    const id = detail.rowIdentity;
    if (id.kind === 'primary-key') {
      const parts: KeyPart[] = id.columns.map((name) => {
        const c = detail.columns.find((x) => x.name === name)!;
        return { id: `col:${name}`, column: name, expr: sql.id(name), qualified: (a) => sql.id(a, name), kind: postgresValueKind(c.dataType), notNull: true };
      });
      return { identity: 'primary-key', identityParts: parts, order: { parts, unique: true } };
    }
    if (id.kind === 'ctid') {
      // The physical address identifies a row for edits; windows follow the physical order (no ORDER BY, no sort of the table).
      const ctid: KeyPart = { id: 'ctid', column: null, expr: sql.raw('ctid'), qualified: (a) => sql`${sql.id(a)}.ctid`, kind: 'other', notNull: true };
      return { identity: 'ctid', identityParts: [ctid], order: { parts: [], unique: false } };
    }
    return { identity: 'none', identityParts: [], order: { parts: [], unique: false } };
  }

  textOf(column: Sql): Sql {
    return sql`CAST(${column} AS text)`;
  }

  readonly boundValue = boundValueOf;

  toParam(value: unknown, _kind: ValueKind): unknown {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    const bytes = bytesParam(value);
    if (bytes) return bytes;
    throw new CoreError('invalid-input', 'This value cannot be sent to PostgreSQL.');
  }

  /** One pooled client for fn; with a signal, one the signal cancels on the server (postgres-cancellable.ts). */
  private async onClient<T>(signal: AbortSignal | undefined, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (signal) return onCancellableClient(this.pool, this.clientConfig, signal, fn);
    const client = await checkoutClient(this.pool);
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  /** Runs fn on one pooled client inside BEGIN READ ONLY with a statement timeout. */
  private async readOnly<T>(timeoutMs: number, signal: AbortSignal | undefined, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.onClient(signal, async (client) => {
      try {
        await client.query('BEGIN READ ONLY');
        await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async select(query: CompiledQuery, options: { userSql: boolean; timeoutMs: number; signal?: AbortSignal }): Promise<unknown[][]> {
    if (!options.userSql) {
      if (!options.signal) return (await this.pool.query<unknown[]>(arrayQuery(query))).rows;
      return this.onClient(options.signal, async (c) => (await c.query<unknown[]>(arrayQuery(query))).rows);
    }
    return this.readOnly(options.timeoutMs, options.signal, async (c) => (await c.query<unknown[]>(arrayQuery(query))).rows);
  }

  async countWithin(query: CompiledQuery, options: { timeoutMs: number; signal?: AbortSignal }): Promise<number | null> {
    try {
      return await this.readOnly(options.timeoutMs, options.signal, async (c) => Number((await c.query<unknown[]>(arrayQuery(query))).rows[0]![0]));
    } catch (err) {
      // The time limit ran out (57014 too, but nobody aborted): the caller shows the estimate instead.
      if ((err as { code?: string }).code === QUERY_CANCELED && !options.signal?.aborted) return null;
      throw err;
    }
  }

  async estimateRows(query: CompiledQuery, options: { signal?: AbortSignal } = {}): Promise<number | null> {
    return this.readOnly(5000, options.signal, async (c) => {
      const { rows } = await c.query<unknown[]>({ ...arrayQuery(query), text: `EXPLAIN (FORMAT JSON) ${query.sql}` });
      const plan = JSON.parse(String(rows[0]![0])) as { Plan: { 'Plan Rows': number } }[];
      return plan[0]?.Plan['Plan Rows'] ?? null;
    });
  }

  async transaction<T>(fn: (run: TransactionRunner) => Promise<T>): Promise<T> {
    const client = await checkoutClient(this.pool);
    try {
      await client.query('BEGIN');
      const run: TransactionRunner = async (q) => {
        const r = await client.query<unknown[]>(arrayQuery(q));
        return { rows: r.rows, affected: r.rowCount ?? 0 };
      };
      const result = await fn(run);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * An export's statement, on a client the abort stops as it stops a window's (postgres-cancellable.ts),
   * in BEGIN READ ONLY for a raw WHERE. Aborted, it ends without an error once the statement has
   * stopped, and the client goes back to the pool between statements; it is dropped instead when the
   * statement could not be stopped, or `fn` failed (a write, the server: it may have stopped mid-protocol).
   */
  private async exporting(signal: AbortSignal, userSql: boolean, fn: (client: pg.PoolClient, drop: () => void) => Promise<void>): Promise<void> {
    try {
      await onCancellableClient(
        this.pool,
        this.clientConfig,
        signal,
        async (client, drop) => {
          if (userSql) await client.query('BEGIN READ ONLY');
          try {
            await fn(client, drop);
          } catch (err) {
            drop();
            throw err;
          }
          if (userSql) await client.query(signal.aborted ? 'ROLLBACK' : 'COMMIT').catch(drop);
        },
        { dropWhenUnstoppable: true },
      );
    } catch (err) {
      // Aborted before the statement was sent: nothing ran.
      if (signal.aborted && err === signal.reason) return;
      throw err;
    }
  }

  async stream(
    query: CompiledQuery,
    options: { userSql: boolean; batchSize: number; signal: AbortSignal },
    onRows: (rows: unknown[][]) => Promise<void> | void,
  ): Promise<void> {
    const { signal } = options;
    await this.exporting(signal, options.userSql, async (client, drop) => {
      const cursor = client.query(new Cursor<unknown[]>(query.sql, query.parameters as unknown[], { rowMode: 'array' }));
      try {
        while (!signal.aborted) {
          const rows = await cursor.read(options.batchSize);
          if (rows.length === 0) break;
          await onRows(rows);
        }
      } catch (err) {
        if (signal.aborted && (err as { code?: string }).code === QUERY_CANCELED) {
          // The cancel ended the portal (pg-cursor has synced): nothing to close. pg-cursor would send a
          // Close of its own anyway, whose CloseComplete the connection's next COPY takes for its end.
          return;
        }
        throw err;
      }
      // Closes the portal: the connection is between statements again.
      await cursor.close().catch(drop);
    });
  }

  async copyCsv(
    query: CompiledQuery,
    options: { header: boolean; delimiter: string; userSql: boolean; signal: AbortSignal },
    write: (chunk: Buffer) => Promise<void>,
  ): Promise<number> {
    const { signal } = options;
    const delimiter = options.delimiter === '\t' ? "E'\\t'" : this.literal(options.delimiter, 'text');
    const text = `COPY (${query.sql}) TO STDOUT WITH (FORMAT csv, HEADER ${options.header ? 'true' : 'false'}, DELIMITER ${delimiter})`;
    let rows = 0;
    await this.exporting(signal, options.userSql, async (client) => {
      const stream = client.query(copyTo(text));
      const counter = copyRowCounter(stream, options.header, csvRecordEndCounter());
      try {
        for await (const chunk of stream) {
          // Aborted: what is still on its way is read and dropped until the cancel ends the COPY, which
          // leaves the connection between statements (leaving the stream would leave it mid-protocol).
          if (signal.aborted) continue;
          counter.observe(chunk as Buffer);
          await write(chunk as Buffer);
        }
      } catch (err) {
        if (!(signal.aborted && (err as { code?: string }).code === QUERY_CANCELED)) throw err;
      }
      rows = counter.rows();
    });
    return rows;
  }

  literal(value: unknown, _kind: ValueKind): string {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number' || typeof value === 'bigint') return Number.isFinite(Number(value)) ? String(value) : `'${String(value)}'`;
    if (value instanceof Uint8Array) return `'\\x${Buffer.from(value).toString('hex')}'`;
    // standard_conforming_strings is on (the default since 9.1): only quotes are doubled.
    return `'${String(value).replace(/'/g, "''")}'`;
  }

  qualifiedName(table: TableRef): string {
    return `${quotePgIdent(table.schema)}.${quotePgIdent(table.name)}`;
  }

  quoteIdentifier(name: string): string {
    return quotePgIdent(name);
  }

  insertDefaults(table: Sql): Sql {
    return sql`INSERT INTO ${table} DEFAULT VALUES`;
  }

  async referencedBy(table: TableRef): Promise<ReferencingKey[]> {
    const { rows } = await this.pool.query<{ name: string; schema: string; table: string; columns: string; ref_columns: string }>(
      `SELECT con.conname AS name, n.nspname AS schema, c.relname AS table,
              (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)::text AS columns,
              (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)::text AS ref_columns
         FROM pg_catalog.pg_constraint con
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
         JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE con.contype = 'f' AND rn.nspname = $1 AND rc.relname = $2
        ORDER BY n.nspname, c.relname, con.conname`,
      [table.schema, table.name],
    );
    return rows.map((r) => ({ name: r.name, schema: r.schema, table: r.table, columns: JSON.parse(r.columns) as string[], referencedColumns: JSON.parse(r.ref_columns) as string[] }));
  }
}
