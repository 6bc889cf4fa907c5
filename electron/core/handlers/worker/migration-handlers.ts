import { defaultMigrationSettings, type MigrationSettings } from '../../../../shared/model/migrations';
import { forcedLockStrategy, MigrationRunner } from '../../../../features/migrations/core';
import type { OpenConnectionEntry } from '../../worker/connection-registry';
import { CoreError, redactSecrets } from '../../errors';
import type { ShadowRunInput } from '../../../../features/migrations/core/shadow/shadow';
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

/**
 * What a drift check or rehearsal needs of an open connection: its profile (the shadow is made beside it),
 * engine and adapter; a shadow URL becomes a profile of the same family. Cancelled by the call's signal
 * or by migrations.cancel with the run id.
 */
async function shadowInput(entry: OpenConnectionEntry, input: { dir: string; settings: MigrationSettings; runId: string; shadowUrl?: string | undefined }, ctx: WorkerContext & { signal: AbortSignal }, signal: AbortSignal): Promise<ShadowRunInput> {
  if (!entry.config) throw new CoreError('unsupported', 'This connection was opened without its profile: reconnect it to check drift or rehearse.');
  const { shadowConfigFromUrl } = await import('../../../../features/migrations/core/shadow/shadow-url');
  const shadowConfig = input.shadowUrl ? shadowConfigFromUrl(input.shadowUrl, entry.config) : null;
  const label = entry.databaseName;
  const progress = progressTo(ctx, entry.connectionId);
  return { live: { config: entry.config, engine: entry.engine, adapter: entry.engine.migrations(), label }, shadowConfig, dir: input.dir, settings: input.settings, runId: input.runId, signal, onProgress: progress };
}

/** A shadow URL's password never leaves the worker, in an error's text either. */
async function scrubShadowUrl<T>(shadowUrl: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const password = shadowUrl ? /^[^:]+:\/\/[^:/@]*:([^@]*)@/.exec(shadowUrl)?.[1] : undefined;
    if (password && err instanceof Error) {
      const secrets = [password, (() => { try { return decodeURIComponent(password); } catch { return password; } })()];
      err.message = redactSecrets(err.message, secrets);
    }
    throw err;
  }
}

/** Both ways of cancelling: the call's own signal, and migrations.cancel by run id. */
function bothSignals(call: AbortSignal, run: AbortSignal): AbortSignal {
  return AbortSignal.any([call, run]);
}

export const migrationWorkerHandlers: WorkerCommandHandlers = {
  async 'migrations.drift'(input, ctx) {
    const entry = ctx.registry.get(input.connectionId);
    return scrubShadowUrl(input.shadowUrl, () => tracked(input.runId, async (runSignal) => {
      const { checkDrift } = await import('../../../../features/migrations/core/shadow/drift');
      return checkDrift(await shadowInput(entry, input, ctx, bothSignals(ctx.signal, runSignal)));
    }));
  },

  async 'migrations.rehearse'(input, ctx) {
    const entry = ctx.registry.get(input.connectionId);
    return scrubShadowUrl(input.shadowUrl, () => tracked(input.runId, async (runSignal) => {
      const { rehearse } = await import('../../../../features/migrations/core/shadow/rehearse');
      return rehearse(await shadowInput(entry, input, ctx, bothSignals(ctx.signal, runSignal)), { copyRowsUpTo: input.copyRowsUpTo, to: input.to });
    }));
  },

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
