import { diffDesigns, type Change } from '../../designer/shared/diff';
import { columnOf } from '../../designer/core/ddl-common';
import type { DdlScript } from '../../designer/core/design-dialect';
import type { DesignIndex, DesignObject, DesignSchema, DesignTable, SchemaObjectKind } from '../../designer/shared/model';
import { dependenciesFirst, objectKey } from '../shared/object-order';
import type { CompareDialect, ObjectDdl } from './compare-dialect';

/** Kinds that must exist before tables change and go after them (columns, defaults and checks use them). */
const EARLY: ReadonlySet<SchemaObjectKind> = new Set(['enum', 'domain', 'sequence', 'function', 'procedure']);
/** Kinds that read tables: dropped before tables change, created after. */
const isLate = (o: DesignObject) => !EARLY.has(o.kind);

export interface IndexRename {
  table: string;
  from: string;
  to: string;
}

/** What one direction of a compare found and the script it writes. */
export interface DirectedScript {
  script: DdlScript;
  /** Table changes after index renames are taken out (ids of `from` re-aimed at `to`'s renamed indexes). */
  changes: Change[];
  /** `from` with the renamed indexes already carrying their new names. */
  from: DesignSchema;
  renames: IndexRename[];
}

/**
 * Indexes of one table that only the names tell apart: one side's index renamed on the other. The
 * `from` design gets the new names (and ids), so the designer's diff sees no change, and the rename
 * is one statement instead of a drop and a rebuild.
 */
function findIndexRenames(dialect: CompareDialect, from: DesignSchema, to: DesignSchema): { from: DesignSchema; renames: IndexRename[] } {
  const renames: IndexRename[] = [];
  const toTables = new Map(to.tables.map((t) => [t.name, t]));
  const tables = from.tables.map((t): DesignTable => {
    const other = toTables.get(t.name);
    if (!other) return t;
    const otherNames = new Set(other.indexes.map((i) => i.name));
    const names = new Set(t.indexes.map((i) => i.name));
    const candidates = other.indexes.filter((i) => !names.has(i.name));
    const used = new Set<DesignIndex>();
    let changed = false;
    const indexes = t.indexes.map((i) => {
      if (otherNames.has(i.name)) return i;
      const match = candidates.find((c) => !used.has(c) && dialect.sameIndexButName(i, c) && dialect.renameIndex(from.schema, t.name, i.name, c.name) !== null);
      if (!match) return i;
      used.add(match);
      changed = true;
      renames.push({ table: t.name, from: i.name, to: match.name });
      return { ...i, id: match.id, name: match.name, definition: match.definition };
    });
    return changed ? { ...t, indexes } : t;
  });
  return { from: renames.length ? { ...from, tables } : from, renames };
}

/**
 * The script turning `from` into `to` (both named as the schema it runs in): the compare's own
 * statements for views, types, routines, sequences and triggers around the designer's table DDL.
 * Objects that read a table whose columns change (views, triggers) are dropped before and created
 * again after; types and routines exist before the tables need them and go once nothing uses them.
 */
export function buildScript(dialect: CompareDialect, fromIn: DesignSchema, to: DesignSchema, sessionSchema: string | null): DirectedScript {
  const schema = to.schema;
  const { from, renames } = findIndexRenames(dialect, fromIn, to);
  const changes = diffDesigns(from, to, dialect.design.rules);
  const tables = dialect.design.migrate(from, to, changes);
  const notes: string[] = [];

  const fromObjects = new Map((from.objects ?? []).map((o) => [objectKey(o), o]));
  const toObjects = new Map((to.objects ?? []).map((o) => [objectKey(o), o]));
  const added = [...toObjects.values()].filter((o) => !fromObjects.has(objectKey(o)));
  const removed = [...fromObjects.values()].filter((o) => !toObjects.has(objectKey(o)));
  const pairs = [...toObjects.values()].flatMap((o) => {
    const before = fromObjects.get(objectKey(o));
    return before ? [{ before, after: o }] : [];
  });
  const differing = pairs.filter((p) => !dialect.sameObject(p.before, p.after));

  // Types, sequences and routines: created, changed in place, or dropped and created again.
  const earlyNow: DesignObject[] = [];
  const earlyDdl = new Map<DesignObject, ObjectDdl>();
  const recreatedEarly: DesignObject[] = [];
  const rewritten = new Set<string>();
  for (const { before, after } of differing.filter((p) => !isLate(p.after))) {
    const ddl = dialect.alter(before, after, schema, { from, to });
    if (ddl) {
      earlyDdl.set(after, ddl);
      earlyNow.push(after);
      for (const t of ddl.rewritesTables ?? []) rewritten.add(t);
    } else {
      recreatedEarly.push(before);
      earlyDdl.set(after, dialect.create(after, schema));
      earlyNow.push(after);
    }
  }
  for (const o of added.filter((x) => !isLate(x))) {
    earlyDdl.set(o, dialect.create(o, schema));
    earlyNow.push(o);
  }

  // Views and triggers: the changed and removed ones go, and with them every one reading a table whose
  // columns change or an object dropped here (and, in turn, whatever reads those).
  const affected = new Set<string>([...rewritten, ...recreatedEarly.map((o) => o.name), ...removed.filter((o) => !isLate(o)).map((o) => o.name)]);
  for (const c of changes) {
    if (!dialect.affectsDependents(c)) continue;
    const t = from.tables.find((x) => x.id === c.tableId) ?? to.tables.find((x) => x.id === c.tableId);
    if (t) affected.add(t.name);
  }
  const lateDropped = new Set<DesignObject>([...removed, ...differing.map((p) => p.before)].filter(isLate));
  for (let grew = true; grew; ) {
    grew = false;
    for (const o of fromObjects.values()) {
      if (!isLate(o) || lateDropped.has(o)) continue;
      if (o.dependsOn.some((d) => affected.has(d)) || (o.table !== null && affected.has(o.table))) {
        lateDropped.add(o);
        grew = true;
      }
    }
    for (const o of lateDropped) if (!affected.has(o.name)) {
      affected.add(o.name);
      grew = true;
    }
  }
  const lateCreated = [...toObjects.values()].filter((o) => isLate(o) && (!fromObjects.has(objectKey(o)) || lateDropped.has(fromObjects.get(objectKey(o))!)));

  // NOT NULL on a column that has rows without a value: filled with its new default first.
  const fills: string[] = [];
  for (const c of changes) {
    if (c.kind !== 'alter-column' || !c.aspects.includes('nullable') || c.aspects.includes('type')) continue;
    const before = from.tables.find((t) => t.id === c.tableId)!;
    const after = to.tables.find((t) => t.id === c.tableId)!;
    const col = columnOf(after, c.columnId);
    if (col.nullable || col.default === null || col.generated) continue;
    fills.push(dialect.fillNulls(schema, before.name, columnOf(before, c.columnId).name, col.default));
    notes.push(`${after.name}.${col.name} becomes NOT NULL: rows without a value get its default (${col.default}) first.`);
  }

  const before: string[] = [];
  const after: string[] = [];
  for (const o of dependenciesFirst([...lateDropped]).reverse()) before.push(...dialect.drop(o, schema));
  for (const r of renames) before.push(dialect.renameIndex(schema, r.table, r.from, r.to)!);
  for (const o of dependenciesFirst(recreatedEarly).reverse()) before.push(...dialect.drop(o, schema));
  for (const o of dependenciesFirst(earlyNow)) {
    const ddl = earlyDdl.get(o)!;
    before.push(...ddl.statements);
    after.push(...(ddl.afterTables ?? []));
    notes.push(...(ddl.notes ?? []));
  }
  before.push(...fills);
  for (const o of dependenciesFirst(lateCreated)) {
    const ddl = dialect.create(o, schema);
    after.push(...ddl.statements, ...(ddl.afterTables ?? []));
  }
  // Comments: of objects created here (a drop took the old one), and of the others where they differ.
  const created = new Set<DesignObject>([...lateCreated, ...added, ...recreatedEarly.map((o) => toObjects.get(objectKey(o))!)]);
  for (const o of toObjects.values()) {
    const old = fromObjects.get(objectKey(o));
    const text = created.has(o) ? (o.comment !== null ? dialect.comment(o, o.comment, schema) : null) : old && (old.comment ?? '') !== (o.comment ?? '') ? dialect.comment(o, o.comment, schema) : null;
    if (text) after.push(text);
  }
  for (const o of dependenciesFirst(removed.filter((x) => !isLate(x))).reverse()) after.push(...dialect.drop(o, schema));

  const script = dialect.assemble({ before, tables, after, notes });
  const envelope = script.statements.length > 0 ? dialect.envelope(schema, sessionSchema) : { before: [], after: [] };
  if (envelope.before.length && script.committedFirst) {
    // The envelope holds for one transaction only: everything goes in it, and a statement using a
    // new enum value would fail there (PostgreSQL), so say so.
    script.notes.push('New enum values are added in the same transaction as the rest (the migration aims at a schema other than the session’s): a statement using one fails; apply it from a session in that schema instead.');
    delete script.committedFirst;
    script.transactional = true;
  }
  script.statements = [...envelope.before, ...script.statements, ...envelope.after];
  return { script, changes, from, renames };
}
