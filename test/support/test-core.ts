import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type DbDeskClient } from '../../shared/ipc/client';
import type { DbDeskTransport } from '../../shared/ipc/transport';
import type { IpcResult } from '../../shared/ipc/errors';
import { CallSignals } from '../../electron/core/call-signals';
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
  invoke(name: unknown, input: unknown, signal?: AbortSignal): ReturnType<AppCore['handle']>;
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
      // The window's cancellable calls, as each shell keeps them (CallSignals by the caller's id).
      const calls = new CallSignals();
      const transport: DbDeskTransport = {
        // Through JSON, as the WebSocket does: what cannot be serialized fails here too.
        async invoke(name, input, callId) {
          const signal = callId === undefined ? undefined : calls.start(callId);
          try {
            return JSON.parse(JSON.stringify(await core.handle(session, name, JSON.parse(JSON.stringify(input ?? null)), signal))) as IpcResult;
          } finally {
            if (callId !== undefined && signal) calls.finish(callId, signal);
          }
        },
        cancel: (callId) => void calls.cancel(callId),
        subscribe(l) {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      };
      const w: TestWindow = {
        client: createClient(transport),
        session,
        events,
        invoke: (name, input, signal) => core.handle(session, name, input, signal),
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
