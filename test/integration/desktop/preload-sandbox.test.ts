import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInContext, createContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

/**
 * The built preload (dist/electron/preload.cjs) run as Electron runs a sandboxed preload: the file
 * is the body of a function of exactly (require, process, exports, module, Buffer, global,
 * setImmediate, clearImmediate), evaluated in a context with no Node globals (no __filename, no
 * __dirname), and its require knows only 'electron', 'events', 'timers' and 'url'. Importing the
 * source under a mock cannot see what the bundler added to the file; this runs the file itself.
 */
const SANDBOX_MODULES = ['electron', 'events', 'timers', 'url'];

function runPreloadInSandbox() {
  const exposed = new Map<string, unknown>();
  const ipc: { invoked: unknown[][]; sent: unknown[][]; listeners: Map<string, Set<(...a: unknown[]) => void>> } = { invoked: [], sent: [], listeners: new Map() };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        ipc.invoked.push(args);
        return { ok: true, value: 'answer' };
      },
      send: (...args: unknown[]) => {
        ipc.sent.push(args);
      },
      on(channel: string, l: (...a: unknown[]) => void) {
        if (!ipc.listeners.has(channel)) ipc.listeners.set(channel, new Set());
        ipc.listeners.get(channel)!.add(l);
      },
      removeListener(channel: string, l: (...a: unknown[]) => void) {
        ipc.listeners.get(channel)?.delete(l);
      },
    },
  };
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (!SANDBOX_MODULES.includes(id)) throw new Error(`module not found: ${id}`);
    if (id === 'electron') return electron;
    return {};
  };
  const code = readFileSync(join('dist', 'electron', 'preload.cjs'), 'utf8');
  const context = createContext({ console });
  const wrapper = runInContext(`(function (require, process, exports, module, Buffer, global, setImmediate, clearImmediate) {${code}\n})`, context, { filename: 'preload.cjs' }) as (...args: unknown[]) => void;
  const module = { exports: {} };
  const sandboxProcess = { platform: process.platform, sandboxed: true, contextIsolated: true, type: 'renderer', versions: {}, env: {} };
  wrapper(sandboxRequire, sandboxProcess, module.exports, module, Buffer, context, setImmediate, clearImmediate);
  return { exposed, ipc, required };
}

describe('the built preload, run as Electron’s sandbox runs it', () => {
  it('loads, requires only what the sandbox offers, and exposes window.dbdesk with exactly invoke, cancel and subscribe', () => {
    const { exposed, required } = runPreloadInSandbox();
    expect(required.every((id) => SANDBOX_MODULES.includes(id)), required.join(', ')).toBe(true);
    expect([...exposed.keys()]).toEqual(['dbdesk']);
    const api = exposed.get('dbdesk') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['cancel', 'invoke', 'subscribe']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.cancel).toBe('function');
    expect(typeof api.subscribe).toBe('function');
  });

  it('invoke goes over the one invoke channel; subscribe relays events without Electron’s event object, and unsubscribes', async () => {
    const { exposed, ipc } = runPreloadInSandbox();
    const api = exposed.get('dbdesk') as { invoke(c: string, i: unknown, id?: number): Promise<unknown>; cancel(id: number): void; subscribe(l: (...a: unknown[]) => void): () => void };
    expect(await api.invoke('connections.list', { a: 1 })).toEqual({ ok: true, value: 'answer' });
    expect(ipc.invoked).toEqual([['dbdesk:invoke', 'connections.list', { a: 1 }, undefined]]);
    const heard: unknown[][] = [];
    const off = api.subscribe((...args) => heard.push(args));
    expect([...ipc.listeners.keys()]).toEqual(['dbdesk:event']);
    const electronEvent = { sender: { send() {} }, ports: [] };
    for (const l of ipc.listeners.get('dbdesk:event')!) l(electronEvent, 'query.batch', { runId: 'r' });
    expect(heard).toEqual([['query.batch', { runId: 'r' }]]);
    off();
    expect(ipc.listeners.get('dbdesk:event')!.size).toBe(0);
  });

  it('a call given an id carries it; cancel sends that id alone on the one cancel channel, and nothing else', async () => {
    const { exposed, ipc } = runPreloadInSandbox();
    const api = exposed.get('dbdesk') as { invoke(c: string, i: unknown, id?: number): Promise<unknown>; cancel(id: number): void };
    await api.invoke('table.window', { b: 2 }, 7);
    expect(ipc.invoked).toEqual([['dbdesk:invoke', 'table.window', { b: 2 }, 7]]);
    api.cancel(7);
    expect(ipc.sent).toEqual([['dbdesk:cancel', 7]]);
  });
});
