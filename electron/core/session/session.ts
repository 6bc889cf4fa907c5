import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { IpcResult } from '../../../shared/ipc/errors';
import { cancelledError, CoreError, toIpcError } from '../errors';
import type { LaunchRunner, RunnerChannel } from '../runner/runner-channel';
import { launchRunner } from '../runner/runner-launcher';
import type { InternalInput, InternalName, InternalOutput } from '../worker/internal-api';
import type { FromWorker, ToWorker } from '../worker/protocol';

export interface SessionOptions {
  workerPath: string;
  /** Sends an event to this session's window. */
  emit(event: string, payload: unknown): void;
  /** Extra environment for the worker (tests turn on their hooks this way). */
  workerEnv?: Record<string, string>;
  /**
   * Starts runner processes the worker asks for (Electron: a utilityProcess). Absent: a forked
   * Node child of the SQLite runner bundle.
   */
  launchRunner?: LaunchRunner;
}

interface PendingCall {
  resolve(result: IpcResult): void;
}

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 30_000;

/**
 * One window's (or browser tab's) share of the core: a worker thread that owns the window's
 * connections. When the worker dies, calls in flight fail with `worker-crashed`, the window is told,
 * and a fresh worker takes over — other windows never notice.
 */
export class Session {
  readonly id = randomUUID();
  private worker!: Worker;
  private ready!: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private disposed = false;
  private restarts: number[] = [];
  /** Runner processes started for the worker, by the worker's id for them. */
  private readonly runners = new Map<number, RunnerChannel>();

  constructor(private readonly options: SessionOptions) {
    this.start();
  }

  private start(): void {
    const worker = new Worker(this.options.workerPath, {
      // A session given a launcher has the worker relay every runner to it (Electron: never fork).
      env: { ...process.env, ...(this.options.launchRunner ? { DBDESK_RUNNER_VIA_MAIN: '1' } : {}), ...this.options.workerEnv },
      // Keep a runaway worker from eating the machine; generous for million-row batches.
      resourceLimits: { maxOldGenerationSizeMb: 4096 },
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: FromWorker) => {
        if (msg.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('exit', () => reject(new CoreError('worker-crashed', 'The session worker stopped while starting.')));
    });
    this.ready.catch(() => undefined);
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    let crashReason = 'the worker stopped unexpectedly';
    worker.on('error', (err) => {
      crashReason = err.message;
    });
    worker.on('exit', (code) => {
      if (worker !== this.worker) return;
      this.killRunners();
      this.failPending(crashReason);
      if (this.disposed) return;
      const now = Date.now();
      this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
      const restart = this.restarts.length < MAX_RESTARTS;
      this.options.emit('session.crashed', { reason: `${crashReason} (exit code ${code})`, restarted: restart });
      if (restart) {
        this.restarts.push(now);
        this.start();
      }
    });
  }

  private failPending(reason: string): void {
    const error = { code: 'worker-crashed' as const, message: `The connection worker of this window crashed (${reason}); it has been restarted. Reconnect and try again.` };
    for (const p of this.pending.values()) p.resolve({ ok: false, error });
    this.pending.clear();
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type === 'result') {
      const p = this.pending.get(msg.id);
      if (p) {
        this.pending.delete(msg.id);
        p.resolve(msg.result);
      }
    } else if (msg.type === 'event') {
      this.options.emit(msg.name, msg.payload);
    } else if (msg.type === 'runner-launch') {
      this.launchRunner(msg.runnerId);
    } else if (msg.type === 'runner-send') {
      this.runners.get(msg.runnerId)?.send(msg.message);
    } else if (msg.type === 'runner-kill') {
      void this.runners.get(msg.runnerId)?.kill();
    }
  }

  private launchRunner(runnerId: number): void {
    const worker = this.worker;
    const toWorker = (m: ToWorker) => {
      if (worker === this.worker) worker.postMessage(m);
    };
    const runner = (this.options.launchRunner ?? launchRunner)();
    this.runners.set(runnerId, runner);
    runner.onMessage((message) => toWorker({ type: 'runner-message', runnerId, message }));
    runner.onExit((code) => {
      this.runners.delete(runnerId);
      toWorker({ type: 'runner-exit', runnerId, code });
    });
  }

  private killRunners(): void {
    for (const r of this.runners.values()) void r.kill();
    this.runners.clear();
  }

  /**
   * Sends a call to the worker and resolves with its result envelope (never rejects). When `signal`
   * aborts while the call runs, the worker is sent `{type:'cancel', id}` and aborts the handler's
   * own signal; the call still answers through its result (usually `cancelled`).
   */
  async send(name: string, input: unknown, signal?: AbortSignal): Promise<IpcResult> {
    if (this.disposed) return { ok: false, error: { code: 'internal', message: 'This window has been closed.' } };
    try {
      await this.ready;
    } catch (err) {
      return { ok: false, error: toIpcError(err) };
    }
    if (signal?.aborted) return { ok: false, error: cancelledError() };
    const id = this.nextId++;
    const worker = this.worker;
    const result = new Promise<IpcResult>((resolve) => this.pending.set(id, { resolve }));
    const onAbort = () => {
      // Only the worker that has the call can stop it (a restarted one never heard of it).
      if (worker === this.worker && this.pending.has(id)) worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const message: ToWorker = { type: 'call', id, name, input };
    worker.postMessage(message);
    try {
      return await result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A worker method only the core may call; throws its error. */
  async call<N extends InternalName>(name: N, input: InternalInput<N>, signal?: AbortSignal): Promise<InternalOutput<N>> {
    const result = await this.send(name, input, signal);
    if (!result.ok) throw new CoreError(result.error.code, result.error.message, result.error.detail);
    return result.value as InternalOutput<N>;
  }

  /** Closes the window's connections and ends its worker. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    // The worker cancels what still runs and lets it clean up first (a shadow database to drop: up to
    // twice its 3 s grace), then closes the connections.
    const closing = this.send('worker.closeAll', {});
    const timeout = new Promise((r) => setTimeout(r, 10_000));
    await Promise.race([closing, timeout]);
    this.disposed = true;
    this.failPending('the window was closed');
    this.killRunners();
    await this.worker.terminate();
  }

  get threadId(): number {
    return this.worker.threadId;
  }
}
