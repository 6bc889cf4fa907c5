import { CompiledQuery } from 'kysely';
import type { ShadowPort } from '../../../../features/migrations/core/shadow/shadow-port';
import type { MigrationConnection } from '../../../../features/migrations/core/migration-adapter';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function withConnection<T>(open: () => Promise<MigrationConnection>, fn: (conn: MigrationConnection) => Promise<T>): Promise<T> {
  const conn = await open();
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

/** Drops a temporary shadow database, ending the sessions still in it. */
async function dropDatabase(open: () => Promise<MigrationConnection>, name: string): Promise<void> {
  await withConnection(open, async (conn) => {
    const { rows } = await conn.query<{ v: string }>(CompiledQuery.raw("SELECT current_setting('server_version_num') AS v"));
    // No new session gets in while it goes (a run being stopped may still reconnect to record its failure).
    await conn.executeRaw(`ALTER DATABASE ${quote(name)} WITH ALLOW_CONNECTIONS false`).catch(() => undefined);
    // FORCE (13+) ends sessions still connected to it (a cancelled read's pool may linger a moment).
    const force = Number(rows[0]?.v ?? 0) >= 130000 ? ' WITH (FORCE)' : '';
    await conn.executeRaw(`DROP DATABASE IF EXISTS ${quote(name)}${force}`);
  });
}

/**
 * PostgreSQL shadows: a temporary database on the live server (CREATE DATABASE, so the role needs
 * CREATEDB), or — with a shadow URL — a schema of its own inside the database the URL names (the role
 * needs CREATE on that database), its sessions' search_path set to it.
 */
export const postgresShadow: ShadowPort = {
  async createTemporary(live, open, name) {
    // template0: nothing anyone added to template1 leaks in, and no wait while someone is connected to template1.
    await withConnection(open, (conn) => conn.executeRaw(`CREATE DATABASE ${quote(name)} TEMPLATE template0`));
    return {
      config: { ...live, database: name, readOnly: false },
      schema: 'public',
      description: `temporary database ${name}`,
      name,
      drop: () => dropDatabase(open, name),
    };
  },

  async useConfigured(config, open, name) {
    await withConnection(open, (conn) => conn.executeRaw(`CREATE SCHEMA ${quote(name)}`));
    const database = config.database ?? '';
    return {
      config: { ...config, searchPath: name, readOnly: false },
      schema: name,
      description: `schema ${name} in the shadow database ${database}`,
      name,
      drop: async () => {
        await withConnection(open, (conn) => conn.executeRaw(`DROP SCHEMA IF EXISTS ${quote(name)} CASCADE`));
      },
    };
  },

  async hold(open) {
    // A session in the shadow database is what the sweep's pg_stat_activity sees.
    const conn = await open();
    return () => conn.close();
  },

  async leftShadows(_live, open) {
    return withConnection(open, async (conn) => {
      // Only this role's databases; `_` matches any character here, the sweep checks the exact name.
      const { rows } = await conn.query<{ name: string; held: boolean }>(
        CompiledQuery.raw(`SELECT d.datname AS name, EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname) AS held
                             FROM pg_database d
                            WHERE d.datname LIKE 'dbdesk_shadow_%' AND d.datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)`),
      );
      return rows.map((r) => ({ name: r.name, description: `temporary database ${r.name}`, held: r.held, drop: () => dropDatabase(open, r.name) }));
    });
  },

  privilegeProblem(error, live) {
    const code = (error as { code?: unknown }).code;
    if (code !== '42501') return null;
    const user = live.user ?? 'this role';
    return [
      `${user} may not create databases on this PostgreSQL server, and drift checks and rehearsals build their shadow in a temporary database (${(error as Error).message}).`,
      `Either give the role the CREATEDB attribute (ALTER ROLE ${quote(user)} CREATEDB),`,
      `or name a shadow database (--shadow-url, or "Shadow database URL" in the migration settings) where the role may create a schema (GRANT CREATE ON DATABASE shadow TO ${quote(user)}): the shadow is built in a schema of its own there and dropped afterwards.`,
    ].join(' ');
  },

  // public.orders in a shadow database URL's schema goes to that database's public.
  namedLiveSchema: 'outside',

  rowCopySession: [],

  afterRowCopy(table, columns) {
    // Serial and identity columns own their sequence; setval(NULL) (an empty column) changes nothing.
    const generated = columns.filter((c) => c.autoIncrement || c.identity || /^nextval\(/i.test(c.default ?? '')).map((c) => c.name);
    return generated.map((column) => ({
      sql: `SELECT setval(pg_get_serial_sequence($1, $2), (SELECT max(${quote(column)}) FROM ${quote(table)}))`,
      parameters: [quote(table), column],
    }));
  },
};
