import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlColumnDefault } from '../../../electron/core/engines/mysql/mysql-column-default';
import { createMariadbDatabase, MARIADB, type TestDatabase } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore } from '../../support/test-core';

/** Defaults a DEFAULT clause must carry back exactly: backslashes, both quotes, a trailing backslash. */
const values = ['a\\b', "it's", 'a\\\'b"c', 'C:\\new\\table', 'ends with \\', "''\\\\''", 'tab\tand \\t'];

/**
 * MySQL reports a text default's bare value in information_schema and DB Desk quotes it again; MariaDB
 * reports SQL. There is no MySQL server here, so MariaDB serves as the SQL reader both ways: it yields
 * the bare values MySQL would report, and it reads back the literals DB Desk writes for them.
 */
describe('MySQL/MariaDB column defaults keep backslashes and quotes', () => {
  let db: TestDatabase;
  let conn: mysql.Connection;
  let t: TestCore;
  beforeAll(async () => {
    db = await createMariadbDatabase();
    conn = await mysql.createConnection({ ...MARIADB, database: db.name, charset: 'utf8mb4' });
    // mysql2's own escaping writes the table: an oracle independent of DB Desk's code.
    const columns = values.map((v, i) => `c${i} varchar(64) NOT NULL DEFAULT ${conn.escape(v)}`).join(', ');
    await conn.query(`CREATE TABLE defaults_probe (id int PRIMARY KEY, ${columns})`);
    t = createTestCore();
  });
  afterAll(async () => {
    await t?.close();
    await conn?.end();
    await db?.drop();
  });

  /** What a literal means to the server. */
  const evaluate = async (literal: string) => ((await conn.query(`SELECT ${literal} AS v`))[0] as { v: string }[])[0]!.v;

  it("MySQL's bare values become literals the server reads back exactly (and in a table's DEFAULT)", async () => {
    const [rows] = await conn.query(`SELECT COLUMN_NAME AS name, COLUMN_DEFAULT AS dflt FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'defaults_probe' AND COLUMN_NAME <> 'id' ORDER BY ORDINAL_POSITION`, [db.name]);
    const literals: string[] = [];
    for (const [i, row] of (rows as { name: string; dflt: string }[]).entries()) {
      const bare = await evaluate(row.dflt); // what MySQL's information_schema says
      expect(bare).toBe(values[i]);
      const literal = mysqlColumnDefault(bare, 'mysql', { baseType: 'varchar', extra: '' }, true)!;
      expect(await evaluate(literal), literal).toBe(values[i]);
      literals.push(literal);
    }
    await conn.query(`CREATE TABLE defaults_copy (id int PRIMARY KEY, ${literals.map((l, i) => `c${i} varchar(64) NOT NULL DEFAULT ${l}`).join(', ')})`);
    await conn.query('INSERT INTO defaults_copy (id) VALUES (1)');
    const [copied] = await conn.query('SELECT * FROM defaults_copy');
    expect(values.map((_, i) => (copied as Record<string, string>[])[0]![`c${i}`])).toEqual(values);
  });

  it('the designer and the table view give MariaDB defaults that read back exactly', async () => {
    const w = t.openWindow();
    const id = await saveProfileFromUrl(w.client, db.url);
    const { connectionId } = await w.client.call('connections.open', { id });
    const { design } = await w.client.call('designer.open', { connectionId, schema: db.name });
    const designed = design.tables.find((x) => x.name === 'defaults_probe')!.columns.filter((c) => c.name !== 'id');
    const detail = await w.client.call('schema.table', { connectionId, table: { schema: db.name, name: 'defaults_probe' } });
    const shown = detail.columns.filter((c) => c.name !== 'id');
    for (const [i, v] of values.entries()) {
      expect(await evaluate(designed[i]!.default!)).toBe(v);
      expect(await evaluate(shown[i]!.defaultValue!)).toBe(v);
    }
    await w.close();
  });
});
