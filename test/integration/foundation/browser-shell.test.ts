import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveApp, type ServedApp } from '../../support/browser';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function wsOutcome(url: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('dbdesk serve (the browser shell)', () => {
  let app: ServedApp;
  let base: URL;
  beforeAll(async () => {
    app = await serveApp();
    base = new URL(app.url);
  });
  afterAll(async () => app?.stop());

  it('prints a loopback URL with a long random token on a line of its own', () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}\/$/);
  });

  it('serves the renderer with the CSP and security headers', async () => {
    const r = await get(app.url);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<div id="root">');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(r.headers['content-security-policy']).toContain(`ws://127.0.0.1:${base.port}`);
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses every request without the token, with a wrong token, or with a path escaping the renderer', async () => {
    const origin = `http://127.0.0.1:${base.port}`;
    const token = base.pathname.split('/')[1]!;
    expect((await get(`${origin}/`)).status).toBe(403);
    expect((await get(`${origin}/index.html`)).status).toBe(403);
    // One character off (the token may itself end in x).
    expect((await get(`${origin}/${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}/`)).status).toBe(403);
    for (const escape of [`/${token}/../../package.json`, `/${token}/%2e%2e/%2e%2e/package.json`, `/${token}/..%2f..%2fpackage.json`]) {
      const r = await get(`${origin}${escape}`);
      expect(r.status, escape).not.toBe(200);
      expect(r.body).not.toContain('"name": "dbdesk"');
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(app.url, { Host: `evil.example:${base.port}` })).status).toBe(421);
  });

  it('opens the WebSocket only with the token, the right Host and our own Origin', async () => {
    const ws = app.url.replace('http:', 'ws:') + 'ws';
    const origin = `http://127.0.0.1:${base.port}`;
    expect(await wsOutcome(ws, { Origin: origin })).toBe('open');
    expect(await wsOutcome(ws, { Origin: 'http://evil.example' })).toBe(403);
    expect(await wsOutcome(ws, {})).toBe(403);
    expect(await wsOutcome(ws.replace(/\/[^/]+\/ws$/, '/wrongtoken/ws'), { Origin: origin })).toBe(403);
  });

  it('answers garbage on the WebSocket with a protocol error and keeps serving', async () => {
    const socket = new WebSocket(app.url.replace('http:', 'ws:') + 'ws', { headers: { Origin: `http://127.0.0.1:${base.port}` } });
    await new Promise((r) => socket.once('open', r));
    const replies: unknown[] = [];
    socket.on('message', (d) => replies.push(JSON.parse(d.toString())));
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'invoke', id: 1, name: 'connections.save', input: { fields: 'nope' } }));
    socket.send(JSON.stringify({ type: 'invoke', id: 2, name: 'connections.list', input: {} }));
    while (replies.length < 3) await new Promise((r) => setTimeout(r, 20));
    expect(replies[0]).toMatchObject({ type: 'protocol-error' });
    expect(replies[1]).toMatchObject({ type: 'result', id: 1, result: { ok: false, error: { code: 'invalid-input' } } });
    expect(replies[2]).toMatchObject({ type: 'result', id: 2, result: { ok: true } });
    socket.close();
  });

  it("the window's transport refuses a call over the server's limit itself, so its socket and session stay", async () => {
    const origin = `http://127.0.0.1:${base.port}`;
    const g = globalThis as { WebSocket?: unknown };
    const saved = g.WebSocket;
    // The renderer's own transport, on Node: `ws` stands in for the browser's WebSocket (with the page's Origin).
    g.WebSocket = class extends WebSocket {
      constructor(url: URL) {
        super(url, { headers: { Origin: origin } });
      }
    };
    try {
      const { createWebSocketTransport } = await import('../../../renderer/src/ipc/websocket-transport');
      const transport = createWebSocketTransport(app.url);
      const crashed: unknown[] = [];
      transport.subscribe((name, payload) => name === 'session.crashed' && crashed.push(payload));
      const big = await transport.invoke('connections.importEnv', { text: 'x'.repeat(70 * 1024 * 1024) });
      expect(big).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'This request is 70.0 MB; DB Desk takes at most 64 MB at once. Apply it in smaller parts.' } });
      expect(await transport.invoke('connections.list', {})).toMatchObject({ ok: true });
      expect(crashed).toEqual([]);
    } finally {
      g.WebSocket = saved;
    }
  });
});
