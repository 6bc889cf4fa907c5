import type { SQLNamespace } from '@codemirror/lang-sql';
import type { CompletionColumn } from '../../../shared/model/query';
import type { SchemaSummary, TableSummary } from '../../../shared/model/schema';

/** What completion knows of a connection's live schema. */
export interface CompletionSchema {
  schemas: SchemaSummary[];
  tables: Record<string, TableSummary[]>;
  columns: Record<string, CompletionColumn[]>;
  defaultSchema: string | null;
}

/**
 * The namespace lang-sql completes from: schema → table → columns, the default schema's tables
 * also at the top level. Columns carry their type as detail. lang-sql resolves `alias.` itself
 * from the statement's FROM clause.
 */
export function toNamespace(schema: CompletionSchema | undefined): { namespace: SQLNamespace; defaultSchema: string | undefined } {
  if (!schema) return { namespace: {}, defaultSchema: undefined };
  const namespace: Record<string, SQLNamespace> = {};
  for (const s of schema.schemas) {
    const tables: Record<string, SQLNamespace> = {};
    const byTable = new Map<string, CompletionColumn[]>();
    for (const c of schema.columns[s.name] ?? []) {
      const list = byTable.get(c.table) ?? [];
      list.push(c);
      byTable.set(c.table, list);
    }
    for (const t of schema.tables[s.name] ?? []) {
      const cols = (byTable.get(t.name) ?? []).map((c) => ({ label: c.column, type: 'property', detail: c.dataType }));
      tables[t.name] = { self: { label: t.name, type: t.kind === 'table' ? 'type' : 'class', detail: t.kind.replace('-', ' ') }, children: cols };
    }
    namespace[s.name] = { self: { label: s.name, type: 'namespace', detail: s.isDefault ? 'schema (default)' : 'schema' }, children: tables };
  }
  return { namespace, defaultSchema: schema.defaultSchema ?? undefined };
}
