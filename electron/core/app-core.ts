import { cpus } from 'node:os';
import { join } from 'node:path';
import type { AppInfo } from '../../shared/ipc/commands/app';
import { ConnectionFields } from '../../shared/model/connection';
import type { EnvMap } from '../../shared/model/environment';
import { DownloadRegistry } from '../../features/table-browser/core/export/download-registry';
import { handlers } from './handlers/main';
import type { HostCapabilities } from './host';
import { appVersion, distPath } from './paths';
import { Router } from './router';
import { Session } from './session/session';
import { AppStore } from './store/app-store';
import { ProfileBook } from './store/profile-book';
import type { SecretCipher } from './store/secret-cipher';
import type { LaunchRunner } from './runner/runner-channel';

export { ENVIRONMENT_PROFILE_ID } from './store/profile-book';
export const DEMO_PROFILE_ID = 'demo';


export interface AppCoreOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  cipher: SecretCipher;
  /** The process environment (DB_* variables). */
  env?: EnvMap;
  workerPath?: string;
  workerEnv?: Record<string, string>;
  /** How runner processes (SQLite editor statements) start when the worker cannot fork them: Electron's utilityProcess. */
  launchRunner?: LaunchRunner;
  /** The shell's native dialogs (the desktop app); none in the browser shell. */
  host?: HostCapabilities;
}

/**
 * What one DB Desk process shares between its windows: the app store, the secrets, the router.
 * Each window gets its own Session (worker) from createSession.
 */
export class AppCore {
  readonly store: AppStore;
  readonly router = new Router(handlers);
  /** Finished exports the browser shell may serve as downloads. */
  readonly downloads = new DownloadRegistry();
  readonly info: AppInfo;
  /** The saved profiles and the DB_* environment's. */
  readonly profiles: ProfileBook;
  /** What the shell offers beyond the commands (native file dialogs), if anything. */
  readonly host: HostCapabilities | undefined;
  private readonly sessions = new Set<Session>();

  constructor(private readonly options: AppCoreOptions) {
    this.store = new AppStore(options.dataDir, options.cipher);
    this.info = {
      version: appVersion(),
      shell: options.shell,
      platform: `${process.platform}-${process.arch}`,
      dataDir: options.dataDir,
      secretStore: options.cipher.id,
      cpuCount: cpus().length,
      host: { pickPath: options.host !== undefined },
    };
    this.host = options.host;
    this.profiles = new ProfileBook(this.store, options.env ?? {}, this.info.cpuCount);
    this.ensureDemoProfile();
  }

  /** The demo profile is created once; a user who deletes it keeps it deleted. */
  private ensureDemoProfile(): void {
    const settings = this.store.settings;
    if (settings.flag('demo-profile-created')) return;
    this.store.profiles.save(
      ConnectionFields.parse({ name: 'Demo database (SQLite)', engine: 'sqlite', file: join(this.options.dataDir, 'demo.sqlite'), demo: true, color: 'green' }),
      undefined,
      DEMO_PROFILE_ID,
    );
    settings.setFlag('demo-profile-created');
  }

  createSession(emit: (event: string, payload: unknown) => void): Session {
    const session = new Session({
      workerPath: this.options.workerPath ?? distPath('worker.cjs'),
      emit,
      ...(this.options.workerEnv ? { workerEnv: this.options.workerEnv } : {}),
      ...(this.options.launchRunner ? { launchRunner: this.options.launchRunner } : {}),
    });
    this.sessions.add(session);
    return session;
  }

  async disposeSession(session: Session): Promise<void> {
    this.sessions.delete(session);
    await session.dispose();
  }

  /** One call of a window; `signal` (from the shell's CallSignals) cancels it. */
  handle(session: Session, command: unknown, input: unknown, signal?: AbortSignal) {
    // A call its caller gave no id cannot be cancelled: a signal of its own that never aborts (one
    // shared by every such call would collect their listeners).
    return this.router.handle({ core: this, session, signal: signal ?? new AbortController().signal }, command, input);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions].map((s) => this.disposeSession(s)));
    this.store.close();
  }
}
