import type { Engine, EngineConfig } from '../engines';
import { CoreError } from '../errors';

export interface OpenConnectionEntry {
  connectionId: string;
  profileId: string;
  engine: Engine;
  readOnly: boolean;
  production: boolean;
  /** What a user types to confirm writes on a production connection: the database name, or the SQLite file's name. */
  databaseName: string;
  /** Secrets of this connection, so every error leaving the worker can be scrubbed of them. */
  secrets: string[];
  /** The profile it was opened with, password included (client tools need it: backup, restore; drift and rehearsal make their shadow beside it). Never leaves the worker. */
  config?: EngineConfig;
}

/** The connections one worker (one window) owns. Nothing outside the worker touches them. */
export class ConnectionRegistry {
  private readonly open = new Map<string, OpenConnectionEntry>();
  /** Connects in progress, by profile id, so they can be cancelled. */
  readonly pending = new Map<string, AbortController>();
  /** Called before a connection closes, so what hangs on it (query sessions) closes first. */
  private readonly closeListeners = new Set<(connectionId: string) => Promise<void>>();

  onClose(listener: (connectionId: string) => Promise<void>): void {
    this.closeListeners.add(listener);
  }

  get(connectionId: string): OpenConnectionEntry {
    const entry = this.open.get(connectionId);
    if (!entry) throw new CoreError('not-connected', 'This connection is not open in this window. Connect to it first.');
    return entry;
  }

  has(connectionId: string): boolean {
    return this.open.has(connectionId);
  }

  add(entry: OpenConnectionEntry): void {
    this.open.set(entry.connectionId, entry);
  }

  async close(connectionId: string): Promise<boolean> {
    const entry = this.open.get(connectionId);
    if (!entry) return false;
    this.open.delete(connectionId);
    await Promise.allSettled([...this.closeListeners].map((l) => l(connectionId)));
    await entry.engine.close();
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.open.keys()].map((id) => this.close(id)));
  }

  allSecrets(): string[] {
    const out: string[] = [];
    for (const e of this.open.values()) out.push(...e.secrets);
    return out;
  }
}
