import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import { openSqlite } from '../../native/open-sqlite';
import { Kysely, SqliteDialect } from 'kysely';
import type { ServerInfo } from '../../../../shared/model/schema';
import { sqliteExplainer } from './sqlite-explained-errors';
import { TableDataService } from '../table-data/table-data-service';
import { editExplaining } from '../table-data/explain-edit-failure';

import { CoreError } from '../../errors';
import type { EngineConfig } from '../config';
import { SqliteQueryTools } from './sqlite-query-tools';
import type { Engine, ReadDesignOptions } from '../engine';
import type { DesignSchema, EngineType } from '../../../../features/designer/shared/model';
import type { DesignDialect } from '../../../../features/designer/core/design-dialect';
import { SqliteDesignDialect } from './sqlite-ddl';
import { SqliteDesignReader } from './sqlite-design-reader';
import { SqliteIntrospector } from './sqlite-introspector';
import { SqliteMigrationAdapter } from './sqlite-migrations';
import { SqliteTableData } from './sqlite-table-data';
import { SqliteImporter } from './sqlite-import';
import type { TableImporter } from '../../../../features/import/core/table-importer';
import { sqliteDialect } from './sqlite-dialect';

/**
 * One better-sqlite3 connection per worker (the driver's rule: a connection never crosses threads).
 * Integers come back as BigInt (`defaultSafeIntegers`) so values past 2^53 stay exact.
 */
export class SqliteEngine implements Engine {
  readonly dialect = sqliteDialect;
  readonly endpoint: string;
  readonly introspector: SqliteIntrospector;
  readonly tableData: TableDataService;
  private kyselyInstance: Kysely<unknown> | undefined;
  private closed = false;
  private queryToolsInstance: SqliteQueryTools | undefined;

  /** Made on first use: most windows never open the SQL editor. */
  get queryTools(): SqliteQueryTools {
    this.queryToolsInstance ??= new SqliteQueryTools(this.db, this.file);
    return this.queryToolsInstance;
  }

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {
    this.endpoint = file;
    this.introspector = new SqliteIntrospector(db);
    const tableDriver = new SqliteTableData(db, file, this.introspector, () => this.kysely);
    this.tableData = new TableDataService(tableDriver, editExplaining((schema) => this.readDesign(schema), sqliteExplainer));
  }

  static async open(config: EngineConfig): Promise<SqliteEngine> {
    const file = await checkSqliteFile(config);
    let db: Database.Database;
    try {
      db = openSqlite(file, {
        readonly: config.readOnly,
        fileMustExist: !config.allowCreate,
        timeout: Math.min(config.connectTimeoutMs, 5000),
      });
    } catch (err) {
      throw new CoreError('connection-failed', `Cannot open "${file}": ${(err as Error).message}`, { driverCode: (err as { code?: string }).code });
    }
    try {
      db.defaultSafeIntegers(true);
      // better-sqlite3 opens lazily: a text file or an encrypted database only fails on the first read.
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
      db.pragma('foreign_keys = ON');
    } catch (err) {
      db.close();
      const code = (err as { code?: string }).code;
      const what =
        code === 'SQLITE_NOTADB'
          ? 'is not a SQLite database (or it is encrypted)'
          : code === 'SQLITE_CORRUPT'
            ? 'is damaged (database disk image is malformed)'
            : code === 'SQLITE_BUSY'
              ? 'is locked by another program'
              : `cannot be read: ${(err as Error).message}`;
      throw new CoreError('connection-failed', `"${file}" ${what}.`, { driverCode: code });
    }
    return new SqliteEngine(db, file);
  }

  get kysely(): Kysely<unknown> {
    this.kyselyInstance ??= new Kysely({ dialect: new SqliteDialect({ database: this.db }) });
    return this.kyselyInstance;
  }

  async serverInfo(): Promise<ServerInfo> {
    const { v } = this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    return {
      product: 'sqlite',
      version: v,
      versionText: `SQLite ${v}`,
      currentUser: null,
      currentDatabase: this.file,
      readOnly: this.db.readonly,
      galera: false,
    };
  }

  async readDesign(schema: string, options?: ReadDesignOptions): Promise<DesignSchema> {
    this.introspector.assertSchema(schema);
    return new SqliteDesignReader(this.db).read(schema, options);
  }

  async listTypes(): Promise<EngineType[]> {
    return new SqliteDesignDialect().builtinTypes();
  }

  async designDialect(): Promise<DesignDialect> {
    return new SqliteDesignDialect();
  }

  private migrationAdapter: SqliteMigrationAdapter | undefined;
  importer(): TableImporter {
    return new SqliteImporter(this.db);
  }

  migrations(): SqliteMigrationAdapter {
    this.migrationAdapter ??= new SqliteMigrationAdapter(this.file);
    return this.migrationAdapter;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Kysely's SqliteDriver closes the database it was given; close it only once.
    if (this.kyselyInstance) await this.kyselyInstance.destroy();
    else this.db.close();
  }
}

/** The profile's file, checked before it is opened: it exists (unless it may be created), is a file, is readable. */
export async function checkSqliteFile(config: EngineConfig): Promise<string> {
  const file = config.file;
  if (!file) throw new CoreError('invalid-input', 'A SQLite connection needs a file path.');
  if (!config.allowCreate) {
    const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new CoreError('connection-failed', `The SQLite file "${file}" does not exist.`, { driverCode: 'ENOENT' });
      if (err.code === 'EACCES') throw new CoreError('connection-failed', `No permission to reach "${file}".`, { driverCode: 'EACCES' });
      throw err;
    });
    if (!info.isFile()) throw new CoreError('connection-failed', `"${file}" is not a file.`);
    await access(file, constants.R_OK).catch(() => {
      throw new CoreError('connection-failed', `No permission to read "${file}".`, { driverCode: 'EACCES' });
    });
  }
  return file;
}
