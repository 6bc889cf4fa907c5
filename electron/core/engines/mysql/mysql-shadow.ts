import { CompiledQuery } from 'kysely';
import { ShadowRefusedError, type ShadowPort } from '../../../../features/migrations/core/shadow/shadow-port';
import type { MigrationConnection } from '../../../../features/migrations/core/migration-adapter';

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

async function withConnection<T>(open: () => Promise<MigrationConnection>, fn: (conn: MigrationConnection) => Promise<T>): Promise<T> {
  const conn = await open();
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

interface Objects {
  tables: { name: string; type: string }[];
  routines: { name: string; type: string }[];
  events: string[];
}

/** Everything in the connection's database (DATABASE()): tables, views, sequences, routines, events. */
async function objectsIn(conn: MigrationConnection): Promise<Objects> {
  const tables = await conn.query<{ name: string; type: string }>(CompiledQuery.raw('SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()'));
  const routines = await conn.query<{ name: string; type: string }>(CompiledQuery.raw('SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()'));
  const events = await conn.query<{ name: string }>(CompiledQuery.raw('SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()'));
  return { tables: tables.rows, routines: routines.rows, events: events.rows.map((e) => e.name) };
}

/** Drops every object of the connection's database, keeping the database (and the grants on it). */
async function empty(conn: MigrationConnection): Promise<void> {
  const o = await objectsIn(conn);
  await conn.executeRaw('SET foreign_key_checks = 0');
  for (const t of o.tables) {
    const what = t.type === 'VIEW' ? 'VIEW' : t.type === 'SEQUENCE' ? 'SEQUENCE' : 'TABLE';
    await conn.executeRaw(`DROP ${what} IF EXISTS ${quote(t.name)}`);
  }
  for (const r of o.routines) await conn.executeRaw(`DROP ${r.type === 'PROCEDURE' ? 'PROCEDURE' : 'FUNCTION'} IF EXISTS ${quote(r.name)}`);
  for (const e of o.events) await conn.executeRaw(`DROP EVENT IF EXISTS ${quote(e)}`);
}

/**
 * MySQL/MariaDB shadows: a schema is a database there, so a temporary database on the live server
 * with the live database's character set and collation (CREATE privilege on it); with a shadow URL,
 * the database it names — used only when empty, and emptied afterwards.
 */
export const mysqlShadow: ShadowPort = {
  async createTemporary(live, open, name) {
    await withConnection(open, async (conn) => {
      // Tables that name no character set take the database's: the shadow must have the live one's.
      const { rows } = await conn.query<{ cs: string; co: string }>(CompiledQuery.raw('SELECT @@character_set_database AS cs, @@collation_database AS co'));
      const cs = rows[0];
      const charset = cs && /^\w+$/.test(cs.cs) && /^\w+$/.test(cs.co) ? ` CHARACTER SET ${cs.cs} COLLATE ${cs.co}` : '';
      await conn.executeRaw(`CREATE DATABASE ${quote(name)}${charset}`);
    });
    return {
      config: { ...live, database: name, readOnly: false },
      schema: name,
      description: `temporary database ${name}`,
      name,
      drop: async () => {
        await withConnection(open, (conn) => conn.executeRaw(`DROP DATABASE IF EXISTS ${quote(name)}`));
      },
    };
  },

  async useConfigured(config, open) {
    const database = config.database ?? '';
    if (!database) throw new ShadowRefusedError('The shadow URL names no database: name an empty database DB Desk may use as the shadow.');
    await withConnection(open, async (conn) => {
      const o = await objectsIn(conn);
      const count = o.tables.length + o.routines.length + o.events.length;
      if (count > 0) {
        const some = [...o.tables.map((t) => t.name), ...o.routines.map((r) => r.name), ...o.events].slice(0, 5).join(', ');
        throw new ShadowRefusedError(`The shadow database ${database} is not empty (${count} object${count === 1 ? '' : 's'}: ${some}${count > 5 ? ', …' : ''}). DB Desk uses a configured shadow database only when it is empty, and empties it afterwards: name an empty database, never one with data.`);
      }
    });
    return {
      config: { ...config, readOnly: false },
      schema: database,
      description: `shadow database ${database}`,
      name: database,
      drop: () => withConnection(open, empty),
    };
  },

  async hold(open, name) {
    // A session in the shadow (PROCESSLIST's DB, seen by the same user) holding a lock named after it
    // (IS_USED_LOCK, seen by every user). Galera refuses GET_LOCK on some versions: the session is enough there.
    const conn = await open();
    await conn.query(CompiledQuery.raw('SELECT GET_LOCK(?, 0) AS got', [name])).catch(() => undefined);
    return () => conn.close();
  },

  async leftShadows(_live, open) {
    return withConnection(open, async (conn) => {
      // `_` matches any character here; the sweep checks the exact name.
      const { rows } = await conn.query<{ name: string; held: number | string }>(
        CompiledQuery.raw(`SELECT s.SCHEMA_NAME AS name,
                                  (IS_USED_LOCK(s.SCHEMA_NAME) IS NOT NULL OR EXISTS (SELECT 1 FROM information_schema.PROCESSLIST p WHERE p.DB = s.SCHEMA_NAME)) AS held
                             FROM information_schema.SCHEMATA s WHERE s.SCHEMA_NAME LIKE 'dbdesk_shadow_%'`),
      );
      return rows.map((r) => ({
        name: r.name,
        description: `temporary database ${r.name}`,
        held: Number(r.held) !== 0,
        drop: () => withConnection(open, (c) => c.executeRaw(`DROP DATABASE IF EXISTS ${quote(r.name)}`)),
      }));
    });
  },

  privilegeProblem(error, live) {
    const errno = (error as { errno?: unknown }).errno;
    // 1044: access denied to a database; 1227: the privilege is missing altogether.
    if (errno !== 1044 && errno !== 1227) return null;
    const user = live.user ?? 'this user';
    return [
      `${user} may not create databases on this server, and drift checks and rehearsals build their shadow in a temporary database named dbdesk_shadow_… (${(error as Error).message}).`,
      `Either grant it those databases (GRANT ALL ON \`dbdesk\\_shadow\\_%\`.* TO '${user}'@'…'),`,
      'or name an empty shadow database (--shadow-url, or "Shadow database URL" in the migration settings) where it has all privileges: the shadow is built there and the database emptied afterwards.',
    ].join(' ');
  },

  // AUTO_INCREMENT / rowid move past copied values by themselves.
  afterRowCopy: () => [],

  rowCopySession: ['SET foreign_key_checks = 0'],

  // shop.orders from the shadow is the live database's table.
  namedLiveSchema: 'live',
};
