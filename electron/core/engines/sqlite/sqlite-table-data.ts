import type Database from 'better-sqlite3';
import { openSqlite } from '../../native/open-sqlite';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { EditValue, ReferencingKey } from '../../../../shared/model/table-query';
import type { ColumnInfo, TableDetail, TableRef } from '../../../../shared/model/schema';
import type { ValueKind } from '../../../../shared/model/values';
import { CoreError } from '../../errors';
import { boundValueOf, bytesParam, isInt64Text } from '../table-data/params';
import type { KeyPart, RowKeys, RunResult, Sql, TableDataDriver, TransactionRunner } from '../table-data/table-data-driver';
import type { SqliteIntrospector } from './sqlite-introspector';
import { quoteSqliteIdent } from './sqlite-quote';
import { sqliteValueKind } from './sqlite-types';
import { sqliteDeclaredTypeWarning } from './sqlite-declared-types';

/** Names SQLite answers for the rowid, unless a real column took the name. */
const ROWID_ALIASES = ['rowid', '_rowid_', 'oid'];

/**
 * The table browser on better-sqlite3. Statements are synchronous, so a window is one
 * prepare + all. Exports iterate on a second, read-only connection: an open iterator would
 * otherwise block every write of the browsing connection (the driver's rule).
 */
export class SqliteTableData implements TableDataDriver {
  readonly beginStatement = 'BEGIN IMMEDIATE';
  readonly commitStatement = 'COMMIT';
  readonly deferredJoin = false;
  readonly lockCheckedRows = false;

  connectionLost(): boolean {
    // A file in this process: there is no connection to lose.
    return false;
  }

  readonly containsOperator = 'LIKE' as const;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly introspector: SqliteIntrospector,
    private readonly kyselyOf: () => Kysely<unknown>,
  ) {}

  get kysely(): Kysely<unknown> {
    return this.kyselyOf();
  }

  describe(table: TableRef): Promise<TableDetail> {
    return Promise.resolve(this.introspector.describeTable(table));
  }


  private withoutRowid(detail: TableDetail): boolean {
    const row = this.db.prepare(`SELECT sql FROM ${quoteSqliteIdent(detail.schema)}.sqlite_schema WHERE type = 'table' AND name = ?`).get(detail.name) as { sql: string | null } | undefined;
    return /\bWITHOUT\s+ROWID\b/i.test(row?.sql ?? '');
  }

  private rowidPart(detail: TableDetail): KeyPart | null {
    const taken = new Set(detail.columns.map((c) => c.name.toLowerCase()));
    const alias = ROWID_ALIASES.find((a) => !taken.has(a));
    if (!alias) return null;
    return { id: 'rowid', column: null, expr: sql.raw(alias), qualified: (a) => sql`${sql.id(a)}.${sql.raw(alias)}`, kind: 'bigint', notNull: true };
  }

  rowKeys(detail: TableDetail): RowKeys {
    const columnPart = (name: string): KeyPart => {
      const c = detail.columns.find((x) => x.name === name)!;
      return { id: `col:${name}`, column: name, expr: sql.id(name), qualified: (a) => sql.id(a, name), kind: sqliteValueKind(c.dataType), notNull: !c.nullable };
    };
    if (detail.kind === 'view') return { identity: 'none', identityParts: [], order: { parts: [], unique: false } };
    const pk = detail.rowIdentity.kind === 'primary-key' ? detail.rowIdentity.columns.map(columnPart) : [];
    const withoutRowid = this.withoutRowid(detail);
    const rowid = withoutRowid ? null : this.rowidPart(detail);
    // An INTEGER PRIMARY KEY is the rowid itself; other rowid tables are ordered by the hidden rowid
    // (unique and never NULL, unlike a legacy SQLite primary key).
    const integerPk = pk.length === 1 && detail.columns.find((c) => c.name === pk[0]!.column)!.autoIncrement;
    const order = withoutRowid || integerPk ? { parts: pk, unique: pk.length > 0 } : rowid ? { parts: [rowid], unique: true } : { parts: [], unique: false };
    if (pk.length) return { identity: 'primary-key', identityParts: pk, order };
    if (rowid) return { identity: 'rowid', identityParts: [rowid], order };
    return { identity: 'none', identityParts: [], order };
  }

  textOf(column: Sql): Sql {
    return column;
  }

  readonly boundValue = boundValueOf;

  /** SQLite's affinity takes any value into any column: say where one goes past the declared type. */
  declaredTypeWarning(column: ColumnInfo, value: EditValue): string | null {
    // An INTEGER PRIMARY KEY is the rowid: SQLite itself refuses what is not an integer there.
    if (column.primaryKeyPosition !== null && /^integer$/i.test(column.dataType.trim())) return null;
    return sqliteDeclaredTypeWarning(column.dataType, value);
  }

  toParam(value: unknown, kind: ValueKind): unknown {
    if (value === null || value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'string') return (kind === 'bigint' || kind === 'integer') && isInt64Text(value) ? BigInt(value) : value;
    if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
    const bytes = bytesParam(value);
    if (bytes) return bytes;
    throw new CoreError('invalid-input', 'This value cannot be sent to SQLite.');
  }

  private prepare(text: string, userSql: boolean): Database.Statement {
    const stmt = this.db.prepare(text);
    if (userSql && !stmt.readonly) throw new CoreError('forbidden', 'The WHERE box may only read; this condition would change the database.');
    return stmt;
  }

  async select(query: CompiledQuery, options: { userSql: boolean }): Promise<unknown[][]> {
    return this.prepare(query.sql, options.userSql).raw(true).all(...query.parameters) as unknown[][];
  }

  /** SQLite counts in-process and cannot be interrupted, so the count is always exact. */
  async countWithin(query: CompiledQuery, options: { userSql: boolean }): Promise<number | null> {
    const row = this.prepare(query.sql, options.userSql).raw(true).get(...query.parameters) as unknown[];
    return Number(row[0]);
  }

  async estimateRows(): Promise<number | null> {
    return null;
  }

  /** One write transaction at a time; BEGIN IMMEDIATE takes the write lock before the checks read. */
  async transaction<T>(fn: (run: TransactionRunner) => Promise<T>): Promise<T> {
    const previous = this.writing;
    let release!: () => void;
    this.writing = new Promise<void>((r) => (release = r));
    await previous.catch(() => undefined);
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const run: TransactionRunner = async (q): Promise<RunResult> => {
        const stmt = this.db.prepare(q.sql);
        if (stmt.reader) return { rows: stmt.raw(true).all(...q.parameters) as unknown[][], affected: 0 };
        return { rows: [], affected: stmt.run(...q.parameters).changes };
      };
      try {
        const result = await fn(run);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      release();
    }
  }

  async stream(
    query: CompiledQuery,
    options: { table: TableRef; userSql: boolean; batchSize: number; signal: AbortSignal },
    onRows: (rows: unknown[][]) => Promise<void> | void,
  ): Promise<void> {
    // A second connection, read-only, for files on disk; attached and in-memory databases only exist on the first.
    const separate = this.file !== ':memory:' && this.file !== '' && options.table.schema === 'main';
    const db = separate ? openSqlite(this.file, { readonly: true, fileMustExist: true }) : this.db;
    try {
      if (separate) db.defaultSafeIntegers(true);
      const stmt = db.prepare(query.sql);
      if (options.userSql && !stmt.readonly) throw new CoreError('forbidden', 'The WHERE box may only read; this condition would change the database.');
      const it = stmt.raw(true).iterate(...query.parameters) as IterableIterator<unknown[]>;
      let batch: unknown[][] = [];
      let since = performance.now();
      try {
        for (const row of it) {
          batch.push(row);
          // Hand over a batch when full, or after 100 ms of slow rows: the worker then reads its messages, so a cancel lands.
          if (batch.length >= options.batchSize || performance.now() - since > 100) {
            await onRows(batch);
            batch = [];
            since = performance.now();
            if (options.signal.aborted) return;
          }
        }
        if (batch.length) await onRows(batch);
      } finally {
        it.return?.();
      }
    } finally {
      if (separate) db.close();
    }
  }

  literal(value: unknown, _kind: ValueKind): string {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NULL' : value > 0 ? '9e999' : '-9e999';
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`;
    const s = String(value);
    // NUL cannot appear inside an SQL string literal: spell such text as bytes cast to text.
    if (s.includes('\u0000')) return `CAST(X'${Buffer.from(s, 'utf8').toString('hex')}' AS TEXT)`;
    return `'${s.replace(/'/g, "''")}'`;
  }

  qualifiedName(table: TableRef): string {
    return `${quoteSqliteIdent(table.schema)}.${quoteSqliteIdent(table.name)}`;
  }

  quoteIdentifier(name: string): string {
    return quoteSqliteIdent(name);
  }

  insertDefaults(table: Sql): Sql {
    return sql`INSERT INTO ${table} DEFAULT VALUES`;
  }

  /** Foreign keys of every table of the schema that point at `table` (SQLite names compare without case). */
  referencedBy(table: TableRef): ReferencingKey[] {
    this.introspector.assertSchema(table.schema);
    const rows = this.db
      .prepare(
        `SELECT m.name AS tbl, f.id AS id, f."from" AS col, f."to" AS ref
           FROM ${quoteSqliteIdent(table.schema)}.sqlite_schema m
           JOIN pragma_foreign_key_list(m.name, ?) f
          WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE
          ORDER BY m.name, f.id, f.seq`,
      )
      .all(table.schema, table.name) as { tbl: string; id: bigint; col: string; ref: string | null }[];
    const out = new Map<string, ReferencingKey>();
    let parentPk: string[] | null = null;
    for (const r of rows) {
      const key = `${r.tbl}\u0000${r.id}`;
      let fk = out.get(key);
      if (!fk) {
        fk = { name: `fk_${r.tbl}_${r.id}`, schema: table.schema, table: r.tbl, columns: [], referencedColumns: [] };
        out.set(key, fk);
      }
      fk.columns.push(r.col);
      if (r.ref === null) {
        parentPk ??= (this.db.prepare('SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk').all(table.name, table.schema) as { name: string }[]).map((p) => p.name);
        fk.referencedColumns = parentPk;
      } else fk.referencedColumns.push(r.ref);
    }
    return [...out.values()];
  }
}
