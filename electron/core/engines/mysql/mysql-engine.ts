import { Kysely, MysqlDialect } from 'kysely';
import mysql from 'mysql2';
import type { Pool as PromisePool, RowDataPacket } from 'mysql2/promise';
import type { SchemaSummary, ServerInfo, TableDetail, TableRef, TableSummary } from '../../../../shared/model/schema';
import { readTlsMaterial, type EngineConfig } from '../config';
import type { Engine } from '../engine';
import type { EngineHooks } from '../hooks';
import { tlsOptionsFor } from '../tls-options';
import type { DesignSchema, EngineType } from '../../../../shared/designer/model';
import type { DesignDialect } from '../design-dialect';
import { MysqlDesignDialect } from './mysql-ddl';
import { MysqlDesignReader } from './mysql-design-reader';
import { MysqlIntrospector } from './mysql-introspector';
import { mysqlTypeCast } from './mysql-types';
import { MysqlMigrationAdapter } from './mysql-migrations';

export type MysqlFlavour = 'mysql' | 'mariadb';

/** Serves MySQL, MariaDB and Galera nodes (mysql2 pool; Kysely over the same pool). */
export class MysqlEngine implements Engine {
  readonly family = 'mysql' as const;
  readonly introspector: MysqlIntrospector;
  readonly promisePool: PromisePool;
  private kyselyInstance: Kysely<unknown> | undefined;
  private closed = false;

  private constructor(
    readonly pool: mysql.Pool,
    readonly endpoint: string,
    readonly flavour: MysqlFlavour,
  ) {
    this.promisePool = pool.promise();
    this.introspector = new MysqlIntrospector(this.promisePool, flavour);
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

  describeTable(table: TableRef): Promise<TableDetail> {
    return this.introspector.describeTable(table);
  }

  readDesign(schema: string): Promise<DesignSchema> {
    return new MysqlDesignReader(this.promisePool, this.flavour).read(schema);
  }

  async listTypes(): Promise<EngineType[]> {
    return (await this.designDialect()).builtinTypes();
  }

  async designDialect(): Promise<DesignDialect> {
    const [rows] = await this.promisePool.query<RowDataPacket[]>('SELECT VERSION() AS v');
    return new MysqlDesignDialect(this.flavour, String(rows[0]!.v).replace(/-.*$/, ''));
  }

  private migrationAdapter: MysqlMigrationAdapter | undefined;
  migrations(): MysqlMigrationAdapter {
    this.migrationAdapter ??= new MysqlMigrationAdapter(this.pool, this.flavour);
    return this.migrationAdapter;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.kyselyInstance) await this.kyselyInstance.destroy();
    else await this.promisePool.end();
  }
}
