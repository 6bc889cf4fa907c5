import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FileMigrationProvider, Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, migrationFolder, sqliteUnderTest } from '../../support/migrations';

type Db = Awaited<ReturnType<typeof sqliteUnderTest.create>>;

interface StatusJson {
  format: string;
  migrations: { version: string; state: string; note?: string; error?: string }[];
  foreign: { tool: string; applied: number | null; latest: string | null }[];
}

const statusOf = async (db: Db, dir: string) => {
  const r = await cli(['migrate', 'status', '--json', '--url', db.url, '--dir', dir]);
  return { code: r.code, json: JSON.parse(r.stdout) as StatusJson };
};

/** A Kysely migration module as its docs write one (the JSDoc names Kysely's type). */
const kyselyModule = (table: string) => `/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
  await db.schema.createTable('${table}').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
  await db.schema.dropTable('${table}').execute();
}
`;

describe('Kysely and Prisma folders are shown in their tool’s terms, never run (SQLite)', () => {
  let db: Db;
  beforeAll(async () => (db = await sqliteUnderTest.create()));
  afterAll(async () => db?.drop());

  it('Kysely: its own Migrator applies the first module; DB Desk shows that state and refuses to run the rest', async () => {
    const folder = migrationFolder({ '2024_01_01_accounts.mjs': kyselyModule('accounts'), '2024_01_02_invoices.mjs': kyselyModule('invoices') });
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(db.name) }) });
    try {
      const migrator = new Migrator({ db: kysely, provider: new FileMigrationProvider({ fs, path: { join }, migrationFolder: folder.dir }) });
      const { error } = await migrator.migrateTo('2024_01_01_accounts');
      expect(error).toBeUndefined();
      const { json } = await statusOf(db, folder.dir);
      expect(json.format).toBe('kysely');
      expect(json.migrations.map((m) => [m.version, m.state])).toEqual([
        ['2024_01_01_accounts', 'applied'],
        ['2024_01_02_invoices', 'pending'],
      ]);
      expect(json.foreign).toEqual([expect.objectContaining({ tool: 'kysely', applied: 1, latest: '2024_01_01_accounts' })]);
      const up = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir]);
      expect(up.code).toBe(1);
      expect(up.stdout).toMatch(/Kysely migrations \(TypeScript\/JavaScript modules\)[\s\S]*Kysely Migrator/);
      // Refused before anything was written: not even DB Desk's own tables.
      expect(await db.query("SELECT name FROM sqlite_master WHERE name LIKE 'dbdesk%'")).toEqual([]);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect((await statusOf(db, folder.dir)).json.migrations.map((m) => m.state)).toEqual(['applied', 'applied']);
    } finally {
      await kysely.destroy();
      folder.remove();
    }
  });

  it('Prisma: finished rows are applied, an unfinished one failed, an edited migration.sql found by Prisma’s checksum', async () => {
    const init = 'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY);\n';
    const folder = migrationFolder({
      'migration_lock.toml': 'provider = "sqlite"\n',
      '20240101000000_init/migration.sql': init,
      '20240102000000_posts/migration.sql': 'CREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY);\n',
      '20240103000000_tags/migration.sql': 'CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY);\n',
    });
    try {
      // _prisma_migrations as the schema engine creates it on SQLite, with one finished and one failed attempt.
      const sha = (t: string) => createHash('sha256').update(t).digest('hex');
      await db.exec(`CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
          "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0);
        INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('a', '${sha(init)}', '2024-01-01 00:00:00', '20240101000000_init', 1);
        INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs) VALUES ('b', '${sha('x')}', NULL, '20240102000000_posts', 'table Post already exists');`);
      const before = await statusOf(db, folder.dir);
      expect(before.json.format).toBe('prisma');
      expect(before.json.migrations.map((m) => [m.version, m.state])).toEqual([
        ['20240101000000_init', 'applied'],
        ['20240102000000_posts', 'failed'],
        ['20240103000000_tags', 'pending'],
      ]);
      expect(before.json.migrations[1]!.error).toMatch(/finished_at is empty[\s\S]*prisma migrate resolve/);
      expect(before.code).toBe(1);
      // The same file with Windows line ends still matches; a changed statement does not.
      folder.write('20240101000000_init/migration.sql', init.replace(/\n/g, '\r\n'));
      expect((await statusOf(db, folder.dir)).json.migrations[0]!.state).toBe('applied');
      folder.write('20240101000000_init/migration.sql', init.replace('INTEGER', 'BIGINT'));
      expect((await statusOf(db, folder.dir)).json.migrations[0]!.state).toBe('edited');
    } finally {
      folder.remove();
      await db.exec('DROP TABLE "_prisma_migrations"');
    }
  });
});
