import type { DesignSchema, DesignTable } from './model';

/** A foreign key as an edge of the diagram: from the referencing (child) table to the referenced one. */
export interface DesignEdge {
  id: string;
  /** Child table id (holds the foreign key). */
  source: string;
  /** Parent table id (referenced). */
  target: string;
  foreignKeyId: string;
  sourceColumns: string[];
  targetColumns: string[];
  /** The child side: one row per parent at most (the FK columns are unique) or many. */
  childCardinality: 'one' | 'many';
  /** The parent side: exactly one (NOT NULL FK columns) or zero-or-one (nullable). */
  parentOptional: boolean;
}

function coveredByKey(table: DesignTable, columnIds: readonly string[]): boolean {
  const covers = (key: readonly string[]) => key.length > 0 && key.every((c) => columnIds.includes(c));
  return (!!table.primaryKey && covers(table.primaryKey.columns)) || table.uniques.some((u) => covers(u.columns)) || table.indexes.some((i) => i.unique && !i.where && covers(i.columns));
}

/** Every foreign key between two tables of the design, with the cardinality its keys imply. */
export function designEdges(design: DesignSchema): DesignEdge[] {
  const ids = new Set(design.tables.map((t) => t.id));
  const out: DesignEdge[] = [];
  for (const t of design.tables) {
    for (const f of t.foreignKeys) {
      if (f.refSchema !== null || !ids.has(f.refTable)) continue;
      out.push({
        id: `${t.id}|${f.id}`,
        source: t.id,
        target: f.refTable,
        foreignKeyId: f.id,
        sourceColumns: f.columns,
        targetColumns: f.refColumns,
        childCardinality: coveredByKey(t, f.columns) ? 'one' : 'many',
        parentOptional: f.columns.some((c) => t.columns.find((x) => x.id === c)?.nullable !== false),
      });
    }
  }
  return out;
}

/** Tables within `depth` foreign-key hops of `tableId`, in either direction (the table itself included). */
export function neighbourhood(design: DesignSchema, tableId: string, depth: number): Set<string> {
  const adj = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!adj.has(a)) adj.set(a, new Set());
    adj.get(a)!.add(b);
  };
  for (const e of designEdges(design)) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const seen = new Set([tableId]);
  let frontier = [tableId];
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const n of adj.get(id) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        next.push(n);
      }
    }
    frontier = next;
  }
  return seen;
}

export interface SearchHit {
  tableId: string;
  table: string;
  /** The column that matched, when the table name did not. */
  column?: string;
}

/** Tables whose name (first) or a column's name contains the text, case-insensitively. */
export function searchDesign(design: DesignSchema, text: string, limit = 50): SearchHit[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [];
  const byName: SearchHit[] = [];
  const byColumn: SearchHit[] = [];
  for (const t of design.tables) {
    const name = t.name.toLowerCase();
    if (name.includes(needle)) byName.push({ tableId: t.id, table: t.name });
    else {
      const c = t.columns.find((x) => x.name.toLowerCase().includes(needle));
      if (c) byColumn.push({ tableId: t.id, table: t.name, column: c.name });
    }
  }
  // Exact and prefix matches first: typing "orders" finds orders before order_items_archive.
  const rank = (h: SearchHit) => {
    const n = h.table.toLowerCase();
    return n === needle ? 0 : n.startsWith(needle) ? 1 : 2;
  };
  byName.sort((a, b) => rank(a) - rank(b) || a.table.localeCompare(b.table));
  return [...byName, ...byColumn].slice(0, limit);
}
