/**
 * How an engine reads a name written in SQL: what it stores for an unquoted name, and whether two
 * names that differ only in case are the same table. Each engine family declares its own
 * (electron/core/engines/<family>/<family>-identifiers.ts, asked through `Dialect.identifiers` and
 * `MigrationAdapter.identifiers`); code outside the engines only calls the functions below.
 */
export interface IdentifierRules {
  /** An unquoted name: PostgreSQL folds it to lower case; MySQL, MariaDB and SQLite keep it as written. Quoted names keep their case everywhere. */
  unquoted: 'fold-lower' | 'as-written';
  /**
   * Names differing only in case name one table (SQLite always; MySQL/MariaDB where lower_case_table_names
   * is 1 or 2, and for columns everywhere), or two (PostgreSQL, once folded).
   */
  caseInsensitive: boolean;
}

/**
 * The name the server gives an identifier as written: quotes ("", ``, []) removed and doubled quotes
 * undone; an unquoted name folded as the engine folds it. What a person should be shown.
 */
export function identifierName(written: string, rules: IdentifierRules): string {
  if (written.startsWith('"') && written.endsWith('"') && written.length > 1) return written.slice(1, -1).replace(/""/g, '"');
  if (written.startsWith('`') && written.endsWith('`') && written.length > 1) return written.slice(1, -1).replace(/``/g, '`');
  if (written.startsWith('[') && written.endsWith(']')) return written.slice(1, -1);
  return rules.unquoted === 'fold-lower' ? written.toLowerCase() : written;
}

/** What two names (as `identifierName` gives them) compare by: equal keys name the same table. */
export function identifierKey(name: string, rules: IdentifierRules): string {
  return rules.caseInsensitive ? name.toLowerCase() : name;
}
