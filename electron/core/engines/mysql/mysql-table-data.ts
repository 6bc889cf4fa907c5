import type { Readable } from 'node:stream';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import mysql from 'mysql2';
import type { Pool as PromisePool, PoolConnection as PromisePoolConnection, RowDataPacket } from 'mysql2/promise';
import type { TableDetail, TableRef } from '../../../../shared/model/schema';
import type { BoundValue, ReferencingKey } from '../../../../shared/model/table-query';
import type { ValueKind } from '../../../../shared/model/values';
import { CoreError } from '../../errors';
import { boundValueOf, bytesParam } from '../table-data/params';
import type { KeyPart, RowKeys, Sql, TableDataDriver, TransactionRunner } from '../table-data/table-data-driver';
import type { MysqlIntrospector } from './mysql-introspector';
import { mysqlValueKind, quoteMysqlIdent } from './mysql-types';
import { whileKillable, type MysqlQueryKiller } from './mysql-query-killer';

/** MariaDB: max_statement_time exceeded; MySQL: max_execution_time exceeded. */
const TIMEOUT_ERRNOS = new Set([1969, 3024]);
const ER_QUERY_INTERRUPTED = 1317;
/** Rows that arrive slower than this are handed on before a batch is full, so an export's progress moves. */
const TRICKLE_MS = 200;

/** A decimal literal mysql2 writes as is: MySQL reads `123.45` as an exact DECIMAL, where a quoted string would compare as a double. */
class ExactNumber {
  constructor(readonly text: string) {}
  /** mysql2's hook for a value it writes into the statement unquoted. */
  toSqlString(): string {
    return this.text;
  }
}

/**
 * The table browser on mysql2 (MySQL, MariaDB, Galera). Statements holding the user's raw WHERE
 * run on one connection inside START TRANSACTION READ ONLY with the session's statement time
 * limit; exports stream rows with TCP backpressure and are stopped with KILL QUERY, as windows are.
 */
export class MysqlTableData implements TableDataDriver {
  readonly beginStatement = 'START TRANSACTION';
  readonly commitStatement = 'COMMIT';
  readonly deferredJoin = true;
  readonly lockCheckedRows = true;

  connectionLost(err: unknown): boolean {
    // mysql2 marks every error that ended the connection as fatal (PROTOCOL_CONNECTION_LOST, ECONNRESET…).
    return typeof err === 'object' && err !== null && (err as { fatal?: unknown }).fatal === true;
  }

  readonly containsOperator = 'LIKE' as const;

  constructor(
    private readonly pool: mysql.Pool,
    private readonly promisePool: PromisePool,
    private readonly flavour: 'mysql' | 'mariadb',
    private readonly introspector: MysqlIntrospector,
    private readonly kyselyOf: () => Kysely<unknown>,
    /** Stops this driver's statements when their caller cancels (KILL QUERY from a connection of its own). */
    private readonly killer: MysqlQueryKiller,
  ) {}

  get kysely(): Kysely<unknown> {
    return this.kyselyOf();
  }

  describe(table: TableRef): Promise<TableDetail> {
    return this.introspector.describeTable(table);
  }


  rowKeys(detail: TableDetail): RowKeys {
    const id = detail.rowIdentity;
    if (id.kind !== 'primary-key') return { identity: 'none', identityParts: [], order: { parts: [], unique: false } };
    const parts: KeyPart[] = id.columns.map((name) => {
      const c = detail.columns.find((x) => x.name === name)!;
      return { id: `col:${name}`, column: name, expr: sql.id(name), qualified: (a) => sql.id(a, name), kind: mysqlValueKind(c.dataType), notNull: !c.nullable || c.primaryKeyPosition !== null };
    });
    return { identity: 'primary-key', identityParts: parts, order: { parts, unique: true } };
  }

  textOf(column: Sql): Sql {
    return column;
  }

  /** mysql2 writes every bound value into the statement: an ExactNumber as its digits, unquoted. */
  boundValue(param: unknown): BoundValue {
    return param instanceof ExactNumber ? { number: param.text } : boundValueOf(param);
  }

  toParam(value: unknown, kind: ValueKind): unknown {
    if (value === null || value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      // MySQL compares an integer or decimal column with a quoted string as doubles: big keys and long decimals would match their neighbours.
      if ((kind === 'integer' || kind === 'bigint') && /^-?\d{1,20}$/.test(value)) return BigInt(value);
      if (kind === 'decimal' && /^[-+]?\d{1,65}(\.\d{1,38})?$/.test(value)) return new ExactNumber(value);
      return value;
    }
    const bytes = bytesParam(value);
    if (bytes) return bytes;
    throw new CoreError('invalid-input', 'This value cannot be sent to MySQL.');
  }

  private timeoutStatement(timeoutMs: number | null): string {
    const variable = this.flavour === 'mariadb' ? 'max_statement_time' : 'max_execution_time';
    if (timeoutMs === null) return `SET SESSION ${variable} = DEFAULT`;
    return `SET SESSION ${variable} = ${this.flavour === 'mariadb' ? (Math.max(1, timeoutMs) / 1000).toFixed(3) : Math.max(1, Math.round(timeoutMs))}`;
  }

  /**
   * Runs fn on one connection with a statement time limit, inside a read-only transaction when asked;
   * `signal` stops fn's statements with KILL QUERY (mysql-query-killer.ts) before the cleanup runs.
   */
  private async bounded<T>(options: { readOnly: boolean; timeoutMs: number; signal?: AbortSignal | undefined }, fn: (conn: PromisePoolConnection) => Promise<T>): Promise<T> {
    options.signal?.throwIfAborted();
    const conn = await this.promisePool.getConnection();
    let reusable = true;
    try {
      await conn.query(this.timeoutStatement(options.timeoutMs));
      if (options.readOnly) await conn.query('START TRANSACTION READ ONLY');
      try {
        const signal = options.signal;
        const result = signal ? await whileKillable(conn, this.killer, signal, () => fn(conn), () => (reusable = false)) : await fn(conn);
        if (options.readOnly) await conn.query('COMMIT');
        return result;
      } catch (err) {
        if (options.readOnly) await conn.query('ROLLBACK').catch(() => (reusable = false));
        throw err;
      }
    } finally {
      await conn.query(this.timeoutStatement(null)).catch(() => (reusable = false));
      if (reusable) conn.release();
      else conn.destroy();
    }
  }

  async select(query: CompiledQuery, options: { userSql: boolean; timeoutMs: number; signal?: AbortSignal }): Promise<unknown[][]> {
    const run = async (q: Pick<PromisePool, 'query'>) => (await q.query<RowDataPacket[]>({ sql: query.sql, rowsAsArray: true }, query.parameters as unknown[]))[0] as unknown as unknown[][];
    if (options.userSql) return this.bounded({ readOnly: true, timeoutMs: options.timeoutMs, signal: options.signal }, run);
    const signal = options.signal;
    if (!signal) return run(this.promisePool);
    signal.throwIfAborted();
    const conn = await this.promisePool.getConnection();
    let reusable = true;
    try {
      return await whileKillable(conn, this.killer, signal, () => run(conn), () => (reusable = false));
    } finally {
      if (reusable) conn.release();
      else conn.destroy();
    }
  }

  async countWithin(query: CompiledQuery, options: { userSql: boolean; timeoutMs: number; signal?: AbortSignal }): Promise<number | null> {
    try {
      const rows = await this.bounded({ readOnly: options.userSql, timeoutMs: options.timeoutMs, signal: options.signal }, async (c) => (await c.query<RowDataPacket[]>({ sql: query.sql, rowsAsArray: true }, query.parameters as unknown[]))[0]);
      return Number((rows[0] as unknown as unknown[])[0]);
    } catch (err) {
      if (TIMEOUT_ERRNOS.has((err as { errno?: number }).errno ?? 0)) return null;
      throw err;
    }
  }

  async estimateRows(query: CompiledQuery, options: { userSql: boolean; signal?: AbortSignal }): Promise<number | null> {
    const rows = await this.bounded({ readOnly: options.userSql, timeoutMs: 5000, signal: options.signal }, async (c) => (await c.query<RowDataPacket[]>(`EXPLAIN ${query.sql}`, query.parameters as unknown[]))[0]);
    const first = rows[0];
    return first && first.rows !== null && first.rows !== undefined ? Number(first.rows) : null;
  }

  async transaction<T>(fn: (run: TransactionRunner) => Promise<T>): Promise<T> {
    const conn = await this.promisePool.getConnection();
    let reusable = true;
    try {
      await conn.query('START TRANSACTION');
      const run: TransactionRunner = async (q) => {
        const [result] = await conn.query({ sql: q.sql, rowsAsArray: true }, q.parameters as unknown[]);
        if (Array.isArray(result)) return { rows: result as unknown as unknown[][], affected: 0 };
        return { rows: [], affected: (result as { affectedRows?: number }).affectedRows ?? 0 };
      };
      const result = await fn(run);
      await conn.query('COMMIT');
      return result;
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => (reusable = false));
      throw err;
    } finally {
      if (reusable) conn.release();
      else conn.destroy();
    }
  }

  /**
   * Streams the rows with TCP backpressure. An abort stops the statement as a window's is stopped:
   * KILL QUERY from the killer's connection outside the pool, sent again while it runs
   * (mysql-query-killer.ts); what the server had sent already is read and dropped until the result
   * ends, so the connection is between statements again and goes back to the pool. It is dropped when
   * the KILL could not stop the statement, or the stream broke off (a failed write, a server error).
   */
  async stream(
    query: CompiledQuery,
    options: { userSql: boolean; batchSize: number; signal: AbortSignal },
    onRows: (rows: unknown[][]) => Promise<void> | void,
  ): Promise<void> {
    const { signal } = options;
    if (signal.aborted) return;
    const conn = await this.promisePool.getConnection();
    let reusable = true;
    let rows: Readable | null = null;
    try {
      if (options.userSql) await conn.query('START TRANSACTION READ ONLY');
      if (!signal.aborted) {
        const read = () => this.readResult(conn, query, options, onRows, (r) => (rows = r));
        await whileKillable(conn, this.killer, signal, read, () => {
          reusable = false;
          // No KILL stopped it: stop reading (the connection is dropped).
          rows?.destroy(new Error('The statement could not be stopped on the server.'));
        });
      }
      if (options.userSql && reusable) await conn.query(signal.aborted ? 'ROLLBACK' : 'COMMIT');
    } catch (err) {
      // Rows may still be on their way on this connection: it is not reused.
      reusable = false;
      throw err;
    } finally {
      if (reusable) conn.release();
      else conn.destroy();
    }
  }

  /** Reads a whole result: its rows go to `onRows` in batches until `signal` aborts, then are read and dropped until the KILL ends it. */
  private async readResult(
    conn: PromisePoolConnection,
    query: CompiledQuery,
    options: { batchSize: number; signal: AbortSignal },
    onRows: (rows: unknown[][]) => Promise<void> | void,
    started: (rows: Readable) => void,
  ): Promise<void> {
    const { signal } = options;
    // The promise wrapper's `connection` is the callback connection, which has .stream().
    const core = conn.connection as unknown as mysql.PoolConnection;
    const rows = core.query({ sql: query.sql, rowsAsArray: true }, query.parameters as unknown[]).stream({ highWaterMark: options.batchSize });
    started(rows);
    let batch: unknown[][] = [];
    let handedAt = performance.now();
    try {
      for await (const row of rows) {
        if (signal.aborted) continue;
        batch.push(row as unknown[]);
        // A full batch, or rows that trickle in (a slow query): hand them on, so progress moves.
        if (batch.length >= options.batchSize || performance.now() - handedAt >= TRICKLE_MS) {
          await onRows(batch);
          batch = [];
          handedAt = performance.now();
        }
      }
      if (batch.length && !signal.aborted) await onRows(batch);
    } catch (err) {
      if (!(signal.aborted && (err as { errno?: number }).errno === ER_QUERY_INTERRUPTED)) throw err;
    } finally {
      rows.destroy();
    }
  }

  literal(value: unknown, _kind: ValueKind): string {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
    if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`;
    return mysql.escape(String(value));
  }

  qualifiedName(table: TableRef): string {
    return `${quoteMysqlIdent(table.schema)}.${quoteMysqlIdent(table.name)}`;
  }

  quoteIdentifier(name: string): string {
    return quoteMysqlIdent(name);
  }

  insertDefaults(table: Sql): Sql {
    return sql`INSERT INTO ${table} () VALUES ()`;
  }

  async referencedBy(table: TableRef): Promise<ReferencingKey[]> {
    const [rows] = await this.promisePool.query<RowDataPacket[]>(
      `SELECT CONSTRAINT_NAME AS name, TABLE_SCHEMA AS sch, TABLE_NAME AS tbl, COLUMN_NAME AS col, REFERENCED_COLUMN_NAME AS ref
         FROM information_schema.KEY_COLUMN_USAGE
        WHERE REFERENCED_TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?
        ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
      [table.schema, table.name],
    );
    const out = new Map<string, ReferencingKey>();
    for (const r of rows) {
      const key = `${String(r.sch)}\u0000${String(r.tbl)}\u0000${String(r.name)}`;
      let fk = out.get(key);
      if (!fk) {
        fk = { name: String(r.name), schema: String(r.sch), table: String(r.tbl), columns: [], referencedColumns: [] };
        out.set(key, fk);
      }
      fk.columns.push(String(r.col));
      fk.referencedColumns.push(String(r.ref));
    }
    return [...out.values()];
  }
}
