import { createClient, type DbDeskClient } from '../../../shared/ipc/client';
import type { DbDeskTransport } from '../../../shared/ipc/transport';
import { createWebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser shell. */
    dbdesk?: DbDeskTransport;
  }
}

/** The renderer's one client: Electron's preload bridge when present, else the browser shell's WebSocket. */
export const client: DbDeskClient = createClient(window.dbdesk ?? createWebSocketTransport(window.location.href));
