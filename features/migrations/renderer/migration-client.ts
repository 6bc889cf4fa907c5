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

/**
 * The AbortController of each run's call (migrations.apply / .repair) in this window, by run id: Cancel
 * — from the run's own progress view or any other view of the window that knows the run id — aborts
 * the call itself, and the core stops the run between two statements. Nothing but the call's own
 * cancel crosses IPC; another window cannot reach this window's runs.
 */
const runCalls = new Map<string, AbortController>();

/** Subscribes to this run's progress for as long as it runs, and makes the run cancellable by its id. */
async function withProgress<T>(runId: string, cb: RunCallbacks, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const off = client.on('migration.progress', (e) => {
    if (e.runId === runId) cb.onEvent(e);
  });
  const controller = new AbortController();
  runCalls.set(runId, controller);
  try {
    return await call(controller.signal);
  } finally {
    off();
    if (runCalls.get(runId) === controller) runCalls.delete(runId);
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
  return withProgress(runId, cb, (signal) =>
    client.call('migrations.apply', {
      connectionId,
      dir: settings.dir!,
      settings,
      request,
      runId,
      approved: plan.steps.map((s) => `${s.version}:${s.direction}`),
      ...(confirmDatabase !== undefined ? { confirmDatabase } : {}),
    }, { signal }),
  );
}

export function repair(connectionId: string, settings: MigrationSettings, action: RepairAction, version: string, runId: string, confirmDatabase: string | undefined, cb: RunCallbacks): Promise<RunResult> {
  return withProgress(runId, cb, (signal) =>
    client.call('migrations.repair', { connectionId, dir: settings.dir!, settings, action, version, runId, ...(confirmDatabase !== undefined ? { confirmDatabase } : {}) }, { signal }),
  );
}

/** Stops a run of this window between two statements (its call answers with what was applied). */
export function cancelRun(runId: string): void {
  runCalls.get(runId)?.abort();
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
