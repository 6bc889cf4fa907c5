import type { IpcResult } from './errors';

/**
 * What every shell gives the renderer, and all it gives: the Electron preload exposes exactly this
 * as `window.dbdesk`; the browser shell builds the same object over its WebSocket.
 */
export interface DbDeskTransport {
  invoke(command: string, input: unknown): Promise<IpcResult>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}
