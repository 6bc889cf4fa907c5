import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type ServerOptions } from 'ws';
import { MAX_MESSAGE_BYTES } from '../../shared/ipc/limits';
import type { AppCore } from '../core/app-core';
import { rendererHeadersAndBody, securityHeaders } from '../core/security/csp';
import { readStaticFile } from './static-files';
import { attachWindow } from './window-socket';

export interface BrowserShellOptions {
  core: AppCore;
  rendererDir: string;
  /** 0 or absent: any free port. */
  port?: number;
}

export interface BrowserShell {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Loopback only. Not configurable: the token is the only lock, and it must never face a network. */
const HOST = '127.0.0.1';
/** How long a socket closed for a bad frame waits for the window's close reply: `ws` waits 30 s, holding the socket. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * `dbdesk serve`: the renderer and the IPC contract over HTTP + WebSocket on 127.0.0.1.
 * Every request must carry the random token as its first path segment (compared in constant
 * time), and Host/Origin must name this very address and port, so a web page elsewhere cannot
 * reach the server even through DNS rebinding. Each WebSocket is one window: one Session.
 */
export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = 0;

  const allowedHosts = () => [`${HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const tokenOf = (url: string): { ok: boolean; rest: string } => {
    const path = url.split('?')[0] ?? '';
    const m = /^\/([^/]*)(\/.*)?$/.exec(path);
    if (!m) return { ok: false, rest: '' };
    const given = Buffer.from(m[1] ?? '');
    const ok = given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
    return { ok, rest: m[2] ?? '' };
  };

  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders });
    res.end(text);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(res, 421, 'Wrong Host header.');
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
      const { ok, rest } = tokenOf(req.url ?? '/');
      if (!ok) return refuse(res, 403, 'This DB Desk server only answers the URL it printed when it started (it carries a token).');
      if (rest === '') {
        res.writeHead(301, { Location: `/${token}/`, ...securityHeaders });
        return res.end();
      }
      const download = /^\/download\/([A-Za-z0-9_-]{8,64})$/.exec(rest);
      if (download) return serveDownload(options.core, download[1]!, req, res, refuse);
      const file = await readStaticFile(options.rendererDir, rest.slice(1));
      if (!file) return refuse(res, 404, 'Not found.');
      const isHtml = file.type.startsWith('text/html');
      const { body, headers } = rendererHeadersAndBody(file, { connectSrc: allowedHosts().map((h) => `ws://${h}`) });
      res.writeHead(200, { ...headers, 'Cache-Control': isHtml ? 'no-store' : 'private, max-age=3600' });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch(() => refuse(res, 500, 'Internal error.'));
  });

  // `closeTimeout` is an option of the ws in package.json (8.23) that @types/ws does not list yet.
  const wssOptions: ServerOptions & { closeTimeout: number } = { noServer: true, maxPayload: MAX_MESSAGE_BYTES, closeTimeout: CLOSE_TIMEOUT_MS };
  const wss = new WebSocketServer(wssOptions);
  server.on('upgrade', (req, socket, head) => {
    const { ok, rest } = tokenOf(req.url ?? '/');
    const hostOk = allowedHosts().includes(req.headers.host ?? '');
    const originOk = allowedOrigins().includes(req.headers.origin ?? '');
    if (!ok || rest !== '/ws' || !hostOk || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachWindow(options.core, ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/${token}/`,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A file an export registered (never an arbitrary path), streamed as an attachment. */
function serveDownload(core: AppCore, id: string, req: IncomingMessage, res: ServerResponse, refuse: (res: ServerResponse, status: number, text: string) => void): void {
  const download = core.downloads.get(id);
  if (!download) return refuse(res, 404, 'This download is no longer available.');
  let size: number;
  try {
    size = statSync(download.path).size;
  } catch {
    return refuse(res, 410, 'The exported file was moved or deleted.');
  }
  const ascii = download.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(download.name)}`,
    'Cache-Control': 'no-store',
    ...securityHeaders,
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(download.path)
    .on('error', () => res.destroy())
    .pipe(res);
}
