import { ConnectionFields, defaultPoolSize, type ConnectionProfile } from '../../../shared/model/connection';
import { isFileEngine } from '../../../shared/model/engine';
import { connectionFromEnvironment, type EnvMap } from '../../../shared/model/environment';
import type { EngineConfig } from '../engines/config';
import { CoreError } from '../errors';
import type { AppStore } from './app-store';

export const ENVIRONMENT_PROFILE_ID = 'environment';

/**
 * The connection profiles a process can use: those saved in the app store, and the one the DB_*
 * environment describes. What the app and every CLI command that takes `--connection` share —
 * reading them has no side effect (the app's demo profile is the app's business, not this).
 */
export class ProfileBook {
  readonly environmentProfile: ConnectionProfile | null = null;
  readonly environmentPassword: string | undefined;
  readonly environmentError: string | null = null;

  constructor(
    readonly store: AppStore,
    env: EnvMap = {},
    private readonly cpuCount: number,
  ) {
    try {
      const parsed = connectionFromEnvironment(env);
      if (parsed) {
        const fields = ConnectionFields.parse(parsed.fields);
        this.environmentProfile = { ...fields, id: ENVIRONMENT_PROFILE_ID, hasPassword: parsed.password !== undefined, hasSshPassword: false, hasSshPassphrase: false, source: 'environment' };
        this.environmentPassword = parsed.password;
      }
    } catch (err) {
      this.environmentError = (err as Error).message;
    }
  }

  list(): ConnectionProfile[] {
    const saved = this.store.profiles.list();
    return this.environmentProfile ? [this.environmentProfile, ...saved] : saved;
  }

  get(id: string): ConnectionProfile {
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

  /** Profile fields + password (+ SSH secrets) → what an engine needs. */
  engineConfig(fields: ConnectionFields, password: string | undefined, ssh: { password?: string | undefined; passphrase?: string | undefined } = {}): EngineConfig {
    const config: EngineConfig = { ...fields, poolSize: fields.poolSize ?? defaultPoolSize(this.cpuCount) };
    if (password !== undefined) config.password = password;
    if (ssh.password !== undefined) config.sshPassword = ssh.password;
    if (ssh.passphrase !== undefined) config.sshPassphrase = ssh.passphrase;
    if (isFileEngine(fields.engine) && !fields.file) throw new CoreError('invalid-input', 'A SQLite connection needs a file path.');
    return config;
  }
}
