import { parentPort } from 'node:worker_threads';
import type { IpcResult } from '../../../shared/ipc/errors';
import { CoreError, toIpcError } from '../errors';
import { relayedRunners } from '../runner/relayed-runner';
import { launchRunner, setRunnerLauncher } from '../runner/runner-launcher';
import { ConnectionRegistry } from './connection-registry';
import { workerCommandHandlers, workerInternalHandlers } from '../handlers/worker';
import { bulkFields } from '../../../shared/ipc/bulk-fields';
import type { EventName } from '../../../shared/ipc/contract';
import { isInternalName } from './internal-api';
import type { FromWorker, ToWorker } from './protocol';
import { QuerySessions } from '../../../features/sql-editor/core/query-sessions';
import type { WorkerCallContext, WorkerContext } from './worker-context';

/**
 * The worker of one Session (one window). It owns that window's connections; nothing else
 * touches them. Commands arrive already validated by the router.
 */
const port = parentPort;
if (!port) throw new Error('worker-main must run inside a worker thread.');

const registry = new ConnectionRegistry();
const post = (msg: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(msg, transfer);
const emit: WorkerContext['emit'] = (name, payload) => post({ type: 'event', name, payload }, bulkTransfer(name, payload));
// Electron's release build cannot run itself as Node, so its runners (SQL editor statements, the
// integrity check) are utilityProcesses the main process starts; everywhere else the worker forks them.
const relay = relayedRunners(post);
if (process.versions.electron || process.env.DBDESK_RUNNER_VIA_MAIN === '1') setRunnerLauncher(relay.launch);
const ctx: WorkerContext = {
  registry,
  queries: new QuerySessions(registry, emit, launchRunner),
  emit,
};

/**
 * An event's bulk bytes (a streamed batch) move to the main thread instead of being copied, when
 * they are the whole of a buffer of their own (a batch encoded here; not a view into a larger one).
 */
function bulkTransfer(name: string, payload: unknown): ArrayBuffer[] | undefined {
  const field = bulkFields[name as EventName];
  const bytes = field ? (payload as Record<string, unknown>)[field] : undefined;
  if (!(bytes instanceof Uint8Array) || !(bytes.buffer instanceof ArrayBuffer)) return undefined;
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer] : undefined;
}

type AnyHandler = (input: unknown, ctx: WorkerCallContext) => Promise<unknown>;

/** The calls running in this worker, by the session's id for them, so a `cancel` message can abort one. */
const running = new Map<number, { controller: AbortController; done: Promise<unknown> }>();

/** How long the window's closing waits for its cancelled calls to clean up (a shadow to drop) before closing their connections. */
const CLOSE_GRACE_MS = 3000;

/**
 * The window is going away (`worker.closeAll`): every call still running is cancelled and given a moment
 * to clean up after itself — a drift check or rehearsal drops its shadow database — before the window's
 * connections close under it. A shadow whose run is still busy after that (in one long statement) is
 * dropped from here.
 */
async function stopRunning(except: number): Promise<void> {
  const others = [...running.entries()].filter(([id]) => id !== except).map(([, r]) => r);
  if (others.length === 0) return;
  for (const r of others) r.controller.abort();
  const settled = Promise.allSettled(others.map((r) => r.done));
  const timedOut = await Promise.race([settled.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), CLOSE_GRACE_MS).unref())]);
  if (timedOut) {
    const { dropOpenShadows } = await import('../../../features/migrations/core/shadow/shadow');
    await dropOpenShadows();
    await Promise.race([settled, new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
  }
}

async function run(name: string, input: unknown, signal: AbortSignal): Promise<IpcResult> {
  const table = (isInternalName(name) ? workerInternalHandlers : workerCommandHandlers) as Record<string, AnyHandler | undefined>;
  const handler = table[name];
  try {
    if (!handler) throw new CoreError('unknown-command', `The worker has no handler for "${name}".`);
    return { ok: true, value: await handler(input, { ...ctx, signal }) };
  } catch (err) {
    const fallback = name.startsWith('worker.open') || name.startsWith('worker.test') ? 'connection-failed' : 'query-failed';
    // A password travelling in this call's own input (a test connect) is scrubbed too.
    const ownSecret = (input as { config?: { password?: string } } | null)?.config?.password;
    return { ok: false, error: toIpcError(err, fallback, [...registry.allSecrets(), ownSecret], signal) };
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'call') {
    const controller = new AbortController();
    const before = msg.name === 'worker.closeAll' ? stopRunning(msg.id) : Promise.resolve();
    const done = before.then(() => run(msg.name, msg.input, controller.signal)).then((result) => {
      running.delete(msg.id);
      post({ type: 'result', id: msg.id, result });
    });
    running.set(msg.id, { controller, done });
  } else if (msg.type === 'cancel') {
    running.get(msg.id)?.controller.abort();
  } else relay.receive(msg);
});

post({ type: 'ready' });
