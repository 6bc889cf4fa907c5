import { defaultMigrationSettings, type MigrationSettings } from '../../../../shared/model/migrations';
import { forcedLockStrategy, MigrationRunner } from '../../../../features/migrations/core';
import type { OpenConnectionEntry } from '../../worker/connection-registry';
import { CoreError, redactSecrets } from '../../errors';
import type { ShadowRunInput } from '../../../../features/migrations/core/shadow/shadow';
import type { WorkerCommandHandlers, WorkerContext } from '../../worker/worker-context';

function runnerFor(entry: OpenConnectionEntry, settings: MigrationSettings): MigrationRunner {
  return new MigrationRunner({ adapter: entry.engine.migrations(), settings, production: entry.production, readOnly: entry.readOnly, lockStrategy: forcedLockStrategy() });
}

const progressTo = (ctx: WorkerContext, connectionId: string) => (p: Parameters<NonNullable<Parameters<MigrationRunner['apply']>[2]['onProgress']>>[0]) =>
  ctx.emit('migration.progress', { ...p, connectionId });

/**
 * What a drift check or rehearsal needs of an open connection: its profile (the shadow is made beside it),
 * engine and adapter; a shadow URL becomes a profile of the same family. Cancelled by the call's signal.
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


export const migrationWorkerHandlers: WorkerCommandHandlers = {
  async 'migrations.drift'(input, ctx) {
    const entry = ctx.registry.get(input.connectionId);
    return scrubShadowUrl(input.shadowUrl, async () => {
      const { checkDrift } = await import('../../../../features/migrations/core/shadow/drift');
      return checkDrift(await shadowInput(entry, input, ctx, ctx.signal));
    });
  },

  async 'migrations.rehearse'(input, ctx) {
    const entry = ctx.registry.get(input.connectionId);
    return scrubShadowUrl(input.shadowUrl, async () => {
      const { rehearse } = await import('../../../../features/migrations/core/shadow/rehearse');
      return rehearse(await shadowInput(entry, input, ctx, ctx.signal), { copyRowsUpTo: input.copyRowsUpTo, to: input.to, approved: input.approved });
    });
  },

  async 'migrations.status'({ connectionId, dir, settings }, { registry }) {
    return runnerFor(registry.get(connectionId), settings).status(dir);
  },

  async 'migrations.plan'({ connectionId, dir, settings, request }, { registry }) {
    return runnerFor(registry.get(connectionId), settings).plan(dir, request);
  },

  /** The caller's signal stops the run between two statements; the call answers with what was applied. */
  async 'migrations.apply'({ connectionId, dir, settings, request, runId, confirmDatabase, approved }, ctx) {
    const runner = runnerFor(ctx.registry.get(connectionId), settings);
    return runner.apply(dir, request, { runId, signal: ctx.signal, approved, confirm: confirmDatabase !== undefined ? { database: confirmDatabase } : undefined, onProgress: progressTo(ctx, connectionId) });
  },

  async 'migrations.repair'({ connectionId, dir, settings, action, version, runId, confirmDatabase }, ctx) {
    const runner = runnerFor(ctx.registry.get(connectionId), settings);
    return runner.repair(dir, action, version, { runId, signal: ctx.signal, confirm: confirmDatabase !== undefined ? { database: confirmDatabase } : undefined, onProgress: progressTo(ctx, connectionId) });
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
