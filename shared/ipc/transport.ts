import type { IpcResult } from './errors';

/**
 * What every shell gives the renderer, and all it gives: the Electron preload exposes exactly this
 * as `window.dbdesk`; the browser shell builds the same object over its WebSocket.
 *
 * A call given a `callId` (a positive integer the caller chose, unique among its calls in flight)
 * can be cancelled with `cancel(callId)`: the shell aborts that call's AbortSignal, the handler stops
 * what it can and answers (usually with the `cancelled` error code). A cancel for a call that has
 * already answered, or an unknown id, does nothing.
 */
export interface DbDeskTransport {
  invoke(command: string, input: unknown, callId?: number): Promise<IpcResult>;
  cancel(callId: number): void;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}
