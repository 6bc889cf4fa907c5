import type { PlanRequestInput } from '../../../shared/ipc/commands/migrations';
import type { MigrationPlan, MigrationProgress, MigrationSettings, RepairAction, RunResult } from '../../../shared/model/migrations';
import { client } from '../../../renderer/src/ipc/client';

export type Load<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; message: string };

export function newRunId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A run in this tab: its progress events as they arrive, then its result. */
export interface RunState {
  runId: string;
  title: string;
  events: MigrationProgress[];
  result?: RunResult;
  error?: string;
  cancelling?: boolean;
}

export interface RunCallbacks {
  onEvent(e: MigrationProgress): void;
}

/** Subscribes to this run's progress for as long as it runs. */
async function withProgress<T>(runId: string, cb: RunCallbacks, call: () => Promise<T>): Promise<T> {
  const off = client.on('migration.progress', (e) => {
    if (e.runId === runId) cb.onEvent(e);
  });
  try {
    return await call();
  } finally {
    off();
  }
}

export function applyPlan(
  connectionId: string,
  settings: MigrationSettings,
  request: PlanRequestInput,
  plan: MigrationPlan,
  runId: string,
  confirmDatabase: string | undefined,
  cb: RunCallbacks,
): Promise<RunResult> {
  return withProgress(runId, cb, () =>
    client.call('migrations.apply', {
      connectionId,
      dir: settings.dir!,
      settings,
      request,
      runId,
      approved: plan.steps.map((s) => `${s.version}:${s.direction}`),
      ...(confirmDatabase !== undefined ? { confirmDatabase } : {}),
    }),
  );
}

export function repair(connectionId: string, settings: MigrationSettings, action: RepairAction, version: string, runId: string, confirmDatabase: string | undefined, cb: RunCallbacks): Promise<RunResult> {
  return withProgress(runId, cb, () =>
    client.call('migrations.repair', { connectionId, dir: settings.dir!, settings, action, version, runId, ...(confirmDatabase !== undefined ? { confirmDatabase } : {}) }),
  );
}

export function cancelRun(runId: string) {
  return client.call('migrations.cancel', { runId });
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
