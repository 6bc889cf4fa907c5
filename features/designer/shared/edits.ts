import { lexRulesOf } from '../../../shared/sql/lex-rules';
import { designConventions } from './conventions';
import type { ForeignKeyAction } from '../../../shared/model/schema';
import {
  columnById,
  columnNames,
  freshId,
  tableById,
  type DesignCheck,
  type DesignColumn,
  type DesignForeignKey,
  type DesignIndex,
  type DesignSchema,
  type DesignTable,
  type DesignUnique,
} from './model';
import { fragmentProblem } from './sql-fragment';

/** An edit that cannot be made, said so a person can fix it. Nothing of the design changes. */
export class DesignError extends Error {
  override readonly name = 'DesignError';
}

const conventions = (design: DesignSchema) => designConventions[design.engine];

function checkName(design: DesignSchema, name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new DesignError(`A ${what} needs a name.`);
  if (trimmed.includes('\u0000')) throw new DesignError(`A ${what} name cannot contain a NUL character.`);
  const limit = conventions(design).identifierLimit;
  if (new TextEncoder().encode(trimmed).length > limit) throw new DesignError(`"${trimmed.slice(0, 40)}…" is longer than the ${limit} bytes this engine keeps in a name.`);
  return trimmed;
}

/** Types, defaults and checks become part of statements: one expression each, nothing more. */
function checkFragment(design: DesignSchema, text: string, what: string): void {
  const problem = fragmentProblem(text, lexRulesOf(design.engine));
  if (problem) throw new DesignError(`${what}: ${problem}`);
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function mustTable(design: DesignSchema, tableId: string): DesignTable {
  const t = tableById(design, tableId);
  if (!t) throw new DesignError('That table is no longer in the design.');
  return t;
}

function mustColumn(table: DesignTable, columnId: string): DesignColumn {
  const c = columnById(table, columnId);
  if (!c) throw new DesignError(`That column is no longer in ${table.name}.`);
  return c;
}

function replaceTable(design: DesignSchema, table: DesignTable): DesignSchema {
  return { ...design, tables: design.tables.map((t) => (t.id === table.id ? table : t)) };
}

function uniqueName(taken: readonly string[], base: string, limit: number): string {
  const clip = (s: string) => s.slice(0, limit);
  let candidate = clip(base);
  for (let i = 2; taken.some((t) => same(t, candidate)); i++) candidate = clip(`${base.slice(0, limit - String(i).length - 1)}_${i}`);
  return candidate;
}

/** Every constraint and index name in the schema (PostgreSQL wants index names unique per schema). */
function objectNames(design: DesignSchema): string[] {
  return design.tables.flatMap((t) => [
    ...t.indexes.map((i) => i.name),
    ...t.uniques.flatMap((u) => (u.name ? [u.name] : [])),
    ...t.checks.flatMap((k) => (k.name ? [k.name] : [])),
    ...t.foreignKeys.flatMap((f) => (f.name ? [f.name] : [])),
    ...(t.primaryKey?.name ? [t.primaryKey.name] : []),
  ]);
}

/** PostgreSQL's own naming (`orders_customer_id_fkey`), made unique in the schema. */
export function defaultConstraintName(design: DesignSchema, table: DesignTable, columnIds: readonly string[], suffix: 'fkey' | 'key' | 'check' | 'idx' | 'pkey'): string {
  const cols = suffix === 'check' || suffix === 'pkey' ? '' : `_${columnNames(table, columnIds).join('_')}`;
  return uniqueName(objectNames(design), `${table.name}${cols}_${suffix}`, conventions(design).identifierLimit);
}

// ── tables ────────────────────────────────────────────────────────────────────────────────────

export function addTable(design: DesignSchema, name?: string): { design: DesignSchema; tableId: string } {
  const limit = conventions(design).identifierLimit;
  const tableName = name === undefined ? uniqueName(design.tables.map((t) => t.name), 'new_table', limit) : checkName(design, name, 'table');
  if (design.tables.some((t) => same(t.name, tableName))) throw new DesignError(`There is already a table named ${tableName}.`);
  const starter = conventions(design).starterTypes;
  const idColumn: DesignColumn = {
    id: freshId('c'),
    name: 'id',
    type: starter.id,
    nullable: false,
    default: null,
    autoIncrement: starter.idAutoIncrement,
    generated: null,
    comment: null,
    collation: null,
    onUpdate: null,
  };
  const table: DesignTable = {
    id: freshId('t'),
    name: tableName,
    comment: null,
    columns: [idColumn],
    primaryKey: { name: null, columns: [idColumn.id] },
    uniques: [],
    indexes: [],
    checks: [],
    foreignKeys: [],
    triggers: [],
    withoutRowid: false,
    strict: false,
  };
  if (conventions(design).namesPrimaryKeys) table.primaryKey = { name: uniqueName(objectNames(design), `${tableName}_pkey`, limit), columns: [idColumn.id] };
  return { design: { ...design, tables: [...design.tables, table] }, tableId: table.id };
}

/**
 * Renames a table. Names the designer generated from the old name (`new_table_pkey`,
 * `new_table_code_key`…) follow it, except on keys and indexes already in the database (`base`):
 * renaming those would be a statement of its own, not part of this edit.
 */
export function renameTable(design: DesignSchema, tableId: string, name: string, base?: DesignSchema): DesignSchema {
  const table = mustTable(design, tableId);
  const newName = checkName(design, name, 'table');
  if (design.tables.some((t) => t.id !== tableId && same(t.name, newName))) throw new DesignError(`There is already a table named ${newName}.`);
  return followGeneratedNames(design, table, { ...table, name: newName }, base);
}

/** Each generated name of a table, with the columns and suffix it was made from. */
function generatedNames(table: DesignTable): { id: string; name: string | null; columns: readonly string[]; suffix: 'fkey' | 'key' | 'check' | 'idx' | 'pkey' }[] {
  return [
    ...(table.primaryKey ? [{ id: 'pkey', name: table.primaryKey.name, columns: table.primaryKey.columns, suffix: 'pkey' as const }] : []),
    ...table.uniques.map((u) => ({ id: u.id, name: u.name, columns: u.columns, suffix: 'key' as const })),
    ...table.indexes.map((i) => ({ id: i.id, name: i.name as string | null, columns: i.columns, suffix: 'idx' as const })),
    ...table.checks.map((k) => ({ id: k.id, name: k.name, columns: [] as string[], suffix: 'check' as const })),
    ...table.foreignKeys.map((f) => ({ id: f.id, name: f.name, columns: f.columns, suffix: 'fkey' as const })),
  ];
}

/**
 * Puts `after` (the table renamed, or a column of it renamed) into the design, and renames every
 * key, index and check whose name is the one the designer generated from `before` — as long as it
 * is not in the database yet — to what it would generate now. Without `base`, no name follows.
 */
function followGeneratedNames(design: DesignSchema, before: DesignTable, after: DesignTable, base: DesignSchema | undefined): DesignSchema {
  // Without the database's design nothing can be told new: every name stays.
  if (!base) return replaceTable(design, after);
  const limit = conventions(design).identifierLimit;
  const inBase = tableById(base, before.id);
  const stored = new Set(inBase ? generatedNames(inBase).filter((o) => o.id !== 'pkey' || inBase.primaryKey?.name === before.primaryKey?.name).map((o) => o.id) : []);
  const renames = new Map<string, string>();
  let taken = objectNames(design);
  for (const o of generatedNames(before)) {
    if (o.name === null || stored.has(o.id)) continue;
    const cols = (t: DesignTable) => (o.suffix === 'check' || o.suffix === 'pkey' ? '' : `_${columnNames(t, o.columns).join('_')}`);
    const old = `${before.name}${cols(before)}_${o.suffix}`;
    const numbered = /^(.*)_(\d+)$/.exec(o.name);
    const wasGenerated = o.name === old.slice(0, limit) || (numbered !== null && numbered[1] === old.slice(0, limit - numbered[2]!.length - 1));
    if (!wasGenerated) continue;
    const next = uniqueName(taken.filter((n) => n !== o.name), `${after.name}${cols(after)}_${o.suffix}`, limit);
    if (next === o.name) continue;
    renames.set(o.id, next);
    taken = [...taken.filter((n) => n !== o.name), next];
  }
  const renamed = <T extends { id: string; name: string | null }>(x: T): T => (renames.has(x.id) ? { ...x, name: renames.get(x.id)! } : x);
  return replaceTable(design, {
    ...after,
    primaryKey: after.primaryKey && renames.has('pkey') ? { ...after.primaryKey, name: renames.get('pkey')! } : after.primaryKey,
    uniques: after.uniques.map(renamed),
    indexes: after.indexes.map((i) => (renames.has(i.id) ? { ...i, name: renames.get(i.id)! } : i)),
    checks: after.checks.map(renamed),
    foreignKeys: after.foreignKeys.map(renamed),
  });
}


export function setTableComment(design: DesignSchema, tableId: string, comment: string | null): DesignSchema {
  const table = mustTable(design, tableId);
  return replaceTable(design, { ...table, comment: comment?.trim() ? comment : null });
}

/** Drops a table and the foreign keys of other tables that point at it. */
export function dropTable(design: DesignSchema, tableId: string): DesignSchema {
  mustTable(design, tableId);
  return {
    ...design,
    tables: design.tables
      .filter((t) => t.id !== tableId)
      .map((t) => (t.foreignKeys.some((f) => f.refSchema === null && f.refTable === tableId) ? { ...t, foreignKeys: t.foreignKeys.filter((f) => !(f.refSchema === null && f.refTable === tableId)) } : t)),
  };
}

// ── columns ───────────────────────────────────────────────────────────────────────────────────

export type ColumnPatch = Partial<Pick<DesignColumn, 'name' | 'type' | 'nullable' | 'default' | 'autoIncrement' | 'comment'>>;

export function addColumn(design: DesignSchema, tableId: string, patch: ColumnPatch = {}): { design: DesignSchema; columnId: string } {
  const table = mustTable(design, tableId);
  const name = patch.name === undefined ? uniqueName(table.columns.map((c) => c.name), 'new_column', conventions(design).identifierLimit) : checkName(design, patch.name, 'column');
  if (table.columns.some((c) => same(c.name, name))) throw new DesignError(`${table.name} already has a column named ${name}.`);
  if (patch.type) checkFragment(design, patch.type, `The type of ${name}`);
  if (patch.default) checkFragment(design, patch.default, `The default of ${name}`);
  const column: DesignColumn = {
    id: freshId('c'),
    name,
    type: patch.type?.trim() || conventions(design).starterTypes.column,
    nullable: patch.nullable ?? true,
    default: patch.default?.trim() ? patch.default.trim() : null,
    autoIncrement: patch.autoIncrement ?? false,
    generated: null,
    comment: patch.comment ?? null,
    collation: null,
    onUpdate: null,
  };
  return { design: replaceTable(design, { ...table, columns: [...table.columns, column] }), columnId: column.id };
}

export function updateColumn(design: DesignSchema, tableId: string, columnId: string, patch: ColumnPatch, base?: DesignSchema): DesignSchema {
  const table = mustTable(design, tableId);
  const column = mustColumn(table, columnId);
  const next: DesignColumn = { ...column };
  if (patch.name !== undefined) {
    next.name = checkName(design, patch.name, 'column');
    if (table.columns.some((c) => c.id !== columnId && same(c.name, next.name))) throw new DesignError(`${table.name} already has a column named ${next.name}.`);
  }
  if (patch.type !== undefined) {
    const type = patch.type.trim();
    if (type === '' && conventions(design).typeRequired) throw new DesignError(`${next.name} needs a type.`);
    checkFragment(design, type, `The type of ${next.name}`);
    next.type = type;
  }
  if (patch.nullable !== undefined) {
    if (patch.nullable && table.primaryKey?.columns.includes(columnId)) throw new DesignError(`${next.name} is part of the primary key, which cannot hold NULL. Take it out of the key first.`);
    next.nullable = patch.nullable;
  }
  if (patch.default !== undefined) {
    next.default = patch.default === null || patch.default.trim() === '' ? null : patch.default.trim();
    if (next.default !== null) checkFragment(design, next.default, `The default of ${next.name}`);
  }
  if (patch.autoIncrement !== undefined) next.autoIncrement = patch.autoIncrement;
  if (patch.comment !== undefined) next.comment = patch.comment === null || patch.comment.trim() === '' ? null : patch.comment;
  if (next.autoIncrement && next.default !== null && !/^nextval\(/i.test(next.default)) throw new DesignError(`${next.name} cannot both number itself and have a default. Clear one of them.`);
  const after = { ...table, columns: table.columns.map((c) => (c.id === columnId ? next : c)) };
  // A renamed column takes the generated names made from it along (`orders_code_key`), as a renamed table does.
  return next.name === column.name ? replaceTable(design, after) : followGeneratedNames(design, table, after, base);
}

/** Words of an SQL expression that could name a column (quotes stripped). */
function mentions(expression: string, name: string): boolean {
  const words = expression.match(/"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/g) ?? [];
  return words.some((w) => {
    const bare = /^["`[]/.test(w) ? w.slice(1, -1).replace(/""/g, '"').replace(/``/g, '`') : w;
    return same(bare, name);
  });
}

/**
 * Drops a column the way PostgreSQL does: the keys, indexes and checks that use it go with it, and
 * so do foreign keys of other tables that point at it.
 */
export function dropColumn(design: DesignSchema, tableId: string, columnId: string): DesignSchema {
  const table = mustTable(design, tableId);
  const column = mustColumn(table, columnId);
  if (table.columns.length === 1) throw new DesignError(`${column.name} is the only column of ${table.name}; drop the table instead.`);
  const uses = (ids: readonly string[]) => ids.includes(columnId);
  const next: DesignTable = {
    ...table,
    columns: table.columns.filter((c) => c.id !== columnId),
    primaryKey: table.primaryKey && uses(table.primaryKey.columns) ? null : table.primaryKey,
    uniques: table.uniques.filter((u) => !uses(u.columns)),
    indexes: table.indexes.filter((i) => !uses(i.columns) && !(i.definition && mentions(i.definition, column.name))),
    checks: table.checks.filter((k) => !mentions(k.expression, column.name)),
    foreignKeys: table.foreignKeys.filter((f) => !uses(f.columns)),
  };
  return {
    ...design,
    tables: design.tables.map((t) => {
      const base = t.id === tableId ? next : t;
      const pointing = base.foreignKeys.filter((f) => f.refSchema === null && f.refTable === tableId && f.refColumns.includes(columnId));
      return pointing.length ? { ...base, foreignKeys: base.foreignKeys.filter((f) => !pointing.includes(f)) } : base;
    }),
  };
}

/** Moves a column one place up or down (new tables only get their columns in this order). */
export function moveColumn(design: DesignSchema, tableId: string, columnId: string, step: -1 | 1): DesignSchema {
  const table = mustTable(design, tableId);
  const i = table.columns.findIndex((c) => c.id === columnId);
  const j = i + step;
  if (i < 0 || j < 0 || j >= table.columns.length) return design;
  const columns = [...table.columns];
  [columns[i], columns[j]] = [columns[j]!, columns[i]!];
  return replaceTable(design, { ...table, columns });
}

// ── keys, indexes, checks ─────────────────────────────────────────────────────────────────────

function checkColumns(table: DesignTable, columnIds: readonly string[], what: string): void {
  if (columnIds.length === 0) throw new DesignError(`A ${what} needs at least one column.`);
  for (const id of columnIds) mustColumn(table, id);
  if (new Set(columnIds).size !== columnIds.length) throw new DesignError(`A ${what} lists the same column twice.`);
}

/** Sets the primary key (empty: none). Key columns become NOT NULL, as every engine makes them. */
export function setPrimaryKey(design: DesignSchema, tableId: string, columnIds: readonly string[]): DesignSchema {
  const table = mustTable(design, tableId);
  if (columnIds.length === 0) return replaceTable(design, { ...table, primaryKey: null });
  checkColumns(table, columnIds, 'primary key');
  const name = table.primaryKey?.name ?? (conventions(design).namesPrimaryKeys ? defaultConstraintName(design, table, columnIds, 'pkey') : null);
  return replaceTable(design, {
    ...table,
    primaryKey: { name, columns: [...columnIds] },
    columns: table.columns.map((c) => (columnIds.includes(c.id) ? { ...c, nullable: false } : c)),
  });
}

export function togglePrimaryKeyColumn(design: DesignSchema, tableId: string, columnId: string): DesignSchema {
  const table = mustTable(design, tableId);
  const current = table.primaryKey?.columns ?? [];
  return setPrimaryKey(design, tableId, current.includes(columnId) ? current.filter((c) => c !== columnId) : [...current, columnId]);
}

function checkConstraintName(design: DesignSchema, table: DesignTable, name: string | null | undefined, ownId?: string): string | null {
  if (name === undefined || name === null || name.trim() === '') return null;
  const n = checkName(design, name, 'constraint');
  const clash = design.tables.some(
    (t) =>
      t.indexes.some((i) => i.id !== ownId && same(i.name, n)) ||
      t.uniques.some((u) => u.id !== ownId && u.name !== null && same(u.name, n)) ||
      t.checks.some((k) => k.id !== ownId && k.name !== null && same(k.name, n)) ||
      t.foreignKeys.some((f) => f.id !== ownId && f.name !== null && same(f.name, n)),
  );
  if (clash) throw new DesignError(`The name ${n} is already used by another constraint or index${conventions(design).constraintNamesPerSchema ? ' in this schema' : ''}.`);
  void table;
  return n;
}

export function addUnique(design: DesignSchema, tableId: string, columnIds: readonly string[], name?: string): { design: DesignSchema; uniqueId: string } {
  const table = mustTable(design, tableId);
  checkColumns(table, columnIds, 'unique constraint');
  if (table.uniques.some((u) => u.columns.join() === columnIds.join())) throw new DesignError(`${table.name} already has a unique constraint on ${columnNames(table, columnIds).join(', ')}.`);
  const unique: DesignUnique = { id: freshId('u'), name: checkConstraintName(design, table, name) ?? defaultConstraintName(design, table, columnIds, 'key'), columns: [...columnIds] };
  return { design: replaceTable(design, { ...table, uniques: [...table.uniques, unique] }), uniqueId: unique.id };
}

export function updateUnique(design: DesignSchema, tableId: string, uniqueId: string, patch: { name?: string; columns?: string[] }): DesignSchema {
  const table = mustTable(design, tableId);
  const unique = table.uniques.find((u) => u.id === uniqueId);
  if (!unique) throw new DesignError('That unique constraint is no longer in the design.');
  const next = { ...unique };
  if (patch.name !== undefined) next.name = checkConstraintName(design, table, patch.name, uniqueId);
  if (patch.columns !== undefined) {
    checkColumns(table, patch.columns, 'unique constraint');
    next.columns = [...patch.columns];
  }
  return replaceTable(design, { ...table, uniques: table.uniques.map((u) => (u.id === uniqueId ? next : u)) });
}

export function dropUnique(design: DesignSchema, tableId: string, uniqueId: string): DesignSchema {
  const table = mustTable(design, tableId);
  return replaceTable(design, { ...table, uniques: table.uniques.filter((u) => u.id !== uniqueId) });
}

export function addIndex(design: DesignSchema, tableId: string, columnIds: readonly string[], options: { unique?: boolean; name?: string } = {}): { design: DesignSchema; indexId: string } {
  const table = mustTable(design, tableId);
  checkColumns(table, columnIds, 'index');
  const index: DesignIndex = {
    id: freshId('i'),
    name: checkConstraintName(design, table, options.name) ?? defaultConstraintName(design, table, columnIds, 'idx'),
    columns: [...columnIds],
    unique: options.unique ?? false,
    method: null,
    where: null,
    definition: null,
  };
  return { design: replaceTable(design, { ...table, indexes: [...table.indexes, index] }), indexId: index.id };
}

export function updateIndex(design: DesignSchema, tableId: string, indexId: string, patch: { name?: string; columns?: string[]; unique?: boolean }): DesignSchema {
  const table = mustTable(design, tableId);
  const index = table.indexes.find((i) => i.id === indexId);
  if (!index) throw new DesignError('That index is no longer in the design.');
  const next = { ...index };
  if (patch.name !== undefined) {
    const n = checkConstraintName(design, table, patch.name, indexId);
    if (!n) throw new DesignError('An index needs a name.');
    next.name = n;
  }
  if (patch.columns !== undefined) {
    if (index.definition) throw new DesignError(`${index.name} is an expression index; edit its definition in a migration by hand.`);
    checkColumns(table, patch.columns, 'index');
    next.columns = [...patch.columns];
  }
  if (patch.unique !== undefined) next.unique = patch.unique;
  return replaceTable(design, { ...table, indexes: table.indexes.map((i) => (i.id === indexId ? next : i)) });
}

export function dropIndex(design: DesignSchema, tableId: string, indexId: string): DesignSchema {
  const table = mustTable(design, tableId);
  return replaceTable(design, { ...table, indexes: table.indexes.filter((i) => i.id !== indexId) });
}

export function addCheck(design: DesignSchema, tableId: string, expression: string, name?: string): { design: DesignSchema; checkId: string } {
  const table = mustTable(design, tableId);
  const expr = expression.trim();
  if (expr === '') throw new DesignError('A check constraint needs an expression, e.g. price >= 0.');
  checkFragment(design, expr, 'The check expression');
  const check: DesignCheck = { id: freshId('k'), name: checkConstraintName(design, table, name) ?? defaultConstraintName(design, table, [], 'check'), expression: expr };
  return { design: replaceTable(design, { ...table, checks: [...table.checks, check] }), checkId: check.id };
}

export function updateCheck(design: DesignSchema, tableId: string, checkId: string, patch: { name?: string; expression?: string }): DesignSchema {
  const table = mustTable(design, tableId);
  const check = table.checks.find((k) => k.id === checkId);
  if (!check) throw new DesignError('That check constraint is no longer in the design.');
  const next = { ...check };
  if (patch.name !== undefined) next.name = checkConstraintName(design, table, patch.name, checkId);
  if (patch.expression !== undefined) {
    if (patch.expression.trim() === '') throw new DesignError('A check constraint needs an expression.');
    checkFragment(design, patch.expression, 'The check expression');
    next.expression = patch.expression.trim();
  }
  return replaceTable(design, { ...table, checks: table.checks.map((k) => (k.id === checkId ? next : k)) });
}

export function dropCheck(design: DesignSchema, tableId: string, checkId: string): DesignSchema {
  const table = mustTable(design, tableId);
  return replaceTable(design, { ...table, checks: table.checks.filter((k) => k.id !== checkId) });
}

// ── foreign keys ──────────────────────────────────────────────────────────────────────────────

export interface ForeignKeyInput {
  columns: string[];
  refTableId: string;
  refColumns: string[];
  onDelete?: ForeignKeyAction;
  onUpdate?: ForeignKeyAction;
  name?: string;
}

/** The referenced columns must be the parent's primary key or one of its unique constraints/indexes. */
export function isKey(table: DesignTable, columnIds: readonly string[]): boolean {
  const sameSet = (a: readonly string[]) => a.length === columnIds.length && a.every((c) => columnIds.includes(c));
  return (!!table.primaryKey && sameSet(table.primaryKey.columns)) || table.uniques.some((u) => sameSet(u.columns)) || table.indexes.some((i) => i.unique && !i.where && !i.definition && sameSet(i.columns));
}

export function addForeignKey(design: DesignSchema, tableId: string, input: ForeignKeyInput): { design: DesignSchema; foreignKeyId: string } {
  const table = mustTable(design, tableId);
  const parent = mustTable(design, input.refTableId);
  checkColumns(table, input.columns, 'foreign key');
  checkColumns(parent, input.refColumns, 'foreign key reference');
  if (input.columns.length !== input.refColumns.length) throw new DesignError(`A foreign key pairs its columns with the referenced ones: ${input.columns.length} column(s) cannot reference ${input.refColumns.length}.`);
  if (!isKey(parent, input.refColumns)) {
    throw new DesignError(`${parent.name}(${columnNames(parent, input.refColumns).join(', ')}) is neither the primary key of ${parent.name} nor unique: a foreign key must reference a key.`);
  }
  if (table.foreignKeys.some((f) => f.refSchema === null && f.refTable === parent.id && f.columns.join() === input.columns.join() && f.refColumns.join() === input.refColumns.join())) {
    throw new DesignError(`${table.name}(${columnNames(table, input.columns).join(', ')}) already references ${parent.name}.`);
  }
  const onDelete = input.onDelete ?? 'NO ACTION';
  if (onDelete === 'SET NULL' && input.columns.some((c) => !columnById(table, c)!.nullable)) throw new DesignError('ON DELETE SET NULL needs nullable columns; make them nullable first.');
  const fk: DesignForeignKey = {
    id: freshId('f'),
    name: checkConstraintName(design, table, input.name) ?? defaultConstraintName(design, table, input.columns, 'fkey'),
    columns: [...input.columns],
    refSchema: null,
    refTable: parent.id,
    refColumns: [...input.refColumns],
    onDelete,
    onUpdate: input.onUpdate ?? 'NO ACTION',
  };
  return { design: replaceTable(design, { ...table, foreignKeys: [...table.foreignKeys, fk] }), foreignKeyId: fk.id };
}

export function updateForeignKey(design: DesignSchema, tableId: string, foreignKeyId: string, patch: { name?: string; onDelete?: ForeignKeyAction; onUpdate?: ForeignKeyAction }): DesignSchema {
  const table = mustTable(design, tableId);
  const fk = table.foreignKeys.find((f) => f.id === foreignKeyId);
  if (!fk) throw new DesignError('That foreign key is no longer in the design.');
  const next = { ...fk };
  if (patch.name !== undefined) next.name = checkConstraintName(design, table, patch.name, foreignKeyId);
  if (patch.onDelete !== undefined) {
    if (patch.onDelete === 'SET NULL' && fk.columns.some((c) => columnById(table, c)?.nullable === false)) throw new DesignError('ON DELETE SET NULL needs nullable columns; make them nullable first.');
    next.onDelete = patch.onDelete;
  }
  if (patch.onUpdate !== undefined) next.onUpdate = patch.onUpdate;
  return replaceTable(design, { ...table, foreignKeys: table.foreignKeys.map((f) => (f.id === foreignKeyId ? next : f)) });
}

export function dropForeignKey(design: DesignSchema, tableId: string, foreignKeyId: string): DesignSchema {
  const table = mustTable(design, tableId);
  return replaceTable(design, { ...table, foreignKeys: table.foreignKeys.filter((f) => f.id !== foreignKeyId) });
}

/**
 * What dragging from one column to another means: the column that is not a key references the one
 * that is. Dropped onto a non-key column from a key column, the roles swap.
 */
export function connectColumns(
  design: DesignSchema,
  from: { tableId: string; columnId: string },
  to: { tableId: string; columnId: string },
  actions: { onDelete?: ForeignKeyAction; onUpdate?: ForeignKeyAction } = {},
): { design: DesignSchema; tableId: string; foreignKeyId: string } {
  const a = mustTable(design, from.tableId);
  const b = mustTable(design, to.tableId);
  mustColumn(a, from.columnId);
  mustColumn(b, to.columnId);
  if (a.id === b.id && from.columnId === to.columnId) throw new DesignError('A column cannot reference itself.');
  let child = from;
  let parent = to;
  if (!isKey(b, [to.columnId]) && isKey(a, [from.columnId])) [child, parent] = [to, from];
  const result = addForeignKey(design, child.tableId, { columns: [child.columnId], refTableId: parent.tableId, refColumns: [parent.columnId], ...actions });
  return { design: result.design, tableId: child.tableId, foreignKeyId: result.foreignKeyId };
}
