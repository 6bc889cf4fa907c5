import { cpus } from 'node:os';
import { join } from 'node:path';
import type { AppInfo } from '../../shared/ipc/commands/app';
import { ConnectionFields, defaultPoolSize, type ConnectionProfile } from '../../shared/model/connection';
import { connectionFromEnvironment, type EnvMap } from '../../shared/model/environment';
import { isFileEngine } from '../../shared/model/engine';
import type { EngineConfig } from './engines/config';
import { CoreError } from './errors';
import { DownloadRegistry } from '../../features/table-browser/core/export/download-registry';
import { handlers } from './handlers/main';
import { appVersion, distPath } from './paths';
import { Router } from './router';
import { Session } from './session/session';
import { AppStore } from './store/app-store';
import type { SecretCipher } from './store/secret-cipher';
import type { LaunchRunner } from './runner/runner-channel';

export const ENVIRONMENT_PROFILE_ID = 'environment';
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
  readonly environmentProfile: ConnectionProfile | null = null;
  readonly environmentPassword: string | undefined;
  readonly environmentError: string | null = null;
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
    };
    try {
      const env = connectionFromEnvironment(options.env ?? {});
      if (env) {
        const fields = ConnectionFields.parse(env.fields);
        this.environmentProfile = { ...fields, id: ENVIRONMENT_PROFILE_ID, hasPassword: env.password !== undefined, hasSshPassword: false, hasSshPassphrase: false, source: 'environment' };
        this.environmentPassword = env.password;
      }
    } catch (err) {
      this.environmentError = (err as Error).message;
    }
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

  listProfiles(): ConnectionProfile[] {
    const saved = this.store.profiles.list();
    return this.environmentProfile ? [this.environmentProfile, ...saved] : saved;
  }

  getProfile(id: string): ConnectionProfile {
    if (this.environmentProfile?.id === id) return this.environmentProfile;
    return this.store.profiles.get(id);
  }

  passwordOf(id: string): string | undefined {
    if (this.environmentProfile?.id === id) return this.environmentPassword;
    return this.store.secrets.get(id);
  }

  /** A profile's SSH password and remembered key passphrase (none for the environment profile). */
  sshSecretsOf(id: string): { password?: string; passphrase?: string } {
    if (this.environmentProfile?.id === id) return {};
    return this.store.profiles.sshSecrets(id);
  }

  /** Profile fields + password (+ SSH secrets) → what a worker's engine needs. */
  engineConfig(fields: ConnectionFields, password: string | undefined, ssh: { password?: string | undefined; passphrase?: string | undefined } = {}): EngineConfig {
    const config: EngineConfig = { ...fields, poolSize: fields.poolSize ?? defaultPoolSize(this.info.cpuCount) };
    if (password !== undefined) config.password = password;
    if (ssh.password !== undefined) config.sshPassword = ssh.password;
    if (ssh.passphrase !== undefined) config.sshPassphrase = ssh.passphrase;
    if (isFileEngine(fields.engine) && !fields.file) throw new CoreError('invalid-input', 'A SQLite connection needs a file path.');
    return config;
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

  handle(session: Session, command: unknown, input: unknown) {
    return this.router.handle({ core: this, session }, command, input);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions].map((s) => this.disposeSession(s)));
    this.store.close();
  }
}
