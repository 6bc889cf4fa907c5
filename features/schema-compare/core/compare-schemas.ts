import { describeChange } from '../../designer/shared/diff';
import type { DesignObject, DesignSchema } from '../../designer/shared/model';
import { withoutBookkeeping } from '../../designer/core/bookkeeping';
import { sectionText } from '../../designer/core/plan-migration';
import { migrationSlug, timestampVersion } from '../../migrations/core';
import type { CompareItem, CompareResult } from '../shared/compare-model';
import { itemLabel } from '../shared/compare-model';
import { objectKey } from '../shared/object-order';
import type { CompareDialect } from './compare-dialect';
import { buildScript } from './compare-script';

export interface CompareSideInput {
  design: DesignSchema;
  label: string;
}

export interface CompareOptions {
  /** The target's session default schema (PostgreSQL current_schema(), the MySQL database): decides the script's envelope. */
  targetSessionSchema: string | null;
  /** The migration's name (file name and header). */
  name?: string;
  now?: Date;
}

/**
 * Both sides as the compare sees them: migration tools' own tables left out, the source named as the
 * target's schema (its texts are schema-relative already), and views and triggers only as objects
 * (the designer keeps copies for SQLite rebuilds, which the compare recreates itself).
 */
function prepare(design: DesignSchema, schema: string): { design: DesignSchema; ignored: string[] } {
  const { design: d, hidden } = withoutBookkeeping(design);
  const hiddenSet = new Set(hidden.map((h) => h.toLowerCase()));
  // And what belongs to those tables (their triggers, the sequences their columns own).
  const objects = (d.objects ?? []).filter((o) => !(o.table !== null && hiddenSet.has(o.table.toLowerCase())) && !o.dependsOn.some((n) => hiddenSet.has(n.toLowerCase())));
  return { design: { ...d, schema, views: [], objects, tables: d.tables.map((t) => ({ ...t, triggers: [] })) }, ignored: hidden };
}

function objectItem(o: DesignObject, status: CompareItem['status'], source: DesignObject | null, target: DesignObject | null, details: string[]): CompareItem {
  return { kind: o.kind, name: o.name, signature: o.signature, table: o.table, status, details, sourceDdl: source?.definition ?? null, targetDdl: target?.definition ?? null };
}

/**
 * Compares two schemas of one engine family: what differs, grouped by object, with each side's DDL,
 * and the migration turning the target into the source (up) and back (down).
 */
export function compareSchemas(dialect: CompareDialect, source: CompareSideInput, target: CompareSideInput, options: CompareOptions): CompareResult {
  const schema = target.design.schema;
  const t = prepare(target.design, schema);
  const s = prepare(source.design, schema);
  const up = buildScript(dialect, t.design, s.design, options.targetSessionSchema);
  const down = buildScript(dialect, s.design, t.design, options.targetSessionSchema);

  const items: CompareItem[] = [];
  const byTable = new Map<string, string[]>();
  const status = new Map<string, CompareItem['status']>();
  for (const c of up.changes) {
    const line = describeChange(c, up.from, s.design);
    const tableId = c.tableId;
    byTable.set(tableId, [...(byTable.get(tableId) ?? []), line.text]);
    status.set(tableId, c.kind === 'create-table' ? 'added' : c.kind === 'drop-table' ? 'removed' : (status.get(tableId) ?? 'changed'));
  }
  for (const r of up.renames) {
    const table = t.design.tables.find((x) => x.name === r.table)!;
    byTable.set(table.id, [`rename index ${r.from} → ${r.to}`, ...(byTable.get(table.id) ?? [])]);
    status.set(table.id, status.get(table.id) ?? 'changed');
  }
  for (const [id, lines] of byTable) {
    const before = t.design.tables.find((x) => x.id === id) ?? null;
    const after = s.design.tables.find((x) => x.id === id) ?? null;
    const table = (after ?? before)!;
    items.push({
      kind: 'table',
      name: table.name,
      signature: null,
      table: null,
      status: status.get(id)!,
      details: lines,
      sourceDdl: after ? dialect.tableDdl(s.design, after) : null,
      targetDdl: before ? dialect.tableDdl(t.design, before) : null,
    });
  }
  const sameTables = s.design.tables.filter((x) => t.design.tables.some((y) => y.id === x.id) && !byTable.has(x.id)).length;

  const targetObjects = new Map((t.design.objects ?? []).map((o) => [objectKey(o), o]));
  const sourceObjects = new Map((s.design.objects ?? []).map((o) => [objectKey(o), o]));
  let sameObjects = 0;
  for (const o of sourceObjects.values()) {
    const other = targetObjects.get(objectKey(o));
    if (!other) {
      items.push(objectItem(o, 'added', o, null, [`create ${itemLabel(o)}`]));
      continue;
    }
    const details: string[] = [];
    if (!dialect.sameObject(other, o)) details.push(`${itemLabel(o)} is defined differently`);
    if ((other.comment ?? '') !== (o.comment ?? '')) details.push(`comment: ${o.comment ?? '(none)'}`);
    if (details.length) items.push(objectItem(o, 'changed', o, other, details));
    else sameObjects++;
  }
  for (const o of targetObjects.values()) if (!sourceObjects.has(objectKey(o))) items.push(objectItem(o, 'removed', null, o, [`drop ${itemLabel(o)}`]));

  const order = { added: 0, changed: 1, removed: 2 } as const;
  items.sort((a, b) => order[a.status] - order[b.status] || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));

  const name = options.name ?? `match ${source.label}`;
  const fileName = `${timestampVersion(options.now ?? new Date())}_${migrationSlug(name)}.sql`;
  const header = `-- ${name.replace(/\n/g, ' ')}\n-- Written by DB Desk's schema compare for ${target.design.engine}: turns ${target.label} (${schema}) into ${source.label} (${source.design.schema}).\n\n`;
  return {
    engine: target.design.engine,
    source: { label: source.label, schema: source.design.schema },
    target: { label: target.label, schema },
    equal: items.length === 0,
    items,
    same: sameTables + sameObjects,
    ignored: [...new Set([...s.ignored, ...t.ignored])].sort(),
    migration: {
      up: up.script,
      down: down.script,
      fileName,
      fileText: `${header}${sectionText('up', up.script)}\n${sectionText('down', down.script)}`,
      lint: [],
    },
  };
}
