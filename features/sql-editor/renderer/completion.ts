import type { CompletionSchema } from './completion-namespace';
import { createStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';

export type { CompletionSchema } from './completion-namespace';
export { toNamespace } from './completion-namespace';

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
