import type { IpcResult } from '../../../shared/ipc/errors';
import type { DbDeskTransport } from '../../../shared/ipc/transport';

type ServerMessage =
  | { type: 'result'; id: number; result: IpcResult }
  /** `bulk`: that field of the payload follows as the next frame, binary, its bytes as they are. */
  | { type: 'event'; name: string; payload: unknown; bulk?: string }
  | { type: 'protocol-error'; message: string };

/**
 * The browser shell's transport: the same two functions as the Electron preload, over one
 * WebSocket to the page's own origin (the token is the first path segment of the page URL).
 */
export function createWebSocketTransport(pageUrl: string): DbDeskTransport {
  const url = new URL('ws', pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  // Bulk frames (streamed batches) are bytes; an ArrayBuffer is ready to use, a Blob would need a read.
  socket.binaryType = 'arraybuffer';
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('Cannot reach the DB Desk server.')), { once: true });
  });
  opened.catch(() => undefined);
  const pending = new Map<number, (r: IpcResult) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;

  let awaitingBulk: { name: string; payload: Record<string, unknown>; field: string } | null = null;
  socket.addEventListener('message', (e) => {
    if (awaitingBulk) {
      const { name, payload, field } = awaitingBulk;
      awaitingBulk = null;
      if (!(e.data instanceof ArrayBuffer)) {
        // Nothing else may come here: the event is dropped rather than handed on in the wrong shape.
        console.error(`DB Desk: the data of a ${name} event was not binary; the event was dropped.`);
        return;
      }
      payload[field] = new Uint8Array(e.data);
      for (const l of listeners) l(name, payload);
      return;
    }
    const msg = JSON.parse(String(e.data)) as ServerMessage;
    if (msg.type === 'event' && msg.bulk) {
      awaitingBulk = { name: msg.name, payload: msg.payload as Record<string, unknown>, field: msg.bulk };
      return;
    }
    if (msg.type === 'result') {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    } else if (msg.type === 'event') {
      for (const l of listeners) l(msg.name, msg.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'internal', message: 'The connection to the DB Desk server was lost. Is `dbdesk serve` still running?' } });
    }
    pending.clear();
    for (const l of listeners) l('session.crashed', { reason: 'The DB Desk server closed the connection.', restarted: false });
  });

  return {
    async invoke(command, input) {
      try {
        await opened;
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: (err as Error).message } };
      }
      const id = nextId++;
      return new Promise<IpcResult>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'invoke', id, name: command, input }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
