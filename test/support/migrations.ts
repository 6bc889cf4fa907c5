import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { createMariadbDatabase, createPostgresDatabase, mariadbExec, postgresExec, type TestDatabase } from './servers';

/** A temporary folder holding the given files (name → text); remove() deletes it. */
export function migrationFolder(files: Record<string, string> = {}): { dir: string; write(name: string, text: string): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-migrations-'));
  const write = (name: string, text: string) => {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function dbmateFile(up: string, down = ''): string {
  return `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`node dist/cli.cjs …`) as its own process. */
export function runCli(args: string[], env: Record<string, string> = {}, onStdout?: (text: string) => void): { done: Promise<CliRun>; kill(): void; pid: number } {
  const child = spawn(process.execPath, ['dist/cli.cjs', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    onStdout?.(stdout);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { done, kill: () => child.kill('SIGKILL'), pid: child.pid! };
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, env).done;
}

/** One engine under test: a fresh database, a way to run admin SQL, and dialect bits for fixtures. */
export interface EngineUnderTest {
  name: 'postgresql' | 'mariadb' | 'sqlite';
  create(): Promise<TestDatabase & { exec(sql: string): Promise<unknown>; query(sql: string): Promise<Record<string, unknown>[]> }>;
  /** A statement that takes about `seconds` to run. */
  slow(seconds: number): string;
  /** SQL that fails at run time (a table that does not exist). */
  failing: string;
  transactionalDdl: boolean;
}

export const postgresUnderTest: EngineUnderTest = {
  name: 'postgresql',
  async create() {
    const db = await createPostgresDatabase();
    return {
      ...db,
      exec: (sql: string) => postgresExec(db.name, sql),
      query: async (sql: string) => (await postgresExec(db.name, sql)).rows as Record<string, unknown>[],
    };
  },
  slow: (s) => `SELECT pg_sleep(${s})`,
  failing: 'INSERT INTO no_such_table VALUES (1)',
  transactionalDdl: true,
};

export const mariadbUnderTest: EngineUnderTest = {
  name: 'mariadb',
  async create() {
    const db = await createMariadbDatabase();
    return {
      ...db,
      exec: (sql: string) => mariadbExec(db.name, sql),
      query: async (sql: string) => (await mariadbExec(db.name, sql)) as Record<string, unknown>[],
    };
  },
  slow: (s) => `SELECT SLEEP(${s})`,
  failing: 'INSERT INTO no_such_table VALUES (1)',
  transactionalDdl: false,
};

export const sqliteUnderTest: EngineUnderTest = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-sqlite-mig-'));
    const file = join(dir, 'app.db');
    new Database(file).close();
    const run = <T>(fn: (db: Database.Database) => T): T => {
      const db = new Database(file, { timeout: 10_000 });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    };
    return {
      name: file,
      url: `sqlite:${file}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
      exec: async (sql: string) => run((db) => db.exec(sql)),
      query: async (sql: string) => run((db) => db.prepare(sql).all() as Record<string, unknown>[]),
    };
  },
  // SQLite has no sleep(): a recursive count keeps it busy for roughly this long.
  slow: (s) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${Math.round(s * 6_000_000)}) SELECT count(*) FROM c`,
  failing: 'INSERT INTO no_such_table VALUES (1)',
  transactionalDdl: true,
};

export const enginesUnderTest = [postgresUnderTest, mariadbUnderTest, sqliteUnderTest];

/** Fresh databases of one engine, each with its folder; cleanup() (in afterAll) drops and removes them all. */
export function scratchDatabases(engine: EngineUnderTest) {
  const made: { db: Awaited<ReturnType<EngineUnderTest['create']>>; folder: ReturnType<typeof migrationFolder> }[] = [];
  return {
    async fresh(files: Record<string, string>) {
      const pair = { db: await engine.create(), folder: migrationFolder(files) };
      made.push(pair);
      return pair;
    },
    async cleanup() {
      for (const { db, folder } of made) {
        await db.drop();
        folder.remove();
      }
    },
  };
}
