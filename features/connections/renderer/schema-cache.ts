import type { SchemaSummary, TableSummary } from '../../../shared/model/schema';
import { createStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf } from './connection-actions';

type Load<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; message: string };

export interface ConnectionSchema {
  schemas: Load<SchemaSummary[]>;
  tables: Record<string, Load<TableSummary[]>>;
  expanded: Record<string, boolean>;
}

/** What the schema tree knows per open connection: schemas, then tables per expanded schema. */
export const schemaStore = createStore<Record<string, ConnectionSchema>>({});

function patch(profileId: string, f: (c: ConnectionSchema) => ConnectionSchema): void {
  schemaStore.set((all) => ({ ...all, [profileId]: f(all[profileId] ?? { schemas: { status: 'loading' }, tables: {}, expanded: {} }) }));
}

export async function loadSchemas(profileId: string): Promise<void> {
  patch(profileId, (c) => ({ ...c, schemas: { status: 'loading' }, tables: {} }));
  try {
    const schemas = await client.call('schema.schemas', { connectionId: profileId });
    patch(profileId, (c) => ({ ...c, schemas: { status: 'ready', value: schemas } }));
    const def = schemas.find((s) => s.isDefault) ?? (schemas.length === 1 ? schemas[0] : undefined);
    if (def) await setExpanded(profileId, def.name, true);
    for (const [name, open] of Object.entries(schemaStore.get()[profileId]?.expanded ?? {})) {
      if (open && name !== def?.name && schemas.some((s) => s.name === name)) void loadTables(profileId, name);
    }
  } catch (err) {
    patch(profileId, (c) => ({ ...c, schemas: { status: 'failed', message: errorOf(err).message } }));
  }
}

export async function loadTables(profileId: string, schema: string): Promise<void> {
  patch(profileId, (c) => ({ ...c, tables: { ...c.tables, [schema]: { status: 'loading' } } }));
  try {
    const tables = await client.call('schema.tables', { connectionId: profileId, schema });
    patch(profileId, (c) => ({ ...c, tables: { ...c.tables, [schema]: { status: 'ready', value: tables } } }));
  } catch (err) {
    patch(profileId, (c) => ({ ...c, tables: { ...c.tables, [schema]: { status: 'failed', message: errorOf(err).message } } }));
  }
}

export async function setExpanded(profileId: string, schema: string, open: boolean): Promise<void> {
  patch(profileId, (c) => ({ ...c, expanded: { ...c.expanded, [schema]: open } }));
  const current = schemaStore.get()[profileId]?.tables[schema];
  if (open && (!current || current.status === 'failed')) await loadTables(profileId, schema);
}

export function forgetSchema(profileId: string): void {
  schemaStore.set((all) => {
    const { [profileId]: _gone, ...rest } = all;
    return rest;
  });
}
