import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The built Electron main bundle (dist/electron/main.cjs) running under Node with a stand-in
 * 'electron' module (electron-standin/): the closest this machine, which cannot download Electron's
 * binary, comes to starting the desktop app. Every thread runs with forbid-exec-path.cjs, so any
 * fork of process.execPath is logged and fails.
 */
const here = resolve('test/support/electron-standin');

export interface StandinWindow {
  contentsId: number;
  options: { webPreferences: Record<string, unknown> } & Record<string, unknown>;
  url: string;
  destroyed: boolean;
  shown: boolean;
  sentEvents: string[];
  listens: string[];
}

export interface StandinState {
  calls: string[];
  privileged: { scheme: string; privileges: Record<string, boolean> }[];
  protocols: string[];
  ipcChannels: string[];
  windows: StandinWindow[];
  dialogs: ({ kind: 'error'; title: string; content: string } | ({ kind: 'message' } & Record<string, unknown>) | ({ kind: 'open' | 'save'; window: number | null } & Record<string, unknown>))[];
  utilityForks: { modulePath: string; serviceName?: string }[];
  paths: Record<string, string>;
  workers: { started: number; exited: number; live: number };
}

export interface ExecPathFork {
  api: string;
  file: string;
  args: string[];
  thread: string;
}

export interface StandinElectron {
  /** Resolves when the process ends: its exit code, the stand-in's last state and everything it printed. */
  exited: Promise<{ code: number | null; state?: StandinState; output: string }>;
  op<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  state(): Promise<StandinState>;
  invoke(name: string, input: unknown, from?: { window?: number; frameUrl?: string; subframe?: boolean; contentsId?: number; callId?: unknown }): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  /** The preload's cancel(callId): dbdesk:cancel from that window's page. */
  cancel(callId: unknown, from?: { window?: number; frameUrl?: string; subframe?: boolean }): Promise<void>;
  /** Every fork, spawn or exec of process.execPath any thread tried (each also failed). */
  execPathForks(): ExecPathFork[];
  /** Where the trap for those was loaded: one entry per thread or process. */
  trapped(): { thread: string; pid: number }[];
  output(): string;
  stop(): Promise<void>;
}

export async function startStandinElectron(options: { dataDir: string; env?: Record<string, string> }): Promise<StandinElectron> {
  const logDir = mkdtempSync(join(tmpdir(), 'dbdesk-standin-'));
  const forkLog = join(logDir, 'forks.jsonl');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DBDESK_STANDIN_FORK_LOG: forkLog, ...options.env };
  for (const k of Object.keys(env)) if (k.startsWith('DB_') && !options.env?.[k]) delete env[k];
  const child: ChildProcess = fork(join(here, 'harness.cjs'), ['--data-dir', options.dataDir], {
    execArgv: ['--require', join(here, 'forbid-exec-path.cjs')],
    env,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let lastState: StandinState | undefined;
  child.on('message', (msg: { id?: number; ok?: boolean; value?: unknown; error?: string; event?: string; state?: StandinState }) => {
    if (msg.event === 'exit') lastState = msg.state;
    if (msg.id === undefined) return;
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.ok) p?.resolve(msg.value);
    else p?.reject(new Error(msg.error));
  });
  const exited = new Promise<{ code: number | null; state?: StandinState; output: string }>((done) =>
    child.once('exit', (code) => {
      for (const p of pending.values()) p.reject(new Error(`The stand-in Electron process exited (${code}):\n${output}`));
      done({ code, ...(lastState ? { state: lastState } : {}), output });
    }),
  );
  await new Promise<void>((ready, failed) => {
    const onMessage = (msg: { event?: string }) => {
      if (msg.event === 'loaded' || msg.event === 'exit') {
        child.off('message', onMessage);
        ready();
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => failed(new Error(`The stand-in Electron process exited (${code}) while loading main.cjs:\n${output}`)));
  });
  const forkLogEntries = () => (existsSync(forkLog) ? readFileSync(forkLog, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExecPathFork & { pid: number }) : []);
  const op = <T>(name: string, args?: Record<string, unknown>) =>
    new Promise<T>((resolveOp, rejectOp) => {
      const id = nextId++;
      pending.set(id, { resolve: resolveOp as (v: unknown) => void, reject: rejectOp });
      child.send({ id, op: name, args });
    });
  return {
    exited,
    op,
    state: () => op<StandinState>('state'),
    invoke: (name, input, from = {}) => op('invoke', { window: 0, ...from, name, input }),
    cancel: async (callId, from = {}) => {
      await op('cancel', { window: 0, ...from, callId });
    },
    execPathForks: () => forkLogEntries().filter((e) => e.api !== 'loaded'),
    trapped: () => forkLogEntries().filter((e) => e.api === 'loaded'),
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
