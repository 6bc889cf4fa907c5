import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { DesignObject } from '../../../../features/designer/shared/model';
import { sqlString } from '../../../../features/designer/core/ddl-common';
import { quoteMysqlIdent as q } from './mysql-types';
import { backquotedNames, withoutOwnSchema } from './mysql-sql-text';

const object = (o: Partial<DesignObject> & Pick<DesignObject, 'kind' | 'name' | 'definition'>): DesignObject => ({
  signature: null,
  table: null,
  comment: null,
  values: null,
  attributes: {},
  dependsOn: [],
  ...o,
});

/**
 * Reads a database's views, triggers, functions, procedures and (MariaDB) sequences for schema compare.
 * Definers are left out (the DDL runs as whoever applies it), and the database's own name is taken
 * out of view texts, which MySQL and MariaDB store fully qualified.
 */
export async function readMysqlObjects(pool: Pool, schema: string, flavour: 'mysql' | 'mariadb', tableNames: readonly string[]): Promise<DesignObject[]> {
  const rows = async (sql: string) => (await pool.query<RowDataPacket[]>(sql, [schema]))[0];
  const out: DesignObject[] = [];

  for (const v of await rows(
    `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS def, CHECK_OPTION AS chk, SECURITY_TYPE AS sec
       FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
  )) {
    const name = String(v.name);
    const body = withoutOwnSchema(String(v.def ?? ''), schema);
    const check = String(v.chk ?? 'NONE').toUpperCase();
    const security = String(v.sec ?? 'DEFINER').toUpperCase() === 'INVOKER' ? 'SQL SECURITY INVOKER ' : '';
    const suffix = check === 'CASCADED' ? ' WITH CASCADED CHECK OPTION' : check === 'LOCAL' ? ' WITH LOCAL CHECK OPTION' : '';
    out.push(object({ kind: 'view', name, definition: `CREATE ${security}VIEW ${q(name)} AS ${body}${suffix}`, attributes: { body, security, check: suffix } }));
  }

  const params = new Map<string, string[]>();
  for (const p of await rows(
    `SELECT SPECIFIC_NAME AS name, ROUTINE_TYPE AS type, PARAMETER_MODE AS mode, PARAMETER_NAME AS pname, DTD_IDENTIFIER AS dtd
       FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ? AND ORDINAL_POSITION > 0 ORDER BY SPECIFIC_NAME, ORDINAL_POSITION`,
  )) {
    const key = `${String(p.type)}:${String(p.name)}`;
    const mode = String(p.type) === 'PROCEDURE' && p.mode ? `${String(p.mode)} ` : '';
    params.set(key, [...(params.get(key) ?? []), `${mode}${q(String(p.pname))} ${String(p.dtd)}`]);
  }
  for (const r of await rows(
    `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type, DTD_IDENTIFIER AS returns, ROUTINE_DEFINITION AS body,
            IS_DETERMINISTIC AS det, SQL_DATA_ACCESS AS access, SECURITY_TYPE AS sec, ROUTINE_COMMENT AS comment
       FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE, ROUTINE_NAME`,
  )) {
    const name = String(r.name);
    const type = String(r.type);
    const fn = type === 'FUNCTION';
    const comment = r.comment ? String(r.comment) : null;
    const traits = [
      String(r.det) === 'YES' ? 'DETERMINISTIC' : null,
      String(r.access ?? 'CONTAINS SQL').toUpperCase() !== 'CONTAINS SQL' ? String(r.access).toUpperCase() : null,
      String(r.sec ?? 'DEFINER').toUpperCase() === 'INVOKER' ? 'SQL SECURITY INVOKER' : null,
      comment !== null ? `COMMENT ${sqlString(comment, true)}` : null,
    ].filter((x): x is string => x !== null);
    const head = `CREATE ${type} ${q(name)}(${(params.get(`${type}:${name}`) ?? []).join(', ')})${fn ? ` RETURNS ${String(r.returns)}` : ''}`;
    const definition = [head, ...traits, String(r.body ?? '')].join('\n');
    out.push(object({ kind: fn ? 'function' : 'procedure', name, definition, comment, dependsOn: [] }));
  }

  for (const t of await rows(
    `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_STATEMENT AS body
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
  )) {
    const name = String(t.name);
    const table = String(t.tbl);
    const definition = `CREATE TRIGGER ${q(name)} ${String(t.timing)} ${String(t.event)} ON ${q(table)} FOR EACH ROW ${String(t.body)}`;
    out.push(object({ kind: 'trigger', name, table, definition, dependsOn: [table] }));
  }

  if (flavour === 'mariadb') {
    for (const s of await rows(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME`)) {
      const name = String(s.name);
      const [created] = await pool.query<RowDataPacket[]>(`SHOW CREATE SEQUENCE ${q(schema)}.${q(name)}`);
      const text = String(Object.values(created[0] ?? {})[1] ?? '');
      // `CREATE SEQUENCE `sq` start with 5 minvalue 1 … nocycle ENGINE=InnoDB`: the options are what a change alters.
      const options = text.replace(/^CREATE SEQUENCE\s+(`(?:[^`]|``)*`\.)?`(?:[^`]|``)*`\s*/i, '').replace(/\s*ENGINE=\w+.*$/i, '');
      out.push(object({ kind: 'sequence', name, definition: `CREATE SEQUENCE ${q(name)} ${options}`, attributes: { options } }));
    }
  }

  // Views name the tables and views they read; ordering creates and drops needs to know which.
  const names = new Set([...tableNames, ...out.filter((o) => o.kind === 'view' || o.kind === 'function').map((o) => o.name)]);
  for (const o of out) {
    if (o.kind !== 'view') continue;
    o.dependsOn = [...new Set(backquotedNames(o.attributes.body ?? '').filter((n) => names.has(n) && n !== o.name))];
  }
  return out;
}
