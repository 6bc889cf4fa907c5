import { sql } from 'kysely';
import type { TableDetail } from '../../../../shared/model/schema';
import type { FilterCondition, FilterGroup, FilterValue, TableQuery, WindowSpec } from '../../../../shared/model/table-query';
import type { CellValue, ValueKind } from '../../../../shared/model/values';
import { CoreError } from '../../errors';
import type { KeyPart, RowKeys, Sql, TableDataDriver } from './table-data-driver';

/** Offsets from here on use the deferred join: the server skips rows reading only the key, then fetches the window's rows. */
export const DEFERRED_JOIN_MIN_OFFSET = 1000;
const OUTER = 'dbdesk_t';
const INNER = 'dbdesk_k';

export interface TableColumn {
  name: string;
  kind: ValueKind;
  notNull: boolean;
}

/** A table as the SQL builder needs it: quoted name, columns with kinds, row keys. */
export interface ResolvedTable {
  detail: TableDetail;
  name: Sql;
  columns: TableColumn[];
  keys: RowKeys;
  /** Hidden key parts (rowid, ctid) selected after the table's columns; their positions follow the columns. */
  hiddenParts: KeyPart[];
}

export function resolveTable(driver: TableDataDriver, detail: TableDetail): ResolvedTable {
  const columns = detail.columns.map((c) => ({ name: c.name, kind: c.kind, notNull: !c.nullable }));
  const keys = driver.rowKeys(detail);
  const hidden = new Map<string, KeyPart>();
  for (const p of [...keys.identityParts, ...keys.order.parts]) if (p.column === null) hidden.set(p.id, p);
  return { detail, name: sql.id(detail.schema, detail.name), columns, keys, hiddenParts: [...hidden.values()] };
}

export function column(t: ResolvedTable, name: string): TableColumn {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new CoreError('invalid-input', `The table "${t.detail.name}" has no column "${name}".`, { column: name });
  return c;
}

/** Where a key part's value sits in a selected row: a table column's index, or after the columns. */
export function partIndex(t: ResolvedTable, part: KeyPart): number {
  if (part.column !== null) return t.columns.findIndex((c) => c.name === part.column);
  return t.columns.length + t.hiddenParts.findIndex((p) => p.id === part.id);
}

export interface OrderTerm {
  part: KeyPart;
  desc: boolean;
}

export interface Ordering {
  terms: OrderTerm[];
  /** The order tells every row apart and no term can be NULL: keyset paging is exact. */
  keyset: boolean;
  /** The tiebreak is a unique key: the deferred join can find rows by it. */
  uniqueKey: boolean;
}

function columnPart(t: ResolvedTable, name: string): KeyPart {
  const c = column(t, name);
  return { id: `col:${c.name}`, column: c.name, expr: sql.id(c.name), qualified: (a) => sql.id(a, c.name), kind: c.kind, notNull: c.notNull };
}

/** The user's sort, then the table's order key as a tiebreak, so every window sees the same order. */
export function orderingOf(t: ResolvedTable, query: TableQuery): Ordering {
  const terms: OrderTerm[] = [];
  const seen = new Set<string>();
  for (const s of query.sort) {
    const part = columnPart(t, s.column);
    if (seen.has(part.id)) continue;
    seen.add(part.id);
    terms.push({ part, desc: s.direction === 'desc' });
  }
  for (const part of t.keys.order.parts) {
    if (seen.has(part.id)) continue;
    seen.add(part.id);
    terms.push({ part, desc: false });
  }
  const uniqueKey = t.keys.order.unique;
  return { terms, uniqueKey, keyset: uniqueKey && terms.length > 0 && terms.every((x) => x.part.notNull) };
}

function param(driver: TableDataDriver, value: unknown, kind: ValueKind): Sql {
  return sql`${driver.toParam(value, kind)}`;
}

/** `contains` matches literally: its own %, _ and the escape character are escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (ch) => `!${ch}`)}%`;
}

function conditionSql(driver: TableDataDriver, t: ResolvedTable, c: FilterCondition): Sql {
  const col = column(t, c.column);
  const ref = sql.id(col.name);
  const p = (v: FilterValue | undefined) => param(driver, v, col.kind);
  switch (c.operator) {
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return sql`${ref} ${sql.raw(c.operator)} ${p(c.value)}`;
    case 'like':
      return sql`${driver.textOf(ref)} LIKE ${String(c.value)}`;
    case 'not-like':
      return sql`${driver.textOf(ref)} NOT LIKE ${String(c.value)}`;
    case 'contains':
      return sql`${driver.textOf(ref)} ${sql.raw(driver.containsOperator)} ${containsPattern(String(c.value))} ESCAPE '!'`;
    case 'in':
      return sql`${ref} IN (${sql.join((c.values ?? []).map(p))})`;
    case 'not-in':
      return sql`${ref} NOT IN (${sql.join((c.values ?? []).map(p))})`;
    case 'between':
      return sql`${ref} BETWEEN ${p(c.value)} AND ${p(c.to)}`;
    case 'is-null':
      return sql`${ref} IS NULL`;
    case 'is-not-null':
      return sql`${ref} IS NOT NULL`;
  }
}

export function filterSql(driver: TableDataDriver, t: ResolvedTable, group: FilterGroup): Sql | null {
  const parts: Sql[] = [];
  for (const child of group.children) {
    const s = child.kind === 'group' ? filterSql(driver, t, child) : conditionSql(driver, t, child);
    if (s) parts.push(s);
  }
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return sql`(${sql.join(parts, sql.raw(group.combinator === 'and' ? ' AND ' : ' OR '))})`;
}

/**
 * The user's raw WHERE, in parentheses on lines of its own so a trailing `--` comment cannot
 * swallow what follows. A second statement smuggled in is refused by every driver (PostgreSQL's
 * extended protocol, MySQL without multi-statements, SQLite's prepare), and the drivers run it
 * in a read-only transaction besides.
 */
export function rawWhereSql(where: string | null): Sql | null {
  const text = where?.trim().replace(/;+\s*$/, '');
  if (!text) return null;
  return sql`(\n${sql.raw(text)}\n)`;
}

/**
 * Rows after (or before) a key in the given order: `t1 > v1 OR (t1 = v1 AND t2 > v2) …`,
 * led by `t1 >= v1` so the server can start an index range at the key.
 */
export function keysetSql(driver: TableDataDriver, terms: OrderTerm[], key: readonly CellValue[], direction: 'after' | 'before', qualify?: string): Sql {
  if (key.length !== terms.length) throw new CoreError('invalid-input', 'The window anchor does not match the order of this view; reload the view.');
  const ref = (term: OrderTerm) => (qualify ? term.part.qualified(qualify) : term.part.expr);
  const cmp = (term: OrderTerm, strict: boolean) => {
    const forward = (direction === 'after') !== term.desc;
    return sql.raw(forward ? (strict ? '>' : '>=') : strict ? '<' : '<=');
  };
  const v = (i: number) => param(driver, key[i], terms[i]!.part.kind);
  const alternatives: Sql[] = [];
  for (let i = 0; i < terms.length; i++) {
    const eqs = terms.slice(0, i).map((term, j) => sql`${ref(term)} = ${v(j)}`);
    const strict = sql`${ref(terms[i]!)} ${cmp(terms[i]!, true)} ${v(i)}`;
    alternatives.push(eqs.length ? sql`(${sql.join([...eqs, strict], sql.raw(' AND '))})` : strict);
  }
  const lead = sql`${ref(terms[0]!)} ${cmp(terms[0]!, false)} ${v(0)}`;
  return alternatives.length === 1 ? alternatives[0]! : sql`${lead} AND (${sql.join(alternatives, sql.raw(' OR '))})`;
}

export function conditionsOf(driver: TableDataDriver, t: ResolvedTable, query: TableQuery): Sql[] {
  const out: Sql[] = [];
  const f = query.filter ? filterSql(driver, t, query.filter) : null;
  if (f) out.push(f);
  const raw = rawWhereSql(query.where);
  if (raw) out.push(raw);
  return out;
}

function whereClause(conditions: Sql[]): Sql {
  return conditions.length ? sql` WHERE ${sql.join(conditions, sql.raw(' AND '))}` : sql``;
}

function orderClause(terms: OrderTerm[], reverse: boolean, qualify?: string): Sql {
  if (terms.length === 0) return sql``;
  const items = terms.map((term) => sql`${qualify ? term.part.qualified(qualify) : term.part.expr} ${sql.raw(term.desc !== reverse ? 'DESC' : 'ASC')}`);
  return sql` ORDER BY ${sql.join(items)}`;
}

/** The selected list: every table column, then the hidden key parts. */
export function selectList(t: ResolvedTable, qualify?: string): Sql {
  const cols = t.columns.map((c) => (qualify ? sql.id(qualify, c.name) : sql.id(c.name)));
  const hidden = t.hiddenParts.map((p) => (qualify ? p.qualified(qualify) : p.expr));
  return sql.join([...cols, ...hidden]);
}

export interface WindowPlan {
  query: Sql;
  /** The rows come back last-first and must be reversed. */
  reversed: boolean;
  strategy: 'offset' | 'keyset' | 'keyset+offset';
}

/** The SELECT for one window of a view. Callers handle `fromEnd` without any order themselves. */
export function windowSelect(driver: TableDataDriver, t: ResolvedTable, query: TableQuery, ordering: Ordering, spec: WindowSpec): WindowPlan {
  const conditions = conditionsOf(driver, t, query);
  let reverse = false;
  let strategy: WindowPlan['strategy'] = 'offset';
  if (spec.anchor) {
    if (!ordering.keyset) throw new CoreError('invalid-input', 'This view has no unique order, so windows cannot be found by key.');
    conditions.push(keysetSql(driver, ordering.terms, spec.anchor.key, spec.anchor.direction));
    reverse = spec.anchor.direction === 'before';
    strategy = spec.offset > 0 ? 'keyset+offset' : 'keyset';
  } else if (spec.fromEnd) {
    if (ordering.terms.length === 0) throw new CoreError('internal', 'A window from the end needs an order.');
    reverse = true;
  }
  const where = whereClause(conditions);
  const limit = sql` LIMIT ${spec.limit} OFFSET ${spec.offset}`;
  if (driver.deferredJoin && spec.offset >= DEFERRED_JOIN_MIN_OFFSET && ordering.uniqueKey) {
    // Skip rows reading only the key, then join the window's rows back: far cheaper than materialising every skipped row.
    const keyParts = t.keys.order.parts;
    const inner = sql.join(keyParts.map((p, i) => sql`${p.expr} AS ${sql.id(`k${i}`)}`));
    const on = sql.join(
      keyParts.map((p, i) => sql`${p.qualified(OUTER)} = ${sql.id(INNER, `k${i}`)}`),
      sql.raw(' AND '),
    );
    const q = sql`SELECT ${selectList(t, OUTER)} FROM ${t.name} AS ${sql.id(OUTER)} JOIN (SELECT ${inner} FROM ${t.name}${where}${orderClause(ordering.terms, reverse)}${limit}) AS ${sql.id(INNER)} ON ${on}${orderClause(ordering.terms, reverse, OUTER)}`;
    return { query: q, reversed: reverse, strategy };
  }
  const q = sql`SELECT ${selectList(t)} FROM ${t.name}${where}${orderClause(ordering.terms, reverse)}${limit}`;
  return { query: q, reversed: reverse, strategy };
}

/**
 * Every row of the view, for exports: in the user's order when there is one (with the tiebreak),
 * else in the table's own order — a plain scan, with no index walk or sort the file does not need.
 */
export function streamSelect(driver: TableDataDriver, t: ResolvedTable, query: TableQuery, ordering: Ordering): Sql {
  const order = query.sort.length ? orderClause(ordering.terms, false) : sql``;
  return sql`SELECT ${sql.join(t.columns.map((c) => sql.id(c.name)))} FROM ${t.name}${whereClause(conditionsOf(driver, t, query))}${order}`;
}

/** The view for the server's CSV writer: booleans as true/false text, so the file reads the same as one written row by row. */
export function copySelect(driver: TableDataDriver, t: ResolvedTable, query: TableQuery, ordering: Ordering): Sql {
  const list = t.columns.map((c) => (c.kind === 'boolean' ? sql`${driver.textOf(sql.id(c.name))} AS ${sql.id(c.name)}` : sql.id(c.name)));
  const order = query.sort.length ? orderClause(ordering.terms, false) : sql``;
  return sql`SELECT ${sql.join(list)} FROM ${t.name}${whereClause(conditionsOf(driver, t, query))}${order}`;
}

export function countSelect(driver: TableDataDriver, t: ResolvedTable, query: TableQuery): Sql {
  return sql`SELECT count(*) FROM ${t.name}${whereClause(conditionsOf(driver, t, query))}`;
}

/** What the planner is asked to estimate when counting takes too long. */
export function estimateSelect(driver: TableDataDriver, t: ResolvedTable, query: TableQuery): Sql {
  return sql`SELECT 1 FROM ${t.name}${whereClause(conditionsOf(driver, t, query))}`;
}

/** `identity = values`, binding each value for its part's kind. */
export function identityCondition(driver: TableDataDriver, t: ResolvedTable, rowId: readonly CellValue[]): Sql {
  const parts = t.keys.identityParts;
  if (parts.length === 0) throw new CoreError('unsupported', t.detail.rowIdentity.kind === 'none' ? t.detail.rowIdentity.reason : 'Rows of this table cannot be identified.');
  if (rowId.length !== parts.length) throw new CoreError('invalid-input', `A row of "${t.detail.name}" is identified by ${parts.length} value(s), not ${rowId.length}.`);
  return sql.join(
    parts.map((p, i) => (rowId[i] === null ? sql`${p.expr} IS NULL` : sql`${p.expr} = ${param(driver, rowId[i], p.kind)}`)),
    sql.raw(' AND '),
  );
}

/** One row by identity, every column (and hidden part) selected: what an edit checks before it writes. */
export function rowByIdentity(driver: TableDataDriver, t: ResolvedTable, rowId: readonly CellValue[], forUpdate: boolean): Sql {
  return sql`SELECT ${selectList(t)} FROM ${t.name} WHERE ${identityCondition(driver, t, rowId)}${forUpdate ? sql` FOR UPDATE` : sql``}`;
}

export function cellByIdentity(driver: TableDataDriver, t: ResolvedTable, rowId: readonly CellValue[], columnName: string): Sql {
  const c = column(t, columnName);
  return sql`SELECT ${sql.id(c.name)} FROM ${t.name} WHERE ${identityCondition(driver, t, rowId)}`;
}
