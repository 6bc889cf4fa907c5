import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { RowCount, SchemaSummary, ServerInfo, TableDetail, TableRef, TableSummary } from '../../../../shared/model/schema';
import type { ApplyResult, EditRequest, PlannedStatement, ReferencingKey, TableQuery, TableWindow, WindowSpec } from '../../../../shared/model/table-query';
import type { CellValue, ColumnMeta } from '../../../../shared/model/values';
import { TableDataService } from '../table-data/table-data-service';

import { CoreError } from '../../errors';
import type { EngineConfig } from '../config';
import type { CompletionColumn, ServerProcess } from '../../../../shared/model/query';
import type { QuerySession, QuerySessionOptions } from '../query-session';
import { SqliteQueryTools } from './sqlite-query-tools';
import type { Engine, SqlText, StreamOptions } from '../engine';
import type { DesignSchema, EngineType } from '../../../../shared/designer/model';
import type { DesignDialect } from '../design-dialect';
import { SqliteDesignDialect } from './sqlite-ddl';
import { SqliteDesignReader } from './sqlite-design-reader';
import { SqliteIntrospector } from './sqlite-introspector';
import { SqliteMigrationAdapter } from './sqlite-migrations';
import { SqliteTableData } from './sqlite-table-data';

/**
 * One better-sqlite3 connection per worker (the driver's rule: a connection never crosses threads).
 * Integers come back as BigInt (`defaultSafeIntegers`) so values past 2^53 stay exact.
 */
export class SqliteEngine implements Engine {
  readonly family = 'sqlite' as const;
  readonly endpoint: string;
  readonly introspector: SqliteIntrospector;
  readonly tableDriver: SqliteTableData;
  readonly tableData: TableDataService;
  private kyselyInstance: Kysely<unknown> | undefined;
  private closed = false;
  private queryToolsInstance: SqliteQueryTools | undefined;

  private get queryTools(): SqliteQueryTools {
    this.queryToolsInstance ??= new SqliteQueryTools(this.db, this.file);
    return this.queryToolsInstance;
  }

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {
    this.endpoint = file;
    this.introspector = new SqliteIntrospector(db);
    this.tableDriver = new SqliteTableData(db, file, this.introspector, () => this.kysely);
    this.tableData = new TableDataService(this.tableDriver);
  }

  get sqlText(): SqlText {
    return this.tableDriver;
  }

  async referencedBy(table: TableRef): Promise<ReferencingKey[]> {
    return this.tableDriver.referencedBy(table);
  }

  static async open(config: EngineConfig): Promise<SqliteEngine> {
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
    let db: Database.Database;
    try {
      db = new Database(file, {
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

  async listSchemas(): Promise<SchemaSummary[]> {
    return this.introspector.listSchemas();
  }

  async listTables(schema: string): Promise<TableSummary[]> {
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

  // The SQL editor's methods (query sessions, completion columns, process list) live in SqliteQueryTools.
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

  async readDesign(schema: string): Promise<DesignSchema> {
    this.introspector.assertSchema(schema);
    return new SqliteDesignReader(this.db).read(schema);
  }

  async listTypes(): Promise<EngineType[]> {
    return new SqliteDesignDialect().builtinTypes();
  }

  async designDialect(): Promise<DesignDialect> {
    return new SqliteDesignDialect();
  }

  private migrationAdapter: SqliteMigrationAdapter | undefined;
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
