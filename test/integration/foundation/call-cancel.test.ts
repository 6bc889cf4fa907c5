import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import { createClient, type DbDeskClient } from '../../../shared/ipc/client';
import type { IpcResult } from '../../../shared/ipc/errors';
import { createWebSocketTransport } from '../../../renderer/src/ipc/websocket-transport';
import { serveApp, type ServedApp } from '../../support/browser';
import { cancelFrameFuzzCases } from '../../support/contract-fuzz';
import { startStandinElectron, type StandinElectron } from '../../support/electron-standin';
import { nodeSqliteBuild } from '../../support/native-builds';
import { createTestCore } from '../../support/test-core';

/**
 * A call cancelled by its caller, on each transport: the renderer's client given an AbortSignal,
 * the browser shell's `{type:'cancel', id}` frame, Electron's `dbdesk:cancel` channel, and the
 * in-process transport the tests use. The call that runs until cancelled is connections.open to a
 * port nothing listens on, retrying every 30 s: it only ends early if the cancel reaches the worker.
 */

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** Fields of a profile whose connect waits 30 s between attempts after the first one fails. */
async function stuckProfile(): Promise<Record<string, unknown>> {
  return { name: 'stuck', engine: 'mariadb', host: '127.0.0.1', port: await closedPort(), user: 'root', database: 'test', retry: { maxAttempts: 5, delaySeconds: 30 } };
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);

/** The renderer's own WebSocket transport, run in Node (ws plays the browser's WebSocket). */
class NodeWebSocket extends WS {
  constructor(url: string | URL) {
    const u = new URL(String(url));
    super(u, { origin: `http://${u.host}` });
  }
}

function failedOnce(client: DbDeskClient): Promise<void> {
  return new Promise((resolve) => {
    const off = client.on('connection.attempt', (a) => {
      if (a.status === 'failed') {
        off();
        resolve();
      }
    });
  });
}

describe('the browser shell: the cancel frame', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('the renderer’s transport, given an aborted signal, sends {type:"cancel", id}; the call answers cancelled within a second', async () => {
    (globalThis as { WebSocket?: unknown }).WebSocket = NodeWebSocket;
    const client = createClient(createWebSocketTransport(app.url));
    const profile = await client.call('connections.save', { fields: (await stuckProfile()) as never });
    const controller = new AbortController();
    const failed = failedOnce(client);
    const opening = client.call('connections.open', { id: profile.id }, { signal: controller.signal });
    await within(failed, 10_000, 'first failed attempt');
    const at = Date.now();
    controller.abort();
    await expect(within(opening, 5000, 'answer')).rejects.toMatchObject({ code: 'cancelled' });
    expect(Date.now() - at).toBeLessThan(1000);
    // The window goes on: another call answers.
    expect((await client.call('connections.list', {})).some((p) => p.id === profile.id)).toBe(true);
    // A signal aborted before the call: nothing is sent, the call is cancelled at once.
    await expect(client.call('connections.list', {}, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('answers each malformed cancel frame with a protocol error, takes a cancel of no call in flight silently, and keeps the socket', async () => {
    const ws = new WS(`${app.url.replace('http:', 'ws:')}ws`, { headers: { Origin: new URL(app.url).origin } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const protocolErrors: string[] = [];
    const results = new Map<number, IpcResult>();
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse(data.toString()) as { type: string; message?: string; id?: number; result?: IpcResult };
      if (msg.type === 'protocol-error') protocolErrors.push(msg.message!);
      if (msg.type === 'result') results.set(msg.id!, msg.result!);
    });
    const { valid, invalid } = cancelFrameFuzzCases();
    for (const frame of valid) ws.send(JSON.stringify(frame));
    for (const { frame } of invalid) ws.send(JSON.stringify(frame));
    // Frames are read in order: once this call answers, every cancel before it has been taken.
    ws.send(JSON.stringify({ type: 'invoke', id: 1, name: 'connections.list', input: {} }));
    await within(
      (async () => {
        while (!results.has(1)) await new Promise((r) => setTimeout(r, 20));
      })(),
      10_000,
      'answer after the cancel frames',
    );
    expect(results.get(1)).toMatchObject({ ok: true });
    expect(protocolErrors).toHaveLength(invalid.length);
    for (const m of protocolErrors) expect(m).toMatch(/^Expected \{type:"cancel", id:number\}/);
    ws.terminate();
  });

  it('a cancel frame stops only the call it names, and the other goes on until its own cancel', async () => {
    const ws = new WS(`${app.url.replace('http:', 'ws:')}ws`, { headers: { Origin: new URL(app.url).origin } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const results = new Map<number, IpcResult>();
    let failures = 0;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse(data.toString()) as { type: string; id?: number; result?: IpcResult; name?: string; payload?: { status?: string } };
      if (msg.type === 'result') results.set(msg.id!, msg.result!);
      if (msg.type === 'event' && msg.name === 'connection.attempt' && msg.payload?.status === 'failed') failures += 1;
    });
    const until = async (ok: () => boolean, what: string) =>
      within(
        (async () => {
          while (!ok()) await new Promise((r) => setTimeout(r, 20));
        })(),
        10_000,
        what,
      );
    ws.send(JSON.stringify({ type: 'invoke', id: 1, name: 'connections.save', input: { fields: await stuckProfile() } }));
    await until(() => results.has(1), 'saved profile');
    const a = (results.get(1) as { value: { id: string } }).value.id;
    ws.send(JSON.stringify({ type: 'invoke', id: 2, name: 'connections.save', input: { fields: await stuckProfile() } }));
    await until(() => results.has(2), 'saved profile');
    const b = (results.get(2) as { value: { id: string } }).value.id;
    ws.send(JSON.stringify({ type: 'invoke', id: 10, name: 'connections.open', input: { id: a } }));
    ws.send(JSON.stringify({ type: 'invoke', id: 11, name: 'connections.open', input: { id: b } }));
    await until(() => failures >= 2, 'both first attempts failed');
    ws.send(JSON.stringify({ type: 'cancel', id: 10 }));
    await until(() => results.has(10), 'the cancelled call’s answer');
    expect(results.get(10)).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(results.has(11)).toBe(false);
    ws.send(JSON.stringify({ type: 'cancel', id: 11 }));
    await until(() => results.has(11), 'the second call’s answer');
    expect(results.get(11)).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    ws.terminate();
  });
});

describe('the desktop shell: dbdesk:cancel', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-desktop-cancel-'));
  let app: StandinElectron;
  beforeAll(async () => {
    app = await startStandinElectron({ dataDir, env: { DBDESK_SQLITE_BINDING: nodeSqliteBuild() } });
    await app.op('ready');
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('aborts the page’s call it names; a cancel from an untrusted frame, of another id or with a malformed id does not', async () => {
    const saved = await app.invoke('connections.save', { fields: await stuckProfile() });
    const id = (saved.value as { id: string }).id;
    const opening = app.invoke('connections.open', { id }, { callId: 42 });
    let answered = false;
    void opening.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 500));
    await app.cancel(42, { frameUrl: 'https://evil.example/' });
    await app.cancel(42, { subframe: true });
    await app.cancel(43);
    for (const bad of ['42', 0, -42, 4.2, null, { id: 42 }, 2 ** 60]) await app.cancel(bad);
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    const at = Date.now();
    await app.cancel(42);
    expect(await within(opening, 5000, 'answer')).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(Date.now() - at).toBeLessThan(1000);
    // A call id that is not a positive integer is refused, not run.
    expect(await app.invoke('connections.list', {}, { callId: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await app.invoke('connections.list', {}, { callId: 7 })).toMatchObject({ ok: true });
  });
});

describe('the in-process client the tests use', () => {
  it('cancels through the signal the same way', async () => {
    const t = createTestCore();
    try {
      const w = t.openWindow();
      const profile = await w.client.call('connections.save', { fields: (await stuckProfile()) as never });
      const controller = new AbortController();
      const failed = failedOnce(w.client);
      const opening = w.client.call('connections.open', { id: profile.id }, { signal: controller.signal });
      await within(failed, 10_000, 'first failed attempt');
      controller.abort();
      await expect(within(opening, 2000, 'answer')).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await t.close();
    }
  });
});
