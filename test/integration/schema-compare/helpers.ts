import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createMariadbDatabase, createPostgresDatabase, mariadbExec, MARIADB, POSTGRES, postgresExec, type TestDatabase } from '../../support/servers';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** The built `dbdesk` command, run as a user runs it. */
export function dbdesk(args: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/dbdesk.cjs', ...args], { encoding: 'utf8', timeout: options.timeout ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...options.env } }, (err, out, errOut) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: errOut });
    });
  });
}

function run(file: string, args: string[], input: string | null = null): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: errOut });
    });
    if (input !== null) child.stdin!.end(input);
  });
}

/** A database of one engine for a test: its URL for dbdesk, SQL run through the test's admin, the engine's own client. */
export interface Side {
  url: string;
  exec(sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Runs SQL text with the engine's own command-line client (psql, mariadb, sqlite3), stopping at the first error. */
  client(sql: string): Promise<CliResult>;
  drop(): Promise<void>;
}

export async function postgresSide(): Promise<Side> {
  const db: TestDatabase = await createPostgresDatabase();
  return {
    url: db.url,
    exec: async (sql) => void (await postgresExec(db.name, sql)),
    rows: async (sql) => (await postgresExec(db.name, sql)).rows as Record<string, unknown>[],
    client: (sql) => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', POSTGRES.host, '-p', String(POSTGRES.port), '-U', POSTGRES.user, '-d', db.name], sql),
    drop: () => db.drop(),
  };
}

export async function mariadbSide(): Promise<Side> {
  const db: TestDatabase = await createMariadbDatabase();
  return {
    url: db.url,
    exec: async (sql) => void (await mariadbExec(db.name, sql)),
    rows: async (sql) => (await mariadbExec(db.name, sql)) as Record<string, unknown>[],
    client: (sql) => run('mariadb', ['-h', MARIADB.host, '-P', String(MARIADB.port), '-u', MARIADB.user, '--default-character-set=utf8mb4', db.name], sql),
    drop: () => db.drop(),
  };
}

export async function sqliteSide(): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-compare-'));
  const file = join(dir, 'db.sqlite');
  new Database(file).close();
  const open = () => new Database(file);
  return {
    url: `sqlite:${file}`,
    exec: async (sql) => {
      const db = open();
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    rows: async (sql) => {
      const db = open();
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    client: (sql) => {
      const script = join(dir, `script-${Date.now()}.sql`);
      writeFileSync(script, sql);
      return run('sqlite3', ['-bail', file, `.read ${script}`]);
    },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
