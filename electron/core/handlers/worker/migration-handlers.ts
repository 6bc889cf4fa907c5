import { defaultMigrationSettings, type MigrationSettings } from '../../../../shared/model/migrations';
import { forcedLockStrategy, MigrationRunner } from '../../../../features/migrations/core';
import type { OpenConnectionEntry } from '../../worker/connection-registry';
import type { WorkerCommandHandlers, WorkerContext } from '../../worker/worker-context';

/** Runs in progress in this worker, by run id, so migrations.cancel can stop them between statements. */
const runs = new Map<string, AbortController>();

function runnerFor(entry: OpenConnectionEntry, settings: MigrationSettings): MigrationRunner {
  return new MigrationRunner({ adapter: entry.engine.migrations(), settings, production: entry.production, readOnly: entry.readOnly, lockStrategy: forcedLockStrategy() });
}

async function tracked<T>(runId: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  runs.set(runId, controller);
  try {
    return await fn(controller.signal);
  } finally {
    runs.delete(runId);
  }
}

const progressTo = (ctx: WorkerContext, connectionId: string) => (p: Parameters<NonNullable<Parameters<MigrationRunner['apply']>[2]['onProgress']>>[0]) =>
  ctx.emit('migration.progress', { ...p, connectionId });

export const migrationWorkerHandlers: WorkerCommandHandlers = {
  async 'migrations.status'({ connectionId, dir, settings }, { registry }) {
    return runnerFor(registry.get(connectionId), settings).status(dir);
  },

  async 'migrations.plan'({ connectionId, dir, settings, request }, { registry }) {
    return runnerFor(registry.get(connectionId), settings).plan(dir, request);
  },

  async 'migrations.apply'({ connectionId, dir, settings, request, runId, confirmDatabase, approved }, ctx) {
    const runner = runnerFor(ctx.registry.get(connectionId), settings);
    return tracked(runId, (signal) =>
      runner.apply(dir, request, { runId, signal, approved, confirm: confirmDatabase !== undefined ? { database: confirmDatabase } : undefined, onProgress: progressTo(ctx, connectionId) }),
    );
  },

  async 'migrations.repair'({ connectionId, dir, settings, action, version, runId, confirmDatabase }, ctx) {
    const runner = runnerFor(ctx.registry.get(connectionId), settings);
    return tracked(runId, (signal) =>
      runner.repair(dir, action, version, { runId, signal, confirm: confirmDatabase !== undefined ? { database: confirmDatabase } : undefined, onProgress: progressTo(ctx, connectionId) }),
    );
  },

  async 'migrations.cancel'({ runId }) {
    const run = runs.get(runId);
    run?.abort();
    return { cancelled: run !== undefined };
  },

  async 'migrations.history'({ connectionId }, { registry }) {
    return runnerFor(registry.get(connectionId), defaultMigrationSettings).history();
  },

  async 'migrations.compareTable'({ connectionId, dir, settings, version }, { registry }) {
    return runnerFor(registry.get(connectionId), settings).compareTable(dir, version);
  },

  async 'migrations.releaseLock'({ connectionId, settings, ref }, { registry }) {
    return { message: await runnerFor(registry.get(connectionId), settings).releaseLock(ref) };
  },
};
