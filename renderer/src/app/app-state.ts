import type { AppInfo, Settings } from '../../../shared/ipc/commands/app';
import type { OpenConnection } from '../../../shared/ipc/commands/connections';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/errors';
import type { ConnectionFieldsInput, ConnectionProfile } from '../../../shared/model/connection';
import { createStore } from './store';

export type AttemptEvent = EventPayload<'connection.attempt'>;
export type FailoverEvent = EventPayload<'connection.failover'>;
export type CappedEvent = EventPayload<'connection.capped'>;

export interface ConnectionState {
  status: 'idle' | 'opening' | 'open' | 'failed';
  attempts: AttemptEvent[];
  error?: IpcError;
  open?: OpenConnection;
  /** Work before the first attempt, with its progress (the demo database written on the first start). */
  preparing?: { step: 'demo-database'; done: number; total: number };
  /** A cluster connection's moves between nodes since it was opened, oldest first. */
  failovers?: FailoverEvent[];
  /** The server granted fewer connections than the pool size (said in the status bar while the connection is open). */
  capped?: CappedEvent;
}

/** One tab of the main area. `kind` picks the view from the tab registry. */
export interface Tab {
  id: string;
  kind: string;
  title: string;
  profileId?: string;
  params: Record<string, unknown>;
}

export interface EditorState {
  /** null: a new connection. */
  profileId: string | null;
  /** Pre-filled fields (from a pasted URL, a duplicate…). */
  draftUrl?: string;
  /** Reopening an edit in progress (back from diagnosing the draft): its fields and typed password. */
  initial?: { fields: ConnectionFieldsInput; password?: string | null };
}

export interface AppState {
  ready: boolean;
  startupError: string | null;
  info: AppInfo | null;
  settings: Settings;
  profiles: ConnectionProfile[];
  selectedProfileId: string | null;
  connections: Record<string, ConnectionState>;
  tabs: Tab[];
  activeTabId: string | null;
  editor: EditorState | null;
  helpOpen: boolean;
  /** The command palette: every command, or the open tabs only (the tab strip's list). */
  palette: 'all' | 'tabs' | null;
  /** A tab to move the keyboard focus into once its content is drawn (see tabs.ts); seq makes a repeat count. */
  tabFocus: { tabId: string; seq: number } | null;
}

export const appStore = createStore<AppState>({
  ready: false,
  startupError: null,
  info: null,
  settings: { theme: 'system', lastConnectionId: null },
  profiles: [],
  selectedProfileId: null,
  connections: {},
  tabs: [],
  activeTabId: null,
  editor: null,
  helpOpen: false,
  palette: null,
  tabFocus: null,
});

export const idleConnection: ConnectionState = { status: 'idle', attempts: [] };

export function connectionState(state: AppState, profileId: string | null | undefined): ConnectionState {
  return (profileId && state.connections[profileId]) || idleConnection;
}

export function updateConnection(profileId: string, patch: Partial<ConnectionState>): void {
  appStore.set((s) => ({
    ...s,
    connections: { ...s.connections, [profileId]: { ...connectionState(s, profileId), ...patch } },
  }));
}
