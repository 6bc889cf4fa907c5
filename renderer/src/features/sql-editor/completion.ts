import type { SQLNamespace } from '@codemirror/lang-sql';
import type { CompletionColumn } from '../../../../shared/model/query';
import type { SchemaSummary, TableSummary } from '../../../../shared/model/schema';
import { createStore } from '../../app/store';
import { client } from '../../ipc/client';

/** What completion knows of a connection's live schema. */
export interface CompletionSchema {
  schemas: SchemaSummary[];
  tables: Record<string, TableSummary[]>;
  columns: Record<string, CompletionColumn[]>;
  defaultSchema: string | null;
}

export const completionStore = createStore<Record<string, CompletionSchema>>({});

/** Schemas whose columns are read at once besides the default one (the rest: table names only). */
const EAGER_SCHEMAS = 8;

/**
 * Reads the schema for completion: every schema's tables, and the columns of the default schema
 * first (then a few more), each in one round trip. Reloads on demand (after DDL, F5).
 */
export async function loadCompletionSchema(profileId: string): Promise<void> {
  const schemas = await client.call('schema.schemas', { connectionId: profileId });
  const def = schemas.find((s) => s.isDefault)?.name ?? schemas[0]?.name ?? null;
  const ordered = [...schemas].sort((a, b) => Number(b.name === def) - Number(a.name === def));
  const state: CompletionSchema = { schemas, tables: {}, columns: {}, defaultSchema: def };
  const publish = () => completionStore.set((all) => ({ ...all, [profileId]: { ...state, tables: { ...state.tables }, columns: { ...state.columns } } }));
  for (const [i, s] of ordered.entries()) {
    try {
      state.tables[s.name] = await client.call('schema.tables', { connectionId: profileId, schema: s.name });
      if (i < EAGER_SCHEMAS) state.columns[s.name] = await client.call('query.columns', { connectionId: profileId, schema: s.name });
    } catch {
      /* a schema we may not read: complete the others */
    }
    if (i === 0) publish();
  }
  publish();
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
