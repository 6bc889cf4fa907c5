import type { WebSocket } from 'ws';
import type { IpcResult } from '../../shared/ipc/errors';
import { bulkFields } from '../../shared/ipc/bulk-fields';
import type { EventName } from '../../shared/ipc/contract';
import { MAX_MESSAGE_BYTES } from '../../shared/ipc/limits';
import { CancelFrame } from '../../shared/ipc/call-frames';
import type { AppCore } from '../core/app-core';
import { CallSignals } from '../core/call-signals';

/**
 * Calls one window may have in flight before the server stops reading its socket: TCP then pushes
 * back on the sender. The app itself never has more than a few dozen (grid windows, counts, a run).
 */
const MAX_IN_FLIGHT = 256;
/** Answers and events queued for a window that does not read them, before its requests stop being read. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;
const QUEUE_CHECK_MS = 50;

/**
 * Why a socket was closed, for the codes `ws` closes with by itself (it sends them without a reason).
 * A close reason is at most 123 bytes.
 */
const closeReasons: Record<number, string> = {
  1002: 'WebSocket protocol error.',
  1007: 'A text message was not valid UTF-8.',
  1009: `Message too big: DB Desk takes messages of up to ${MAX_MESSAGE_BYTES / 1024 / 1024} MB.`,
};

type InvokeMessage = { type: 'invoke'; id: number; name: unknown; input: unknown };

/** The envelope of a text frame — a call, or the cancel of one — or what is wrong with it in words. */
function readFrame(data: Buffer, isBinary: boolean): InvokeMessage | CancelFrame | string {
  if (isBinary) return 'Messages must be JSON text; a binary frame came.';
  let msg: unknown;
  try {
    msg = JSON.parse(data.toString('utf8'));
  } catch {
    return 'Messages must be JSON text.';
  }
  const m = msg as Partial<InvokeMessage> | Partial<CancelFrame> | null;
  if (typeof m === 'object' && m !== null && m.type === 'cancel') {
    const cancel = CancelFrame.safeParse(m);
    return cancel.success ? cancel.data : 'Expected {type:"cancel", id:number} (the id of a call of this window, a positive integer).';
  }
  if (typeof m !== 'object' || m === null || m.type !== 'invoke' || typeof m.id !== 'number') return 'Expected {type:"invoke", id:number, name, input} or {type:"cancel", id:number}.';
  return m as InvokeMessage;
}

/**
 * One WebSocket = one window = one Session. Whatever a frame holds, the socket answers it or closes
 * with a reason, and nothing a window sends reaches past its own session: a broken frame, an error
 * of the socket or a flood of calls never ends the process nor another window's connections.
 */
export function attachWindow(core: AppCore, ws: WebSocket): void {
  // `ws` closes by itself on an over-long frame or invalid UTF-8; this gives those closes their reason.
  const close = ws.close.bind(ws);
  ws.close = (code?: number, reason?: string | Buffer) => close(code, reason ?? (code !== undefined ? closeReasons[code] : undefined));
  // Socket errors (the ones above, a reset) close this socket only; an 'error' without a listener would end the process.
  ws.on('error', () => undefined);

  let inFlight = 0;
  let queueTimer: NodeJS.Timeout | null = null;
  /** Reads again once the window has fewer calls in flight and has taken most of what was queued for it. */
  const flowControl = () => {
    const overloaded = inFlight >= MAX_IN_FLIGHT || ws.bufferedAmount > MAX_QUEUED_BYTES;
    if (overloaded && !ws.isPaused) ws.pause();
    if (!overloaded && ws.isPaused && inFlight < MAX_IN_FLIGHT / 2 && ws.bufferedAmount < MAX_QUEUED_BYTES / 2) ws.resume();
    // The queue drains without an event here: look again shortly while it is too full.
    if (ws.isPaused && ws.bufferedAmount > MAX_QUEUED_BYTES / 2 && !queueTimer && ws.readyState === ws.OPEN) {
      queueTimer = setTimeout(() => {
        queueTimer = null;
        flowControl();
      }, QUEUE_CHECK_MS);
    }
  };

  const sendText = (msg: unknown): boolean => {
    if (ws.readyState !== ws.OPEN) return false;
    let text: string;
    try {
      text = JSON.stringify(msg);
    } catch {
      return false;
    }
    ws.send(text);
    flowControl();
    return true;
  };

  const session = core.createSession((name, payload) => {
    const bulk = bulkFields[name as EventName];
    const big = bulk ? (payload as Record<string, unknown>)[bulk] : undefined;
    if (bulk && big instanceof Uint8Array && ws.readyState === ws.OPEN) {
      // The bytes go in the next frame, a binary one, as they are (see bulkFields).
      if (sendText({ type: 'event', name, payload: { ...(payload as object), [bulk]: null }, bulk })) ws.send(big, { binary: true });
      return;
    }
    sendText({ type: 'event', name, payload });
  });

  const answer = (id: number, result: IpcResult) => {
    inFlight -= 1;
    // An answer JSON cannot carry (a handler's bug) still answers the call.
    if (!sendText({ type: 'result', id, result })) {
      sendText({ type: 'result', id, result: { ok: false, error: { code: 'internal', message: 'The answer could not be sent as JSON.' } } });
    }
    flowControl();
  };

  /** This window's calls that it may cancel: every call it numbered with a valid id. */
  const calls = new CallSignals();

  ws.on('message', (data: Buffer, isBinary) => {
    const msg = readFrame(data, isBinary);
    if (typeof msg === 'string') {
      sendText({ type: 'protocol-error', message: msg });
      return;
    }
    if (msg.type === 'cancel') {
      calls.cancel(msg.id);
      return;
    }
    inFlight += 1;
    flowControl();
    const callId = CallSignals.parseId(msg.id);
    const signal = callId === null ? undefined : calls.start(callId);
    core.handle(session, msg.name, msg.input, signal).then(
      (result) => answer(msg.id, result),
      () => answer(msg.id, { ok: false, error: { code: 'internal', message: 'The call failed unexpectedly.' } }),
    ).finally(() => {
      if (callId !== null && signal) calls.finish(callId, signal);
    });
  });

  ws.on('close', () => {
    calls.cancelAll();
    if (queueTimer) clearTimeout(queueTimer);
    core.disposeSession(session).catch(() => undefined);
  });
}
