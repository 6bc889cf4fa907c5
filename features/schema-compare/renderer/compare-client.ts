import type { CompareProgress, CompareRunOutput } from '../../../shared/ipc/commands/schema-compare';
import type { IpcError } from '../../../shared/ipc/errors';
import { engineFamily, engineLabels } from '../../../shared/model/engine';
import type { ConnectionProfile } from '../../../shared/model/connection';
import { appStore } from '../../../renderer/src/app/app-state';
import { client } from '../../../renderer/src/ipc/client';
import { openConnection } from '../../connections/renderer/connection-actions';
import { newRunId } from '../../migrations/renderer/migration-client';

/** One side as the person chose it: a saved connection and a schema in it ('' : the connection's own). */
export interface SidePick {
  profileId: string | null;
  schema: string;
}

/** Where a compare in this tab is. */
export type CompareRun =
  | { status: 'idle' }
  | { status: 'running'; runId: string; progress: CompareProgress[]; cancelling?: boolean; controller: AbortController }
  | { status: 'done'; output: CompareRunOutput; at: number }
  | { status: 'failed'; error: IpcError; /** The side whose connection failed, when that is what happened. */ side?: 'source' | 'target' };

/** Two profiles of different engine families, said in words; null when they are one family (or one is not chosen). */
export function familyMismatch(source: ConnectionProfile | undefined, target: ConnectionProfile | undefined): string | null {
  if (!source || !target || engineFamily(source.engine) === engineFamily(target.engine)) return null;
  return `${source.name} is ${engineLabels[source.engine]} and ${target.name} is ${engineLabels[target.engine]}: a compare needs two schemas of one engine family.`;
}

/**
 * Opens a side's connection in this window when it is not open yet. The connection panel keeps the
 * connection it had selected (opening one selects it). Answers the error when it cannot connect.
 */
export async function ensureOpen(profileId: string): Promise<IpcError | null> {
  const state = appStore.get();
  if (state.connections[profileId]?.status === 'open') return null;
  const selected = state.selectedProfileId;
  const ok = await openConnection(profileId);
  appStore.set({ selectedProfileId: selected });
  if (ok) return null;
  return appStore.get().connections[profileId]?.error ?? { code: 'connection-failed', message: 'The connection could not be opened.' };
}

/** Runs a compare, passing its progress events to `onProgress` until it answers; `signal` cancels it. */
export async function runCompare(
  runId: string,
  source: { profileId: string; schema: string; label: string },
  target: { profileId: string; schema: string; label: string },
  onProgress: (p: CompareProgress) => void,
  signal: AbortSignal,
): Promise<CompareRunOutput> {
  const off = client.on('compare.progress', (e) => {
    if (e.runId === runId) onProgress(e);
  });
  try {
    return await client.call('compare.run', {
      runId,
      source: { connectionId: source.profileId, schema: source.schema === '' ? null : source.schema, label: source.label },
      target: { connectionId: target.profileId, schema: target.schema === '' ? null : target.schema, label: target.label },
    }, { signal });
  } finally {
    off();
  }
}


export { newRunId };
