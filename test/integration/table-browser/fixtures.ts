import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createMariadbDatabase, createPostgresDatabase, MARIADB, POSTGRES } from '../../support/servers';

/** The names a careless tool gets wrong: quotes, spaces, unicode, keywords, backticks. */
export const HOSTILE_TABLE = 'select "weird" table; --';
export const HOSTILE_COLUMNS = { id: 'id', spaced: 'with space', unicode: 'ünïcødé ☃' /* MariaDB identifiers stop at the BMP */, keyword: 'order', quote: "x'y", backtick: 'a`b' } as const;
/** Values that break string-built SQL. */
export const HOSTILE_VALUES = ["'; DROP TABLE x; --", '100%', 'a_b', 'back\\slash', "O'Reilly", 'emoji 🎉', '', null] as const;

export interface EngineFixture {
  engine: 'postgresql' | 'mariadb' | 'sqlite';
  /** The schema tables live in (PostgreSQL `public`, the MariaDB database, SQLite `main`). */
  schema: string;
  /** A URL a profile is saved from. */
  url: string;
  /** Runs SQL as the admin, outside DB Desk; `?` placeholders on every engine. */
  exec(sqlText: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Quotes an identifier the way the engine's own client would. */
  q(name: string): string;
  types: { int: string; bigint: string; text: string; decimal: string; bool: string; bytes: string; timestamp: string; timestamptz: string; json: string; float: string };
  drop(): Promise<void>;
}

function pgPlaceholders(sqlText: string): string {
  let i = 0;
  return sqlText.replace(/\?/g, () => `$${++i}`);
}

export async function postgresFixture(): Promise<EngineFixture> {
  const db = await createPostgresDatabase();
  const client = new pg.Client({ ...POSTGRES, database: db.name });
  // Exact text for the test's own reads too.
  client.setTypeParser(20, (v) => v);
  client.setTypeParser(1700, (v) => v);
  await client.connect();
  return {
    engine: 'postgresql',
    schema: 'public',
    url: db.url,
    exec: async (s, params = []) => (await client.query(pgPlaceholders(s), params)).rows,
    q: (n) => `"${n.replace(/"/g, '""')}"`,
    types: { int: 'integer', bigint: 'bigint', text: 'text', decimal: 'numeric(40,10)', bool: 'boolean', bytes: 'bytea', timestamp: 'timestamp', timestamptz: 'timestamptz', json: 'jsonb', float: 'double precision' },
    async drop() {
      await client.end().catch(() => undefined);
      await db.drop();
    },
  };
}

export async function mariadbFixture(): Promise<EngineFixture> {
  const db = await createMariadbDatabase();
  const conn = await mysql.createConnection({ ...MARIADB, database: db.name, charset: 'utf8mb4', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  return {
    engine: 'mariadb',
    schema: db.name,
    url: db.url,
    exec: async (s, params = []) => {
      const [rows] = await conn.query(s, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    q: (n) => '`' + n.replace(/`/g, '``') + '`',
    types: { int: 'int', bigint: 'bigint', text: 'text', decimal: 'decimal(40,10)', bool: 'tinyint(1)', bytes: 'longblob', timestamp: 'datetime(6)', timestamptz: 'timestamp(6) NULL', json: 'json', float: 'double' },
    async drop() {
      await conn.end().catch(() => undefined);
      await db.drop();
    },
  };
}

export async function sqliteFixture(): Promise<EngineFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-tb-'));
  const file = join(dir, 'test.db');
  const db = new Database(file);
  db.defaultSafeIntegers(true);
  return {
    engine: 'sqlite',
    schema: 'main',
    url: `sqlite:${file}`,
    exec: async (s, params = []) => {
      const stmt = db.prepare(s);
      const bound = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
      if (stmt.reader) return stmt.all(...bound) as Record<string, unknown>[];
      stmt.run(...bound);
      return [];
    },
    q: (n) => `"${n.replace(/"/g, '""')}"`,
    types: { int: 'INTEGER', bigint: 'INTEGER', text: 'TEXT', decimal: 'DECIMAL(40,10)', bool: 'BOOLEAN', bytes: 'BLOB', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ', json: 'JSON', float: 'REAL' },
    async drop() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const fixtures = [
  { engine: 'postgresql', create: postgresFixture },
  { engine: 'mariadb', create: mariadbFixture },
  { engine: 'sqlite', create: sqliteFixture },
] as const;

/** The hostile table: 250 rows whose values cycle through HOSTILE_VALUES. */
export async function createHostileTable(f: EngineFixture): Promise<void> {
  const c = HOSTILE_COLUMNS;
  const pk = f.engine === 'sqlite' ? 'INTEGER PRIMARY KEY' : `${f.types.bigint} PRIMARY KEY`;
  await f.exec(
    `CREATE TABLE ${f.q(HOSTILE_TABLE)} (${f.q(c.id)} ${pk}, ${f.q(c.spaced)} ${f.types.text}, ${f.q(c.unicode)} ${f.engine === 'mariadb' ? 'varchar(40)' : f.types.text} NOT NULL, ${f.q(c.keyword)} ${f.types.int} NOT NULL, ${f.q(c.quote)} ${f.types.decimal}, ${f.q(c.backtick)} ${f.types.bool})`,
  );
  for (let id = 1; id <= 250; id++) {
    await f.exec(`INSERT INTO ${f.q(HOSTILE_TABLE)} VALUES (?, ?, ?, ?, ?, ?)`, [id, HOSTILE_VALUES[id % HOSTILE_VALUES.length], `v${id % 10}`, id % 7, (id * 1.5).toFixed(1), id % 2 === 0]);
  }
}
