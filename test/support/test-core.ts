import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type DbDeskClient } from '../../shared/ipc/client';
import type { DbDeskTransport } from '../../shared/ipc/transport';
import { AppCore } from '../../electron/core/app-core';
import { distPath } from '../../electron/core/paths';
import type { Session } from '../../electron/core/session/session';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import type { EnvMap } from '../../shared/model/environment';

export interface TestWindow {
  client: DbDeskClient;
  session: Session;
  events: { name: string; payload: unknown }[];
  /** Raw access to the router, for payloads the typed client would not let you write. */
  invoke(name: unknown, input: unknown): ReturnType<AppCore['handle']>;
  close(): Promise<void>;
}

export interface TestCore {
  core: AppCore;
  dataDir: string;
  openWindow(): TestWindow;
  close(): Promise<void>;
}

/**
 * A real AppCore in a temporary data folder, with real worker threads (the built dist/worker.cjs).
 * Windows talk to it through the router exactly as the shells do.
 */
export function createTestCore(options: { env?: EnvMap; workerEnv?: Record<string, string> } = {}): TestCore {
  const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-test-'));
  const core = new AppCore({
    dataDir,
    shell: 'browser',
    cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')),
    env: options.env ?? {},
    workerPath: distPath('worker.cjs'),
    workerEnv: { DBDESK_TEST_HOOKS: '1', ...options.workerEnv },
  });
  const windows = new Set<TestWindow>();
  return {
    core,
    dataDir,
    openWindow() {
      const listeners = new Set<(e: string, p: unknown) => void>();
      const events: { name: string; payload: unknown }[] = [];
      const session = core.createSession((name, payload) => {
        events.push({ name, payload });
        for (const l of listeners) l(name, payload);
      });
      const transport: DbDeskTransport = {
        // Through JSON, as the WebSocket does: what cannot be serialized fails here too.
        invoke: async (name, input) => JSON.parse(JSON.stringify(await core.handle(session, name, JSON.parse(JSON.stringify(input ?? null))))),
        subscribe(l) {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      };
      const w: TestWindow = {
        client: createClient(transport),
        session,
        events,
        invoke: (name, input) => core.handle(session, name, input),
        close: async () => {
          windows.delete(w);
          await core.disposeSession(session);
        },
      };
      windows.add(w);
      return w;
    },
    async close() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a profile from a URL the way the connection editor does, and returns its id. */
export async function saveProfileFromUrl(client: DbDeskClient, url: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { parseConnectionUrl } = await import('../../shared/model/connection-url');
  const parsed = parseConnectionUrl(url);
  const profile = await client.call('connections.save', { fields: { ...parsed.fields, ...extra } as never, password: parsed.password });
  return profile.id;
}
