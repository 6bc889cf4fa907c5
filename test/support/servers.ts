import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** The machine's servers (DESIGN.md › Testing). A missing server fails the test with a way to fix it. */
export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' } as const;
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' } as const;

export function randomName(prefix = 'dbdesk_t'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

function unreachable(what: string, start: string, err: unknown): Error {
  return new Error(`${what} is not reachable (${(err as Error).message}). Start it with: ${start}`);
}

export async function postgresAdmin(): Promise<pg.Client> {
  const client = new pg.Client({ ...POSTGRES, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw unreachable('PostgreSQL at 127.0.0.1:5432', 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start', err);
  }
  return client;
}

export async function mariadbAdmin(): Promise<mysql.Connection> {
  try {
    return await mysql.createConnection({ ...MARIADB, connectTimeout: 5000, multipleStatements: true });
  } catch (err) {
    throw unreachable('MariaDB at 127.0.0.1:3306', 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd', err);
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database with a random name; drop() removes it (and kicks its sessions). */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = randomName();
  const admin = await postgresAdmin();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `postgres://${POSTGRES.user}@${POSTGRES.host}:${POSTGRES.port}/${name}?sslmode=disable`,
    async drop() {
      const a = await postgresAdmin();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** A fresh MariaDB database with a random name; drop() removes it. */
export async function createMariadbDatabase(): Promise<TestDatabase> {
  const name = randomName();
  const admin = await mariadbAdmin();
  try {
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `mariadb://${MARIADB.user}@${MARIADB.host}:${MARIADB.port}/${name}?sslmode=disable`,
    async drop() {
      const a = await mariadbAdmin();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Runs SQL in a test database as the admin user. */
export async function postgresExec(database: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ ...POSTGRES, database });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export async function mariadbExec(database: string, sql: string, params: unknown[] = []): Promise<unknown> {
  const conn = await mysql.createConnection({ ...MARIADB, database, multipleStatements: true, charset: 'utf8mb4' });
  try {
    const [rows] = await conn.query(sql, params);
    return rows;
  } finally {
    await conn.end();
  }
}
