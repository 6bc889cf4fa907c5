import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { ServerInfo } from '../../../../shared/model/schema';
import { postgresExplainer } from './postgres-explained-errors';
import { TableDataService } from '../table-data/table-data-service';
import { editExplaining } from '../table-data/explain-edit-failure';

import type { EngineConfig } from '../config';
import { PostgresQueryTools } from './postgres-query-tools';
import type { Engine, ReadDesignOptions } from '../engine';
import type { EngineHooks } from '../hooks';
import type { DesignSchema, EngineType } from '../../../../features/designer/shared/model';
import type { DesignDialect } from '../../../../features/designer/core/design-dialect';
import { PostgresDesignDialect } from './postgres-ddl';
import { PostgresDesignReader } from './postgres-design-reader';
import { postgresClientOptions } from './postgres-client-options';
import { connectFirst } from './postgres-connect';
import { PostgresIntrospector } from './postgres-introspector';
import { PostgresMigrationAdapter } from './postgres-migrations';
import { PostgresTableData } from './postgres-table-data';
import { checkoutClient, guardedPool } from './postgres-checkout';
import { CappedPool, postgresCapReader } from './postgres-pool';
import { ConnectionCap } from '../common/connection-cap';
import { PostgresImporter } from './postgres-import';
import type { TableImporter } from '../../../../features/import/core/table-importer';
import { postgresDialect } from './postgres-dialect';

export class PostgresEngine implements Engine {
  readonly dialect = postgresDialect;
  readonly introspector: PostgresIntrospector;
  readonly tableData: TableDataService;
  private kyselyInstance: Kysely<unknown> | undefined;
  private closed = false;
  private queryToolsInstance: PostgresQueryTools | undefined;

  /** Made on first use: most windows never open the SQL editor. */
  get queryTools(): PostgresQueryTools {
    this.queryToolsInstance ??= new PostgresQueryTools(this.pool);
    return this.queryToolsInstance;
  }

  private constructor(
    readonly pool: CappedPool,
    /** How the pool connects: a migration run opens a client of its own with the same options. */
    private readonly clientConfig: pg.ClientConfig,
    readonly endpoint: string,
    readonly tlsInUse: boolean,
  ) {
    this.introspector = new PostgresIntrospector(pool);
    const tableDriver = new PostgresTableData(pool, clientConfig, this.introspector, () => this.kysely);
    this.tableData = new TableDataService(tableDriver, editExplaining((schema) => this.readDesign(schema), postgresExplainer));
  }

  /** Connects (the profile's hosts in order, sslmode=prefer's fallback) and proves the connection with one round trip. */
  static open(config: EngineConfig, hooks: EngineHooks = {}): Promise<PostgresEngine> {
    return connectFirst(config, (host, port, ssl) => PostgresEngine.tryOpen(config, host, port, ssl, hooks));
  }

  private static async tryOpen(config: EngineConfig, host: string, port: number, ssl: pg.PoolConfig['ssl'], hooks: EngineHooks): Promise<PostgresEngine> {
    const clientConfig = postgresClientOptions(config, host, port, ssl, config.connectTimeoutMs);
    const poolConfig: pg.PoolConfig = {
      ...clientConfig,
      max: config.poolSize,
      idleTimeoutMillis: 60_000,
    };
    const pool = new CappedPool(poolConfig);
    pool.cap = new ConnectionCap(config.poolSize, postgresCapReader, hooks.onPoolCapped);
    pool.on('error', (err) => hooks.onConnectionLost?.(err));
    try {
      const client = await checkoutClient(pool);
      try {
        await client.query('SELECT 1');
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    const endpoint = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return new PostgresEngine(pool, clientConfig, endpoint, ssl !== false);
  }

  get kysely(): Kysely<unknown> {
    this.kyselyInstance ??= new Kysely({ dialect: new PostgresDialect({ pool: guardedPool(this.pool), cursor: Cursor }) });
    return this.kyselyInstance;
  }

  async serverInfo(): Promise<ServerInfo> {
    const { rows } = await this.pool.query<{ version_text: string; version: string; cu: string; db: string; recovery: boolean; ro: string }>(
      `SELECT version() AS version_text, current_setting('server_version') AS version, current_user AS cu,
              current_database() AS db, pg_is_in_recovery() AS recovery,
              current_setting('default_transaction_read_only') AS ro`,
    );
    const r = rows[0]!;
    return {
      product: 'postgresql',
      version: r.version,
      versionText: r.version_text,
      currentUser: r.cu,
      currentDatabase: r.db,
      readOnly: r.recovery || r.ro === 'on',
      galera: false,
    };
  }

  readDesign(schema: string, options?: ReadDesignOptions): Promise<DesignSchema> {
    return new PostgresDesignReader(this.pool).read(schema, options);
  }

  listTypes(): Promise<EngineType[]> {
    return new PostgresDesignReader(this.pool).types();
  }

  async designDialect(): Promise<DesignDialect> {
    return new PostgresDesignDialect();
  }

  importer(): TableImporter {
    return new PostgresImporter(this.pool);
  }

  private migrationAdapter: PostgresMigrationAdapter | undefined;
  migrations(): PostgresMigrationAdapter {
    this.migrationAdapter ??= new PostgresMigrationAdapter(this.clientConfig);
    return this.migrationAdapter;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.kyselyInstance) await this.kyselyInstance.destroy();
    else await this.pool.end();
  }
}
