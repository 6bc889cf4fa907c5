import type { EngineKind } from '../../../shared/model/engine';
import { appStore } from '../../../renderer/src/app/app-state';
import { createStore } from '../../../renderer/src/app/store';
import { openTab } from '../../../renderer/src/app/tabs';
import { client } from '../../../renderer/src/ipc/client';
import { toast } from '../../../renderer/src/ui/toasts';
import { errorOf } from '../../connections/renderer/connection-actions';
import { schemaStore } from '../../connections/renderer/schema-cache';

/** The schema the designer opens by default: the connection's current one. */
async function defaultSchema(profileId: string): Promise<string> {
  const known = schemaStore.get()[profileId]?.schemas;
  const list = known?.status === 'ready' ? known.value : await client.call('schema.schemas', { connectionId: profileId });
  const s = list.find((x) => x.isDefault) ?? list[0];
  if (!s) throw new Error('The connection shows no schema to design.');
  return s.name;
}

/** Opens (or focuses) the diagram of a connection's schema. */
export async function openDesigner(profileId: string, schema?: string): Promise<void> {
  try {
    const name = schema ?? (await defaultSchema(profileId));
    openTab({ id: `designer:${profileId}:${name}`, kind: 'schema-designer', title: `Diagram ${name}`, profileId, params: { schema: name } });
  } catch (err) {
    toast({ level: 'error', title: 'Cannot open the schema designer', message: errorOf(err).message });
  }
}

/** A design without a database: its own scope for positions and the draft. */
export function openScratchDesign(d: { title: string; engine: EngineKind; schema: string; scope?: string }): void {
  const scope = d.scope ?? `scratch:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  openTab({ id: `designer:${scope}`, kind: 'schema-designer', title: `Design ${d.title}`, params: { scratch: true, scope, engine: d.engine, schema: d.schema, title: d.title } });
}

/** The UI state for the "new design" dialog (opened from the top bar or a shortcut). */
export const newDesignStore = createStore<{ open: boolean }>({ open: false });

export function selectedOpenConnection(): string | null {
  const s = appStore.get();
  const id = s.selectedProfileId;
  return id && s.connections[id]?.status === 'open' ? id : null;
}
