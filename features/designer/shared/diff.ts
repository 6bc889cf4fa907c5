import {
  columnNames,
  referencedColumnNames,
  referencedTableName,
  type DesignCheck,
  type DesignColumn,
  type DesignForeignKey,
  type DesignIndex,
  type DesignPrimaryKey,
  type DesignSchema,
  type DesignTable,
  type DesignUnique,
} from './model';

/**
 * What one engine counts as "the same" when two designs are compared. Implemented per engine in
 * electron/core/engines/<family>/ (`int4` and `integer` are one type on PostgreSQL; `int(11)` and
 * `int` on MariaDB). `exactRules` compares text as written.
 */
export interface DesignRules {
  normalizeType(type: string): string;
  /** Canonical form of a default or check expression, for comparison only. */
  normalizeExpression(expression: string): string;
  /** Reshapes a design into the form the engine reads back (MySQL: a unique index is a unique constraint). */
  canonicalize?(design: DesignSchema): DesignSchema;
}

export const exactRules: DesignRules = {
  normalizeType: (t) => t.trim().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1').toLowerCase(),
  normalizeExpression: (e) => e.trim(),
};

export type ColumnAspect = 'type' | 'nullable' | 'default' | 'autoIncrement' | 'identity' | 'generated' | 'comment' | 'collation' | 'onUpdate';

export type Change =
  | { kind: 'create-table'; tableId: string }
  | { kind: 'drop-table'; tableId: string }
  | { kind: 'rename-table'; tableId: string; from: string; to: string }
  | { kind: 'table-comment'; tableId: string }
  | { kind: 'add-column'; tableId: string; columnId: string }
  | { kind: 'drop-column'; tableId: string; columnId: string }
  | { kind: 'rename-column'; tableId: string; columnId: string; from: string; to: string }
  | { kind: 'alter-column'; tableId: string; columnId: string; aspects: ColumnAspect[] }
  | { kind: 'set-primary-key'; tableId: string }
  | { kind: 'add-unique'; tableId: string; uniqueId: string }
  | { kind: 'drop-unique'; tableId: string; uniqueId: string }
  | { kind: 'add-index'; tableId: string; indexId: string }
  | { kind: 'drop-index'; tableId: string; indexId: string }
  | { kind: 'add-check'; tableId: string; checkId: string }
  | { kind: 'drop-check'; tableId: string; checkId: string }
  | { kind: 'add-foreign-key'; tableId: string; foreignKeyId: string }
  | { kind: 'drop-foreign-key'; tableId: string; foreignKeyId: string };

export type ChangeKind = Change['kind'];

const byId = <T extends { id: string }>(xs: readonly T[]) => new Map(xs.map((x) => [x.id, x]));

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function samePk(a: DesignPrimaryKey | null, b: DesignPrimaryKey | null): boolean {
  if (!a || !b) return a === b;
  return sameList(a.columns, b.columns) && (a.name === null || b.name === null || a.name === b.name);
}

const sameName = (a: string | null, b: string | null) => a === null || b === null || a === b;

function sameUnique(a: DesignUnique, b: DesignUnique): boolean {
  return sameName(a.name, b.name) && sameList(a.columns, b.columns);
}

function sameIndex(a: DesignIndex, b: DesignIndex, rules: DesignRules): boolean {
  if (a.definition || b.definition) return a.name === b.name && (a.definition ?? '') === (b.definition ?? '');
  const where = (w: string | null) => (w === null ? '' : rules.normalizeExpression(w));
  const method = (m: string | null) => (m ?? '').toLowerCase();
  return a.name === b.name && a.unique === b.unique && sameList(a.columns, b.columns) && where(a.where) === where(b.where) && (a.method === null || b.method === null || method(a.method) === method(b.method));
}

function sameCheck(a: DesignCheck, b: DesignCheck, rules: DesignRules): boolean {
  return sameName(a.name, b.name) && rules.normalizeExpression(a.expression) === rules.normalizeExpression(b.expression);
}

function sameForeignKey(a: DesignForeignKey, b: DesignForeignKey): boolean {
  return (
    sameName(a.name, b.name) &&
    sameList(a.columns, b.columns) &&
    a.refSchema === b.refSchema &&
    a.refTable === b.refTable &&
    sameList(a.refColumns, b.refColumns) &&
    a.onDelete === b.onDelete &&
    a.onUpdate === b.onUpdate
  );
}

export function columnAspects(a: DesignColumn, b: DesignColumn, rules: DesignRules): ColumnAspect[] {
  const out: ColumnAspect[] = [];
  if (rules.normalizeType(a.type) !== rules.normalizeType(b.type)) out.push('type');
  if (a.nullable !== b.nullable) out.push('nullable');
  const dflt = (d: string | null) => (d === null ? null : rules.normalizeExpression(d));
  if (dflt(a.default) !== dflt(b.default)) out.push('default');
  if (a.autoIncrement !== b.autoIncrement) out.push('autoIncrement');
  // ALWAYS or BY DEFAULT, where the reader tells them apart (PostgreSQL; a design without it matches either).
  else if (a.autoIncrement && a.identity && b.identity && a.identity !== b.identity) out.push('identity');
  const gen = (g: DesignColumn['generated']) => (g ? `${g.stored}:${rules.normalizeExpression(g.expression)}` : '');
  if (gen(a.generated) !== gen(b.generated)) out.push('generated');
  if ((a.comment ?? '') !== (b.comment ?? '')) out.push('comment');
  if (a.collation !== null && b.collation !== null && a.collation !== b.collation) out.push('collation');
  if (dflt(a.onUpdate ?? null) !== dflt(b.onUpdate ?? null)) out.push('onUpdate');
  return out;
}

/** Changes that turn one table into another (same id), in a stable order. */
function diffTable(from: DesignTable, to: DesignTable, rules: DesignRules): Change[] {
  const tableId = to.id;
  const out: Change[] = [];
  if (from.name !== to.name) out.push({ kind: 'rename-table', tableId, from: from.name, to: to.name });
  if ((from.comment ?? '') !== (to.comment ?? '')) out.push({ kind: 'table-comment', tableId });

  const fromCols = byId(from.columns);
  const toCols = byId(to.columns);
  for (const c of from.columns) if (!toCols.has(c.id)) out.push({ kind: 'drop-column', tableId, columnId: c.id });
  for (const c of to.columns) {
    const before = fromCols.get(c.id);
    if (!before) {
      out.push({ kind: 'add-column', tableId, columnId: c.id });
      continue;
    }
    if (before.name !== c.name) out.push({ kind: 'rename-column', tableId, columnId: c.id, from: before.name, to: c.name });
    const aspects = columnAspects(before, c, rules);
    if (aspects.length) out.push({ kind: 'alter-column', tableId, columnId: c.id, aspects });
  }

  if (!samePk(from.primaryKey, to.primaryKey)) out.push({ kind: 'set-primary-key', tableId });

  const pairs = <T extends { id: string }>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean, drop: (x: T) => Change, add: (x: T) => Change) => {
    const bm = byId(b);
    const am = byId(a);
    for (const x of a) {
      const y = bm.get(x.id);
      if (!y || !same(x, y)) out.push(drop(x));
    }
    for (const y of b) {
      const x = am.get(y.id);
      if (!x || !same(x, y)) out.push(add(y));
    }
  };
  pairs(from.uniques, to.uniques, sameUnique, (u) => ({ kind: 'drop-unique', tableId, uniqueId: u.id }), (u) => ({ kind: 'add-unique', tableId, uniqueId: u.id }));
  pairs(from.checks, to.checks, (a, b) => sameCheck(a, b, rules), (k) => ({ kind: 'drop-check', tableId, checkId: k.id }), (k) => ({ kind: 'add-check', tableId, checkId: k.id }));
  pairs(from.indexes, to.indexes, (a, b) => sameIndex(a, b, rules), (i) => ({ kind: 'drop-index', tableId, indexId: i.id }), (i) => ({ kind: 'add-index', tableId, indexId: i.id }));
  pairs(from.foreignKeys, to.foreignKeys, sameForeignKey, (f) => ({ kind: 'drop-foreign-key', tableId, foreignKeyId: f.id }), (f) => ({ kind: 'add-foreign-key', tableId, foreignKeyId: f.id }));
  return out;
}

/**
 * Everything that differs between two designs of one schema, matched by id. Pure: the DDL
 * generators of each engine turn this list (with both designs) into statements.
 */
export function diffDesigns(from: DesignSchema, to: DesignSchema, rules: DesignRules = exactRules): Change[] {
  const a = rules.canonicalize ? rules.canonicalize(from) : from;
  const b = rules.canonicalize ? rules.canonicalize(to) : to;
  const out: Change[] = [];
  const toTables = byId(b.tables);
  const fromTables = byId(a.tables);
  for (const t of a.tables) if (!toTables.has(t.id)) out.push({ kind: 'drop-table', tableId: t.id });
  for (const t of b.tables) {
    const before = fromTables.get(t.id);
    if (!before) out.push({ kind: 'create-table', tableId: t.id });
    else out.push(...diffTable(before, t, rules));
  }
  return out;
}

// ── words ─────────────────────────────────────────────────────────────────────────────────────

export interface ChangeText {
  /** The table's name after the change (before it, for drops). */
  table: string;
  /** add: something new; drop: something removed; change: something altered or renamed. */
  tone: 'add' | 'drop' | 'change';
  text: string;
}

function columnText(c: DesignColumn): string {
  const parts = [c.type || '(no type)', c.nullable ? 'NULL' : 'NOT NULL'];
  if (c.autoIncrement) parts.push('auto-increment');
  if (c.default !== null) parts.push(`DEFAULT ${c.default}`);
  if (c.generated) parts.push(`GENERATED AS (${c.generated.expression})${c.generated.stored ? ' STORED' : ''}`);
  return parts.join(' ');
}

function pkText(t: DesignTable): string {
  return t.primaryKey ? `(${columnNames(t, t.primaryKey.columns).join(', ')})` : 'none';
}

/** One line a person reads in the differences view and the migration review. */
export function describeChange(change: Change, from: DesignSchema, to: DesignSchema): ChangeText {
  const before = from.tables.find((t) => t.id === change.tableId);
  const after = to.tables.find((t) => t.id === change.tableId);
  const t = (after ?? before)!;
  const base = { table: t.name };
  switch (change.kind) {
    case 'create-table':
      return { ...base, tone: 'add', text: `create table ${t.name} (${t.columns.length} column${t.columns.length === 1 ? '' : 's'})` };
    case 'drop-table':
      return { ...base, tone: 'drop', text: `drop table ${t.name}` };
    case 'rename-table':
      return { ...base, tone: 'change', text: `rename table ${change.from} → ${change.to}` };
    case 'table-comment':
      return { ...base, tone: 'change', text: `comment: ${after?.comment ?? '(none)'}` };
    case 'add-column': {
      const c = after!.columns.find((x) => x.id === change.columnId)!;
      return { ...base, tone: 'add', text: `add column ${c.name} ${columnText(c)}` };
    }
    case 'drop-column': {
      const c = before!.columns.find((x) => x.id === change.columnId)!;
      return { ...base, tone: 'drop', text: `drop column ${c.name}` };
    }
    case 'rename-column':
      return { ...base, tone: 'change', text: `rename column ${change.from} → ${change.to}` };
    case 'alter-column': {
      const a = before!.columns.find((x) => x.id === change.columnId)!;
      const b = after!.columns.find((x) => x.id === change.columnId)!;
      const bits = change.aspects.map((asp) => {
        switch (asp) {
          case 'type':
            return `type ${a.type} → ${b.type}`;
          case 'nullable':
            return b.nullable ? 'allow NULL' : 'NOT NULL';
          case 'default':
            return b.default === null ? 'drop default' : `default ${a.default ?? '(none)'} → ${b.default}`;
          case 'autoIncrement':
            return b.autoIncrement ? 'auto-increment' : 'no auto-increment';
          case 'identity':
            return `identity ${b.identity === 'always' ? 'GENERATED ALWAYS' : 'GENERATED BY DEFAULT'}`;
          case 'generated':
            return b.generated ? `generated as (${b.generated.expression})` : 'not generated';
          case 'comment':
            return `comment ${b.comment ?? '(none)'}`;
          case 'collation':
            return `collation ${b.collation ?? 'default'}`;
          case 'onUpdate':
            return b.onUpdate ? `on update ${b.onUpdate}` : 'no on-update';
        }
      });
      return { ...base, tone: 'change', text: `column ${b.name}: ${bits.join(', ')}` };
    }
    case 'set-primary-key':
      return { ...base, tone: 'change', text: `primary key ${pkText(before!)} → ${pkText(after!)}` };
    case 'add-unique':
    case 'drop-unique': {
      const tab = change.kind === 'add-unique' ? after! : before!;
      const u = tab.uniques.find((x) => x.id === change.uniqueId)!;
      return { ...base, tone: change.kind === 'add-unique' ? 'add' : 'drop', text: `${change.kind === 'add-unique' ? 'add' : 'drop'} unique ${u.name ?? ''} (${columnNames(tab, u.columns).join(', ')})`.replace('  ', ' ') };
    }
    case 'add-index':
    case 'drop-index': {
      const tab = change.kind === 'add-index' ? after! : before!;
      const i = tab.indexes.find((x) => x.id === change.indexId)!;
      const what = i.definition ? i.definition : `(${columnNames(tab, i.columns).join(', ')})`;
      return { ...base, tone: change.kind === 'add-index' ? 'add' : 'drop', text: `${change.kind === 'add-index' ? 'add' : 'drop'} ${i.unique ? 'unique ' : ''}index ${i.name} ${what}` };
    }
    case 'add-check':
    case 'drop-check': {
      const tab = change.kind === 'add-check' ? after! : before!;
      const k = tab.checks.find((x) => x.id === change.checkId)!;
      return { ...base, tone: change.kind === 'add-check' ? 'add' : 'drop', text: `${change.kind === 'add-check' ? 'add' : 'drop'} check ${k.name ?? ''} (${k.expression})`.replace('  ', ' ') };
    }
    case 'add-foreign-key':
    case 'drop-foreign-key': {
      const adding = change.kind === 'add-foreign-key';
      const design = adding ? to : from;
      const tab = adding ? after! : before!;
      const f = tab.foreignKeys.find((x) => x.id === change.foreignKeyId)!;
      const actions = [f.onDelete !== 'NO ACTION' ? `ON DELETE ${f.onDelete}` : '', f.onUpdate !== 'NO ACTION' ? `ON UPDATE ${f.onUpdate}` : ''].filter(Boolean).join(' ');
      return {
        ...base,
        tone: adding ? 'add' : 'drop',
        text: `${adding ? 'add' : 'drop'} foreign key ${f.name ?? ''} (${columnNames(tab, f.columns).join(', ')}) → ${referencedTableName(design, f)}(${referencedColumnNames(design, f).join(', ')})${actions ? ' ' + actions : ''}`.replace('  ', ' '),
      };
    }
  }
}

/** How an object of the diagram differs from the base, for colouring (by id, no engine rules). */
export type Mark = 'new' | 'changed';

export interface ChangeMarks {
  tables: Map<string, Mark>;
  /** `${tableId}|${columnId}` → mark. */
  columns: Map<string, Mark>;
  /** Tables of the base that the design dropped (by name, for the differences view). */
  droppedTables: string[];
}

/** Quick, engine-neutral marks of what a person changed: new and changed tables and columns. */
export function changeMarks(base: DesignSchema, design: DesignSchema): ChangeMarks {
  const tables = new Map<string, Mark>();
  const columns = new Map<string, Mark>();
  const baseTables = byId(base.tables);
  for (const t of design.tables) {
    const b = baseTables.get(t.id);
    if (!b) {
      tables.set(t.id, 'new');
      continue;
    }
    if (b === t) continue;
    const bc = byId(b.columns);
    let changed = b.name !== t.name || b.columns.length !== t.columns.length || (b.comment ?? '') !== (t.comment ?? '');
    for (const c of t.columns) {
      const old = bc.get(c.id);
      if (!old) {
        columns.set(`${t.id}|${c.id}`, 'new');
        changed = true;
      } else if (old !== c && (old.name !== c.name || old.type !== c.type || old.nullable !== c.nullable || old.default !== c.default || old.autoIncrement !== c.autoIncrement || old.comment !== c.comment)) {
        columns.set(`${t.id}|${c.id}`, 'changed');
        changed = true;
      }
    }
    const json = (x: unknown) => JSON.stringify(x);
    if (!changed && (json(b.primaryKey) !== json(t.primaryKey) || json(b.uniques) !== json(t.uniques) || json(b.indexes) !== json(t.indexes) || json(b.checks) !== json(t.checks) || json(b.foreignKeys) !== json(t.foreignKeys))) changed = true;
    if (changed) tables.set(t.id, 'changed');
  }
  const ids = new Set(design.tables.map((t) => t.id));
  return { tables, columns, droppedTables: base.tables.filter((t) => !ids.has(t.id)).map((t) => t.name) };
}
