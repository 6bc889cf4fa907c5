import type { ExplainedError } from '../../../shared/model/explained-error';
import type { FilterGroup } from '../../../shared/model/table-query';
import { openTab } from '../../../renderer/src/app/tabs';
import { equalityFilter } from './filter/filter-model';

/**
 * What a refused statement's explanation lets the user open, shared by the table browser's problem
 * list and the SQL editor's results: the row that already holds a unique key, the referenced table
 * filtered to a missing key, the rows that still point at a row whose delete was refused.
 */
export interface OpenTarget {
  label: string;
  /** What it opens, said in full (a tooltip). */
  description: string;
  table: { schema: string; name: string };
  filter: FilterGroup;
  /** The tab's title: `members (email) = (ada@example.com)`. */
  title: string;
}

/** Kinds whose definition is the column's declared type, not a constraint of its own. */
export const COLUMN_RULES = new Set<ExplainedError['kind']>(['not-null', 'too-long', 'out-of-range', 'invalid-value']);

/** A key as `(email) = (ada@example.com)`. */
export function keyText(key: NonNullable<ExplainedError['key']>): string {
  return `(${key.columns.join(', ')}) = (${key.values.map((v) => (v === null ? 'NULL' : v)).join(', ')})`;
}

/**
 * What opening the conflicting, missing or referencing row means for this error, when it can be
 * opened: the key's values are known and name every column of it. `here`: the table the error is
 * about (the table browser's tab; the SQL editor's explanation names it).
 */
export function openTarget(e: ExplainedError, here: { schema: string; name: string }): OpenTarget | null {
  const key = e.key;
  if (!key || key.values.length === 0 || key.values.some((v) => v === null)) return null;
  if (e.kind === 'unique') {
    const columns = key.columns.length === key.values.length ? key.columns : e.columns;
    const filter = columns.length === key.values.length ? equalityFilter(columns, key.values) : null;
    const title = `${here.name} ${keyText({ columns, values: key.values })}`;
    return filter ? { label: 'Open the existing row', description: `Open the row of ${title} that already holds this key`, table: here, filter, title } : null;
  }
  if (e.kind === 'foreign-key' && e.otherTable && e.otherTable.columns.length === key.values.length) {
    const table = { schema: e.otherTable.schema ?? here.schema, name: e.otherTable.name };
    const filter = equalityFilter(e.otherTable.columns, key.values);
    if (!filter) return null;
    const title = `${table.name} ${keyText({ columns: e.otherTable.columns, values: key.values })}`;
    return e.direction === 'referenced'
      ? { label: `Open the rows of ${table.name} that point here`, description: `Open ${title}: the rows that still point at this one`, table, filter, title }
      : { label: 'Open the referenced table', description: `Open ${title}: no row there has this key yet`, table, filter, title };
  }
  return null;
}

/** Opens a table in a tab of its own, filtered (following a foreign key, or to the row an error names). */
export function openFilteredTable(profileId: string, table: { schema: string; name: string }, filter: FilterGroup, title: string): void {
  openTab({ id: `table:${profileId}:${table.schema}.${table.name}:${JSON.stringify(filter)}`, kind: 'table', title, profileId, params: { schema: table.schema, name: table.name, filter } });
}
