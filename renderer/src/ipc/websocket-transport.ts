import type { IpcResult } from '../../../shared/ipc/errors';
import { MAX_MESSAGE_BYTES } from '../../../shared/ipc/limits';
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
  /** The frame id of each call in flight that its caller numbered (to cancel it), by the caller's id. */
  const frameOfCall = new Map<number, number>();
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
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(e.data)) as ServerMessage;
    } catch {
      console.error('DB Desk: the server sent a message that is not JSON; it was dropped.');
      return;
    }
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
  const lost = { ok: false as const, error: { code: 'internal' as const, message: 'The connection to the DB Desk server was lost. Is `dbdesk serve` still running?' } };
  socket.addEventListener('close', (e) => {
    for (const resolve of pending.values()) resolve(lost);
    pending.clear();
    const reason = e.reason ? `The DB Desk server closed the connection: ${e.reason}` : 'The DB Desk server closed the connection.';
    for (const l of listeners) l('session.crashed', { reason, restarted: false });
  });

  return {
    async invoke(command, input, callId) {
      try {
        await opened;
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: (err as Error).message } };
      }
      // A closed socket drops what is sent; the answer would never come.
      if (socket.readyState !== WebSocket.OPEN) return lost;
      const id = nextId++;
      const text = JSON.stringify({ type: 'invoke', id, name: command, input });
      // The server closes a socket that sends more than it takes, and the window's session with it:
      // such a call is refused here instead, and everything else goes on.
      const bytes = text.length * 3 <= MAX_MESSAGE_BYTES ? text.length : new TextEncoder().encode(text).length;
      if (bytes > MAX_MESSAGE_BYTES) {
        const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
        return { ok: false, error: { code: 'invalid-input', message: `This request is ${mb(bytes)} MB; DB Desk takes at most ${MAX_MESSAGE_BYTES / 1024 / 1024} MB at once. Apply it in smaller parts.` } };
      }
      if (callId !== undefined) frameOfCall.set(callId, id);
      try {
        return await new Promise<IpcResult>((resolve) => {
          pending.set(id, resolve);
          socket.send(text);
        });
      } finally {
        if (callId !== undefined) frameOfCall.delete(callId);
      }
    },
    cancel(callId) {
      const id = frameOfCall.get(callId);
      // Not sent yet (still waiting for the socket) or answered already: nothing to stop on the server.
      if (id === undefined || socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ type: 'cancel', id }));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
