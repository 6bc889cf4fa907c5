import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

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
  return {
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

describe('the Electron shell', () => {
  beforeAll(async () => {
    process.argv.push('--data-dir', dataDir);
    await import('../../../electron/app/main');
    captured.ready!();
    await vi.waitFor(() => expect(captured.windows.length).toBe(1));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

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

describe('the preload', () => {
  it('exposes exactly invoke and subscribe on window.dbdesk, over one invoke channel', async () => {
    await import('../../../electron/preload/preload');
    const api = captured.exposed.get('dbdesk') as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
    expect(await api.invoke!('connections.list', {})).toEqual({ ok: true, value: 'from-main' });
    expect(captured.rendererInvokes).toEqual([['dbdesk:invoke', 'connections.list', {}]]);
  });
});
