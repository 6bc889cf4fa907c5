import type { IdentifierRules } from '../../../../shared/sql/identifier-rules';

/**
 * MySQL and MariaDB keep a name as written, quoted or not (`Customer` stays `Customer`). Whether
 * `Customer` and `customer` are one table depends on lower_case_table_names (0 on Linux: two; 1 and 2:
 * one) and columns never differ by case: names compare without case, and where the exact table matters
 * (its size) the adapter prefers the table whose name matches exactly.
 */
export const mysqlIdentifiers: IdentifierRules = { unquoted: 'as-written', caseInsensitive: true };

/**
 * The catalog rows (read with `LOWER(TABLE_NAME) = …`) of the table a statement names: the table spelled
 * exactly so, else — only where lower_case_table_names (`lc`) is 1 or 2 — the one spelled another way.
 */
export function rowsOfTable<R>(rows: R[], name: string, tableOf: (row: R) => string, lc: number): R[] {
  const exact = rows.filter((r) => tableOf(r) === name);
  if (exact.length > 0 || lc === 0) return exact;
  return rows.filter((r) => tableOf(r).toLowerCase() === name.toLowerCase());
}
