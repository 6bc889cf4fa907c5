import { sqlString } from '../../../../features/designer/core/ddl-common';

/**
 * A column's default as information_schema.COLUMNS reports it, turned into the SQL a DEFAULT clause
 * takes (null: no default). MariaDB (10.2.7+) reports SQL already — a quoted literal, an expression,
 * or the text NULL for none. MySQL reports a literal's bare value and marks expressions
 * DEFAULT_GENERATED, so a text-like literal is quoted here with the DDL's own sqlString (backslashes
 * escaped too, as MySQL reads them), and a value holding `\` or `'` comes back exactly.
 *
 * `parenthesise`: MySQL's expression defaults as `(expr)`, the form CREATE TABLE needs (the designer);
 * the table view shows them as reported.
 */
export function mysqlColumnDefault(raw: string | null, flavour: 'mysql' | 'mariadb', column: { baseType: string; extra: string }, parenthesise: boolean): string | null {
  if (raw === null) return null;
  if (flavour === 'mariadb') return raw === 'NULL' ? null : raw;
  if (column.extra.includes('default_generated')) return parenthesise && !/^current_timestamp/i.test(raw) ? `(${raw})` : raw;
  if (/char|text|enum|set|date|time|json|blob|binary/.test(column.baseType) && !/^current_timestamp/i.test(raw)) return sqlString(raw, true);
  return raw;
}
