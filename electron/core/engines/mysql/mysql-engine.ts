import { Kysely, MysqlDialect } from 'kysely';
import mysql from 'mysql2';
import type { Pool as PromisePool, RowDataPacket } from 'mysql2/promise';
import type { RowCount, SchemaSummary, ServerInfo, TableDetail, TableRef, TableSummary } from '../../../../shared/model/schema';
import type { ApplyResult, EditRequest, PlannedStatement, ReferencingKey, TableQuery, TableWindow, WindowSpec } from '../../../../shared/model/table-query';
import type { CellValue, ColumnMeta } from '../../../../shared/model/values';
import { TableDataService } from '../table-data/table-data-service';

import { readTlsMaterial, type EngineConfig } from '../config';
import type { CompletionColumn, ServerProcess } from '../../../../shared/model/query';
import type { QuerySession, QuerySessionOptions } from '../query-session';
import { MysqlQueryTools } from './mysql-query-tools';
import type { Engine, SqlText, StreamOptions } from '../engine';
import type { EngineHooks } from '../hooks';
import { tlsOptionsFor } from '../tls-options';
import { MysqlIntrospector } from './mysql-introspector';
import { MysqlTableData } from './mysql-table-data';
import { mysqlTypeCast } from './mysql-types';

export type MysqlFlavour = 'mysql' | 'mariadb';

/** Serves MySQL, MariaDB and Galera nodes (mysql2 pool; Kysely over the same pool). */
export class MysqlEngine implements Engine {
  readonly family = 'mysql' as const;
  readonly introspector: MysqlIntrospector;
  readonly promisePool: PromisePool;
  readonly tableDriver: MysqlTableData;
  readonly tableData: TableDataService;
  private kyselyInstance: Kysely<unknown> | undefined;
  private closed = false;
  private queryToolsInstance: MysqlQueryTools | undefined;

  private get queryTools(): MysqlQueryTools {
    this.queryToolsInstance ??= new MysqlQueryTools(this.pool, this.promisePool, this.flavour);
    return this.queryToolsInstance;
  }

  private constructor(
    readonly pool: mysql.Pool,
    readonly endpoint: string,
    readonly flavour: MysqlFlavour,
  ) {
    this.promisePool = pool.promise();
    this.introspector = new MysqlIntrospector(this.promisePool, flavour);
    this.tableDriver = new MysqlTableData(pool, this.promisePool, flavour, this.introspector, () => this.kysely);
    this.tableData = new TableDataService(this.tableDriver);
  }

  get sqlText(): SqlText {
    return this.tableDriver;
  }

  referencedBy(table: TableRef): Promise<ReferencingKey[]> {
    return this.tableDriver.referencedBy(table);
  }

  static async open(config: EngineConfig, host: string, port: number, hooks: EngineHooks = {}): Promise<MysqlEngine> {
    const material = await readTlsMaterial(config.tls);
    const tls = tlsOptionsFor(config.tls.mode, material);
    try {
      return await MysqlEngine.tryOpen(config, host, port, tls, hooks);
    } catch (err) {
      // mysql2 has no "prefer": retry in plain text only when the server has no TLS at all.
      if (config.tls.mode === 'prefer' && (err as { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT') {
        return MysqlEngine.tryOpen(config, host, port, undefined, hooks);
      }
      throw err;
    }
  }

  private static async tryOpen(
    config: EngineConfig,
    host: string,
    port: number,
    tls: ReturnType<typeof tlsOptionsFor>,
    hooks: EngineHooks,
  ): Promise<MysqlEngine> {
    const options: mysql.PoolOptions = {
      host,
      port,
      user: config.user,
      database: config.database || undefined,
      connectionLimit: config.poolSize,
      connectTimeout: config.connectTimeoutMs,
      // The guide's rule for Galera and good sense everywhere: 4-byte characters round-trip.
      charset: 'utf8mb4',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      // JSON exactly as stored (MariaDB marks JSON only in extended metadata; mysql2 would parse it into objects).
      jsonStrings: true,
      multipleStatements: false,
      typeCast: mysqlTypeCast as mysql.PoolOptions['typeCast'],
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
    const pool = mysql.createPool(options);
    pool.on('connection', (conn) => {
      conn.on('error', (err) => hooks.onConnectionLost?.(err));
      // Read-only is the server's rule on every pooled session. Queued before any other query of this connection.
      if (config.readOnly) conn.query('SET SESSION TRANSACTION READ ONLY');
    });
    const promisePool = pool.promise();
    let flavour: MysqlFlavour;
    try {
      const [rows] = await promisePool.query<RowDataPacket[]>('SELECT VERSION() AS v');
      flavour = /mariadb/i.test(String(rows[0]!.v)) ? 'mariadb' : 'mysql';
    } catch (err) {
      await promisePool.end().catch(() => undefined);
      throw err;
    }
    const endpoint = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return new MysqlEngine(pool, endpoint, flavour);
  }

  get kysely(): Kysely<unknown> {
    this.kyselyInstance ??= new Kysely({ dialect: new MysqlDialect({ pool: this.pool }) });
    return this.kyselyInstance;
  }

  async serverInfo(): Promise<ServerInfo> {
    const [rows] = await this.promisePool.query<RowDataPacket[]>(`SELECT VERSION() AS v, @@version_comment AS c, CURRENT_USER() AS cu, DATABASE() AS db`);
    // Variable names differ by flavour and version (tx_read_only vs transaction_read_only): ask for all, use what exists.
    const [vars] = await this.promisePool.query<RowDataPacket[]>(
      "SHOW SESSION VARIABLES WHERE Variable_name IN ('read_only', 'tx_read_only', 'transaction_read_only', 'wsrep_on')",
    );
    const v = new Map(vars.map((x) => [String(x.Variable_name).toLowerCase(), String(x.Value).toUpperCase()]));
    const r = rows[0]!;
    const version = String(r.v);
    return {
      product: this.flavour,
      version: version.replace(/-.*$/, ''),
      versionText: `${version} (${String(r.c)})`,
      currentUser: r.cu === null ? null : String(r.cu),
      currentDatabase: r.db === null ? null : String(r.db),
      readOnly: ['read_only', 'tx_read_only', 'transaction_read_only'].some((k) => v.get(k) === 'ON' || v.get(k) === '1'),
      galera: v.get('wsrep_on') === 'ON',
    };
  }

  listSchemas(): Promise<SchemaSummary[]> {
    return this.introspector.listSchemas();
  }

  listTables(schema: string): Promise<TableSummary[]> {
    return this.introspector.listTables(schema);
  }

  async describeTable(table: TableRef): Promise<TableDetail> {
    return this.tableData.remember(await this.introspector.describeTable(table));
  }

  readWindow(query: TableQuery, window: WindowSpec): Promise<TableWindow> {
    return this.tableData.readWindow(query, window);
  }

  countRows(query: TableQuery, timeoutMs: number): Promise<RowCount> {
    return this.tableData.countRows(query, timeoutMs);
  }

  readCell(table: TableRef, rowId: CellValue[], column: string): Promise<unknown> {
    return this.tableData.readCellRaw(table, rowId, column);
  }

  async planEdits(edits: EditRequest): Promise<PlannedStatement[]> {
    return (await this.tableData.planEdits(edits)).statements;
  }

  applyEdits(edits: EditRequest): Promise<ApplyResult> {
    return this.tableData.applyEdits(edits);
  }

  async streamRows(query: TableQuery, options: StreamOptions, onRows: (rows: unknown[][]) => Promise<void> | void): Promise<void> {
    await this.tableData.streamRows(query, options, onRows);
  }

  copyCsv(query: TableQuery, options: { header: boolean; delimiter: string; signal: AbortSignal }, write: (chunk: Buffer) => Promise<void>): Promise<number | null> {
    return this.tableData.copyCsv(query, options, write);
  }

  columnsOf(table: TableRef): Promise<ColumnMeta[]> {
    return this.tableData.columnsOf(table);
  }

  // The SQL editor's methods (query sessions, completion columns, process list) live in MysqlQueryTools.
  openQuerySession(options: QuerySessionOptions): Promise<QuerySession> {
    return this.queryTools.openQuerySession(options);
  }

  listColumns(schema: string): Promise<CompletionColumn[]> {
    return this.queryTools.listColumns(schema);
  }

  processList(own: ReadonlySet<string>): Promise<ServerProcess[] | null> {
    return this.queryTools.processList(own);
  }

  killProcess(id: string, mode: 'cancel' | 'terminate'): Promise<boolean> {
    return this.queryTools.killProcess(id, mode);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.kyselyInstance) await this.kyselyInstance.destroy();
    else await this.promisePool.end();
  }
}
