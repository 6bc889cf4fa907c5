import type { EventPayload } from '../../../shared/ipc/contract';
import { openEngine, type Engine, type EngineConfig } from '../../../electron/core/engines';
import type { EngineHooks } from '../../../electron/core/engines/hooks';
import { classifyAttempt, type AttemptClass } from '../../diagnostics/core/attempt-class';
import { CoreError, toIpcError } from '../../../electron/core/errors';

export interface RetryOptions {
  signal: AbortSignal;
  hooks?: EngineHooks;
  onAttempt(event: EventPayload<'connection.attempt'>): void;
  profileId: string;
}

/**
 * The seed guide's wait-for-the-database loop: up to `retry.maxAttempts` attempts,
 * `retry.delaySeconds` apart, every attempt reported, cancellable at any moment. Each attempt is one
 * `openEngine`, which handles a profile's several endpoints (a Galera cluster, a PostgreSQL host list).
 */
export async function connectWithRetry(config: EngineConfig, opts: RetryOptions): Promise<Engine> {
  const { maxAttempts, delaySeconds } = config.retry;
  const secrets = [config.password, config.sshPassword, config.sshPassphrase].filter((s): s is string => s !== undefined && s !== '');
  let lastError: unknown;
  let lastClass: AttemptClass | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    throwIfCancelled(opts, attempt, maxAttempts);
    opts.onAttempt({ profileId: opts.profileId, attempt, maxAttempts, status: 'trying' });
    try {
      const engine = await abortable(openEngine(config, opts.hooks), opts.signal);
      opts.onAttempt({ profileId: opts.profileId, attempt, maxAttempts, status: 'connected' });
      return engine;
    } catch (err) {
      if (err instanceof CoreError && err.code === 'cancelled') {
        opts.onAttempt({ profileId: opts.profileId, attempt, maxAttempts, status: 'cancelled' });
        throw err;
      }
      lastError = err;
      const last = attempt === maxAttempts;
      // Each failed attempt gets its class (the driver's error says it at once; an ambiguous timeout gets a
      // quick look at the port, bounded by the connect timeout); the wait for the next attempt starts after.
      lastClass = await classifyAttempt(err, config, opts.signal).catch(() => undefined);
      const delayMs = Math.round(delaySeconds * 1000);
      opts.onAttempt({
        profileId: opts.profileId,
        attempt,
        maxAttempts,
        status: 'failed',
        error: toIpcError(err, 'connection-failed', secrets),
        ...classFields(lastClass),
        ...(last ? {} : { nextAttemptInMs: delayMs }),
      });
      if (opts.signal.aborted) {
        opts.onAttempt({ profileId: opts.profileId, attempt, maxAttempts, status: 'cancelled' });
        throw new CoreError('cancelled', 'Connecting was cancelled.');
      }
      if (!last) {
        try {
          await sleep(delayMs, opts.signal);
        } catch {
          opts.onAttempt({ profileId: opts.profileId, attempt, maxAttempts, status: 'cancelled' });
          throw new CoreError('cancelled', 'Connecting was cancelled.');
        }
      }
    }
  }
  const e = toIpcError(lastError, 'connection-failed', secrets);
  const prefix = maxAttempts > 1 ? `Gave up after ${maxAttempts} attempts: ` : '';
  throw new CoreError('connection-failed', prefix + e.message, { ...e.detail, attempts: maxAttempts, ...classFields(lastClass) });
}

/** A failed attempt's class, what answered, and the one-line remedy, as the event and the final error carry them. */
export function classFields(cls: AttemptClass | undefined): { failureClass?: AttemptClass['classId']; found?: AttemptClass['found']; remedy?: AttemptClass['remedy'] } {
  if (!cls) return {};
  return { failureClass: cls.classId, ...(cls.found ? { found: cls.found } : {}), ...(cls.remedy ? { remedy: cls.remedy } : {}) };
}

function throwIfCancelled(opts: RetryOptions, attempt: number, maxAttempts: number): void {
  if (opts.signal.aborted) {
    opts.onAttempt({ profileId: opts.profileId, attempt, maxAttempts, status: 'cancelled' });
    throw new CoreError('cancelled', 'Connecting was cancelled.');
  }
}

/** Stops waiting when cancelled; an engine that still opens afterwards is closed at once. */
function abortable(promise: Promise<Engine>, signal: AbortSignal): Promise<Engine> {
  return new Promise<Engine>((resolve, reject) => {
    const onAbort = () => {
      promise.then((engine) => engine.close()).catch(() => undefined);
      reject(new CoreError('cancelled', 'Connecting was cancelled.'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
