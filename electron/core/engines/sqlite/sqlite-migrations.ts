import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from '../../native/open-sqlite';
import { CompiledQuery, DummyDriver, Kysely, sql, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { LockStrategy, MigrationSettings, PlanSetting, RunnableFormat } from '../../../../shared/model/migrations';
import { CoreError } from '../../errors';
import type { SqlStatement } from '../../../../shared/sql/split-statements';
import { nothingAppliedWords, type DialectLintFinding, type MigrationAdapter, type MigrationConnection, type MigrationTarget, type QueryResult, type SessionLockHolder, type TableColumns, type SchemalessDatabase } from '../../../../features/migrations/core/migration-adapter';
import { sqliteExplainer } from './sqlite-explained-errors';
import { sqliteDesignRules } from './sqlite-ddl';
import { quoteSqliteIdent } from './sqlite-quote';
import { sqliteLexRules } from '../../../../shared/sql/lex-rules/sqlite';
import { sqliteIdentifiers } from './sqlite-identifiers';
import { sqliteToolTableDdl } from './sqlite-tool-tables';

/** better-sqlite3 binds no booleans: they become 1/0 as SQLite stores them. */
const bindable = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/**
 * A connection of its own to the database file. The worker's browsing connection stays apart, so
 * a table browsed during a run never ends up inside the run's transaction.
 */
class SqliteMigrationConnection implements MigrationConnection {
  readonly sessionId = null;
  constructor(private readonly db: Database.Database) {}
  async executeRaw(text: string): Promise<void> {
    this.db.exec(text);
  }
  async query<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.db.prepare(q.sql);
    const params = q.parameters.map(bindable);
    if (stmt.reader) return { rows: stmt.all(...params) as R[], affected: 0, insertId: null };
    const r = stmt.run(...params);
    return { rows: [], affected: r.changes, insertId: Number(r.lastInsertRowid) };
  }
  async begin() {
    // IMMEDIATE takes the write lock now: a second writer waits (busy_timeout) instead of failing at commit.
    this.db.exec('BEGIN IMMEDIATE');
  }
  async commit() {
    this.db.exec('COMMIT');
  }
  async rollback() {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }
  setBusyTimeout(ms: number) {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.round(ms))}`);
  }
  async close() {
    if (this.db.open) this.db.close();
  }
}

const NON_TRANSACTIONAL: [RegExp, string][] = [
  [/^VACUUM\b/i, 'VACUUM cannot run inside a transaction'],
  [/^PRAGMA\s+(main\.)?foreign_keys\b/i, 'PRAGMA foreign_keys does nothing inside a transaction (SQLite ignores it there)'],
  [/^PRAGMA\s+(\w+\.)?journal_mode\b/i, 'the journal mode cannot change inside a transaction'],
  [/^ATTACH\b/i, 'ATTACH cannot run inside a transaction'],
  [/^DETACH\b/i, 'DETACH cannot run inside a transaction'],
];

export class SqliteMigrationAdapter implements MigrationAdapter {
  readonly lexRules = sqliteLexRules;
  readonly identifiers = sqliteIdentifiers;
  readonly transactionalDdl = true;
  readonly supportsReturning = true;
  readonly leaseHeartbeat = 'inline' as const;
  readonly endSessionEffect = 'deletes the lock row; SQLite has no sessions to end';
  readonly explainer = sqliteExplainer;
  nothingAppliedBecause = nothingAppliedWords;

  /** SQLite keeps the declared type as written: only spacing and case differ (the designer's rule). */
  readonly normalizeType = sqliteDesignRules.normalizeType;

  async columnTypes(c: MigrationConnection, table: string): Promise<{ name: string; type: string; nullable: boolean }[] | null> {
    const { rows } = await c.query<{ name: string; type: string; nn: number }>(
      sql`SELECT p.name AS name, p.type AS type, p."notnull" AS nn FROM sqlite_schema m, pragma_table_info(m.name) p
           WHERE m.type = 'table' AND lower(m.name) = ${table.toLowerCase()} ORDER BY p.cid`.compile(this.compiler),
    );
    return rows.length ? rows.map((r) => ({ name: r.name, type: r.type, nullable: Number(r.nn) === 0 })) : null;
  }

  readonly transactionModel =
    'Each migration runs in its own transaction, begun with BEGIN IMMEDIATE so it holds the write lock from its first statement: when a statement fails, nothing of that migration stays applied. Statements that cannot run inside a transaction (VACUUM, PRAGMA foreign_keys…) run alone, and the plan marks them.';
  sessionLockDescription(): string {
    return 'SQLite has no session locks.';
  }
  lockTimeoutAdvice(error: unknown): string | null {
    return /^SQLITE_BUSY/.test(String((error as { code?: string })?.code ?? '')) ? 'It waited longer than the lock timeout for a lock on the table: other sessions were using it. Nothing queued behind it. Retry when traffic is lower, or raise the lock timeout in the migration settings.' : null;
  }
  readonly compiler = new Kysely<SchemalessDatabase>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });

  constructor(private readonly file: string) {}

  nowMs() {
    return sql<number>`CAST(unixepoch('subsec') * 1000 AS INTEGER)`;
  }

  async openConnection(): Promise<MigrationConnection> {
    let db: Database.Database;
    try {
      db = openSqlite(this.file, { fileMustExist: true, timeout: 5000 });
    } catch (err) {
      throw new CoreError('connection-failed', `Cannot open "${this.file}": ${(err as Error).message}`);
    }
    db.defaultSafeIntegers(true);
    db.pragma('foreign_keys = ON');
    return new SqliteMigrationConnection(db);
  }

  async describeTarget(c: MigrationConnection): Promise<MigrationTarget> {
    const { rows } = await c.query<{ v: string }>(CompiledQuery.raw('SELECT sqlite_version() AS v'));
    const v = rows[0]!.v;
    const [major = '3', minor = '0'] = v.split('.');
    return { database: basename(this.file), schema: null, serverVersion: v, serverMajor: Number(`${major}.${minor}`), dbUser: null, galera: null };
  }

  sessionSettings(s: MigrationSettings): PlanSetting[] {
    return [
      {
        name: 'busy_timeout',
        value: `${s.lockTimeoutSeconds} s`,
        why: 'How long a statement waits for another writer to finish before it fails (SQLite locks the whole file for writing).',
      },
      { name: 'statement timeout', value: 'not available', why: 'SQLite cannot interrupt a statement from outside; cancel takes effect between statements.' },
    ];
  }

  async applySessionSettings(c: MigrationConnection, s: MigrationSettings): Promise<void> {
    (c as SqliteMigrationConnection).setBusyTimeout(s.lockTimeoutSeconds * 1000);
  }

  nonTransactionalReason(statement: SqlStatement): string | null {
    for (const [re, why] of NON_TRANSACTIONAL) if (re.test(statement.skeleton)) return why;
    return null;
  }

  lint(): DialectLintFinding[] {
    return [];
  }

  historyTableDdl(table: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${quoteSqliteIdent(table)} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        version TEXT NOT NULL,
        name TEXT NOT NULL,
        action TEXT NOT NULL,
        status TEXT NOT NULL,
        checksum TEXT,
        statement_hashes TEXT,
        statements_applied INTEGER NOT NULL DEFAULT 0,
        statements_total INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        duration_ms INTEGER,
        error TEXT,
        error_statement INTEGER,
        error_sql TEXT,
        db_user TEXT,
        os_user TEXT,
        client_host TEXT,
        app_version TEXT,
        folder_format TEXT,
        single_transaction INTEGER NOT NULL DEFAULT 0,
        note TEXT
      )`,
      `CREATE INDEX IF NOT EXISTS ${quoteSqliteIdent(`${table}_version`)} ON ${quoteSqliteIdent(table)} (version)`,
    ];
  }

  toolTableDdl(tool: RunnableFormat, table: string): string[] {
    return sqliteToolTableDdl(tool, table);
  }

  lockTableDdl(table: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${quoteSqliteIdent(table)} (
        id INTEGER PRIMARY KEY,
        token TEXT,
        holder TEXT,
        session_id TEXT,
        host TEXT,
        pid INTEGER,
        acquired_at TEXT,
        expires_at_ms INTEGER
      )`,
    ];
  }

  async listTables(c: MigrationConnection, names: string[]): Promise<TableColumns[]> {
    const { rows } = await c.query<{ t: string; c: string }>(
      sql`SELECT m.name AS t, lower(p.name) AS c FROM sqlite_schema m, pragma_table_info(m.name) p
           WHERE m.type = 'table' AND lower(m.name) IN (${sql.join(names.map((n) => n.toLowerCase()))})
           ORDER BY m.name, p.cid`.compile(this.compiler),
    );
    const out = new Map<string, TableColumns>();
    for (const r of rows) {
      const t = out.get(r.t) ?? { schema: null, name: r.t, columns: [] };
      t.columns.push(r.c);
      out.set(r.t, t);
    }
    return [...out.values()];
  }

  lockStrategy(_target: MigrationTarget, forced?: LockStrategy): LockStrategy {
    return forced ?? 'lease-row';
  }

  async trySessionLock(): Promise<boolean> {
    throw new CoreError('unsupported', 'SQLite has no session locks; DB Desk uses a lease row.');
  }
  async releaseSessionLock(): Promise<void> {}
  async sessionLockHolder(): Promise<SessionLockHolder | null> {
    return null;
  }
  async endSession(): Promise<void> {
    throw new CoreError('unsupported', 'SQLite has no sessions to end.');
  }
}
