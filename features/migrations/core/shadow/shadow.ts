import type { Engine } from '../../../../electron/core/engines';
import type { EngineConfig } from '../../../../electron/core/engines/config';
import { CoreError } from '../../../../electron/core/errors';
import type { MigrationProgress, MigrationSettings } from '../../../../shared/model/migrations';
import type { ShadowInfo } from '../../shared/shadow-model';
import type { MigrationAdapter } from '../migration-adapter';
import { ShadowRefusedError, type ShadowHome } from './shadow-port';
import { shadowName, sweepShadows, SWEEP_AGE_MS, type SweepResult } from './sweep';

export { shadowName } from './sweep';

/** The live database a drift check or rehearsal reads (never changes). */
export interface LiveDatabase {
  /** Its profile with the password: the shadow is made beside it, reached the same way. */
  config: EngineConfig;
  /** Open: its design is read through it. */
  engine: Engine;
  /** Its migration adapter: history, plan. */
  adapter: MigrationAdapter;
  /** As messages call it. */
  label: string;
}

export interface ShadowRunInput {
  live: LiveDatabase;
  /** A configured shadow database (from a shadow URL), or null for a temporary one beside the live database. */
  shadowConfig: EngineConfig | null;
  dir: string;
  settings: MigrationSettings;
  runId: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: MigrationProgress) => void) | undefined;
  /** Shadows left behind older than this are swept before a temporary one is made (SWEEP_AGE_MS, a day, unless set). */
  sweepOlderThanMs?: number | undefined;
}

/** The shadow while a run uses it. */
export interface OpenShadow {
  home: ShadowHome;
  adapter: MigrationAdapter;
  /** Opened on first use (reading the shadow's design). */
  engine(): Promise<Engine>;
  /** The schema its objects are in. */
  schema(): Promise<string>;
}

/**
 * The shadows this process has made and not dropped yet, so a window that goes away can drop those whose
 * run is still busy after it was cancelled (`dropOpenShadows`, from the worker's closing).
 */
const openShadows = new Map<string, ShadowHome>();

/** Drops every shadow still open in this process (each run drops its own again: drop is safe to call twice). */
export async function dropOpenShadows(): Promise<void> {
  await Promise.allSettled([...openShadows.values()].map((home) => home.drop()));
}

export function shadowProgress(input: ShadowRunInput, started: number, message: string): void {
  input.onProgress?.({ runId: input.runId, kind: 'shadow', stepsDone: 0, stepsTotal: 0, message, elapsedMs: Date.now() - started });
}

/**
 * Makes a shadow database (a temporary one beside the live database, or the configured one), runs
 * `body` with it, and always drops it — after success, failure and cancel alike. A shadow that cannot
 * be dropped is said, with how to drop it by hand, in `shadow.dropError` (and in the error thrown).
 */
export async function withShadow<T>(input: ShadowRunInput, started: number, body: (shadow: OpenShadow) => Promise<T>): Promise<{ value: T; shadow: ShadowInfo }> {
  const { openEngine, openMigrations } = await import('../../../../electron/core/engines');
  const port = await input.live.engine.dialect.shadow();
  const name = shadowName();
  input.signal?.throwIfAborted();

  // The configured database is reached with its own adapter; a temporary one through the live database's.
  let configured: Awaited<ReturnType<typeof openMigrations>> | null = null;
  let home: ShadowHome;
  let sweep: SweepResult = { swept: [], problem: null };
  try {
    if (input.shadowConfig) {
      configured = await openMigrations(input.shadowConfig);
      const adapter = configured.adapter;
      home = await port.useConfigured(input.shadowConfig, () => adapter.openConnection(), name);
    } else {
      const open = () => input.live.adapter.openConnection();
      // Shadows that runs killed outright left behind (they could not drop their own), before making one more.
      sweep = await sweepShadows(port, input.live.config, open, { olderThanMs: input.sweepOlderThanMs ?? SWEEP_AGE_MS, inUse: new Set(openShadows.keys()) });
      for (const s of sweep.swept) shadowProgress(input, started, `Swept a shadow an earlier run left behind: ${s.description} (made ${s.createdAt})`);
      if (sweep.problem) shadowProgress(input, started, sweep.problem);
      home = await port.createTemporary(input.live.config, open, name);
    }
  } catch (err) {
    await configured?.close().catch(() => undefined);
    if (err instanceof ShadowRefusedError) throw new CoreError('invalid-input', err.message, { shadow: 'not-empty' });
    const problem = input.shadowConfig ? null : port.privilegeProblem(err, input.live.config);
    if (problem) throw new CoreError('forbidden', problem, { shadow: 'no-privilege' });
    throw err;
  }
  openShadows.set(name, home);
  shadowProgress(input, started, `Shadow: ${home.description}`);

  let engine: Engine | null = null;
  let opened: Awaited<ReturnType<typeof openMigrations>> | null = null;
  let release: (() => Promise<void>) | null = null;
  let failure: unknown = null;
  let value: T | undefined;
  try {
    opened = await openMigrations(home.config);
    const adapter = opened.adapter;
    // Held while this run lives, so another process's sweep leaves it alone (a temporary one: a configured one is never swept).
    if (!input.shadowConfig) release = await port.hold(() => adapter.openConnection(), name);
    const open: OpenShadow = {
      home,
      adapter,
      engine: async () => (engine ??= await openEngine(home.config)),
      schema: async () => {
        if (home.schema) return home.schema;
        const e = await open.engine();
        const schemas = await e.introspector.listSchemas();
        return schemas.find((s) => s.isDefault)?.name ?? schemas[0]?.name ?? 'main';
      },
    };
    value = await body(open);
  } catch (err) {
    failure = err;
  }

  // Always: close what reaches the shadow, then drop it.
  const engineToClose = engine as Engine | null;
  await engineToClose?.close().catch(() => undefined);
  const releaseHold = release as (() => Promise<void>) | null;
  await releaseHold?.().catch(() => undefined);
  await opened?.close().catch(() => undefined);
  let dropError: string | null = null;
  try {
    await home.drop();
    shadowProgress(input, started, `Shadow dropped: ${home.description}`);
  } catch (err) {
    dropError = `Could not drop the shadow (${home.description}): ${(err as Error).message}. Drop it by hand.`;
    shadowProgress(input, started, dropError);
  } finally {
    openShadows.delete(name);
    await configured?.close().catch(() => undefined);
  }
  const shadow: ShadowInfo = { description: home.description, name: home.name, configured: input.shadowConfig !== null, dropped: dropError === null, dropError, swept: sweep.swept, sweepProblem: sweep.problem };
  if (failure !== null) {
    if (dropError && failure instanceof Error) failure.message = `${failure.message}\n${dropError}`;
    throw failure;
  }
  return { value: value as T, shadow };
}
