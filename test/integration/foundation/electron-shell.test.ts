import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeColumnarBatch } from '../../../shared/model/columnar-batch';

/**
 * The Electron shell's wiring, run under Node with a stand-in for the 'electron' module (the
 * binary cannot be downloaded on the team's machines). What is checked is our code: the window it
 * creates, the IPC handler's sender check and routing, the app:// protocol and its CSP.
 */
const captured = vi.hoisted(() => ({
  ipc: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  protocolHandler: undefined as undefined | ((req: Request) => Promise<Response>),
  privileged: [] as unknown[],
  windows: [] as { options: { webPreferences: Record<string, unknown> }; loaded?: string; webContents: { id: number; sent: unknown[][] } }[],
  ready: undefined as undefined | (() => void),
  exposed: new Map<string, unknown>(),
  rendererInvokes: [] as unknown[][],
  utilityForks: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => captured.windows;
    options: { webPreferences: Record<string, unknown> };
    loaded?: string;
    private handlers = new Map<string, () => void>();
    webContents = {
      id: 100 + captured.windows.length,
      sent: [] as unknown[][],
      setWindowOpenHandler: () => undefined,
      on: () => undefined,
      send: (...args: unknown[]) => this.webContents.sent.push(args),
      session: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined },
    };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      this.options = options;
      captured.windows.push(this as never);
    }
    once() {}
    on(event: string, h: () => void) {
      this.handlers.set(event, h);
    }
    isDestroyed() {
      return false;
    }
    async loadURL(url: string) {
      this.loaded = url;
    }
  }
  /** Electron's utilityProcess, played by a Node child: postMessage / 'message' / 'exit' / kill(). */
  const utilityProcess = {
    fork(modulePath: string) {
      captured.utilityForks.push(modulePath);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { fork } = require('node:child_process') as typeof import('node:child_process');
      const child = fork(modulePath, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return {
        postMessage: (m: unknown) => child.connected && child.send(m as never),
        on: (event: string, l: (m: unknown) => void) => (event === 'message' ? child.on('message', l) : child.on(event, l)),
        once: (event: string, l: (code: number) => void) => child.once(event, (code: number) => l(code)),
        kill: () => child.kill('SIGKILL'),
      };
    },
  };
  return {
    utilityProcess,
    app: { whenReady: () => new Promise<void>((r) => (captured.ready = r)), on: () => undefined, quit: () => undefined },
    BrowserWindow,
    ipcMain: { handle: (channel: string, h: (event: unknown, ...args: unknown[]) => Promise<unknown>) => captured.ipc.set(channel, h) },
    nativeTheme: { shouldUseDarkColors: false },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => captured.privileged.push(...s),
      handle: (_scheme: string, h: (req: Request) => Promise<Response>) => (captured.protocolHandler = h),
    },
    safeStorage: { isEncryptionAvailable: () => false },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => captured.exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        captured.rendererInvokes.push(args);
        return { ok: true, value: 'from-main' };
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
});

const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-electron-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.DBDESK_RUNNER_VIA_MAIN;
});

describe('the Electron shell', () => {
  beforeAll(async () => {
    process.argv.push('--data-dir', dataDir);
    // The worker leaves SQLite runners to the main process, as it does inside Electron.
    process.env.DBDESK_RUNNER_VIA_MAIN = '1';
    await import('../../../electron/app/main');
    captured.ready!();
    await vi.waitFor(() => expect(captured.windows.length).toBe(1));
  });

  it('registers app:// as a secure standard scheme and loads the renderer from it', () => {
    expect(captured.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(captured.windows[0]!.loaded).toBe('app://dbdesk/index.html');
    expect(captured.windows[0]!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('serves the renderer with the strict CSP and refuses paths outside it', async () => {
    const ok = await captured.protocolHandler!(new Request('app://dbdesk/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'/);
    const escape = await captured.protocolHandler!(new Request('app://dbdesk/%2e%2e/%2e%2e/package.json'));
    expect(escape.status).toBe(404);
  });

  it('routes IPC from the window’s own top frame to its session, and refuses any other sender', async () => {
    const handler = captured.ipc.get('dbdesk:invoke')!;
    const sender = { id: captured.windows[0]!.webContents.id };
    const ok = (await handler({ senderFrame: { url: 'app://dbdesk/index.html', parent: null }, sender }, 'connections.list', {})) as { ok: boolean; value: { demo: boolean }[] };
    expect(ok.ok).toBe(true);
    expect(ok.value.some((p) => p.demo)).toBe(true);
    const sub = await handler({ senderFrame: { url: 'app://dbdesk/index.html', parent: {} }, sender }, 'connections.list', {});
    expect(sub).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const foreign = await handler({ senderFrame: { url: 'https://evil.example/', parent: null }, sender }, 'connections.list', {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const malformed = await handler({ senderFrame: { url: 'app://dbdesk/index.html', parent: null }, sender }, 'connections.save', { fields: 3 });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('SQLite editor statements in Electron', () => {
  it('run in a utilityProcess started by the main process, and a cancel kills it', async () => {
    const handler = captured.ipc.get('dbdesk:invoke')!;
    const sender = { id: captured.windows[0]!.webContents.id };
    const call = async (name: string, input: unknown) => {
      const r = (await handler({ senderFrame: { url: 'app://dbdesk/index.html', parent: null }, sender }, name, input)) as { ok: boolean; value?: unknown; error?: unknown };
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value as Record<string, unknown>;
    };
    await call('connections.open', { id: 'demo' });
    await call('query.openSession', { connectionId: 'demo', sessionId: 'e1' });
    expect(captured.utilityForks.at(-1)).toMatch(/sqlite-runner\.cjs$/);
    const out = (await call('query.run', { sessionId: 'e1', runId: 'e1r1', statements: [{ sql: 'SELECT 6 * 7 AS answer', offset: 0 }] })) as { results: { status: string; rowCount: number }[] };
    expect(out.results[0]).toMatchObject({ status: 'ok', rowCount: 1 });
    const batch = captured.windows[0]!.webContents.sent.find((a) => a[1] === 'query.batch' && (a[2] as { runId: string }).runId === 'e1r1');
    // The batch crossed the utilityProcess and the main process as the columnar bytes it was encoded as.
    expect(decodeColumnarBatch((batch![2] as { values: Uint8Array }).values, 1).values).toEqual([[42]]);
    const running = call('query.run', { sessionId: 'e1', runId: 'e1r2', statements: [{ sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r', offset: 0 }] });
    await new Promise((r) => setTimeout(r, 400));
    const t0 = performance.now();
    await call('query.cancel', { sessionId: 'e1' });
    const cancelled = (await running) as { results: { status: string }[] };
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(cancelled.results[0]!.status).toBe('cancelled');
    await call('query.closeSession', { sessionId: 'e1' });
  });
});

describe('the preload', () => {
  it('exposes exactly invoke and subscribe on window.dbdesk, over one invoke channel', async () => {
    await import('../../../electron/preload/preload');
    const api = captured.exposed.get('dbdesk') as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
    expect(await api.invoke!('connections.list', {})).toEqual({ ok: true, value: 'from-main' });
    expect(captured.rendererInvokes).toEqual([['dbdesk:invoke', 'connections.list', {}]]);
  });
});
