import { ConnectionFields, type ConnectionProfile } from '../../../shared/model/connection';
import { ConnectionUrlError, formatConnectionUrl, parseConnectionUrl } from '../../../shared/model/connection-url';
import { defaultMigrationSettings, type MigrationSettings } from '../../../shared/model/migrations';
import type { EngineConfig } from '../../core/engines/config';
import type { MigrationAdapter } from '../../../features/migrations/core/migration-adapter';
import { CoreError } from '../../core/errors';
import { MigrationSettingsRepository } from '../../core/store/migration-settings-repository';
import { openProfileBook } from '../node-core';
import { applySshFlags, type SshFlagValues } from '../ssh-flags';
import { UsageError } from '../usage';

/** The database a `dbdesk migrate` command names, resolved without connecting to it. */
export interface ResolvedTarget {
  config: EngineConfig;
  /** What the messages call the target: the profile's name, or the URL without its password. */
  label: string;
  production: boolean;
  readOnly: boolean;
  settings: MigrationSettings;
}

export interface MigrateTarget extends Omit<ResolvedTarget, 'config'> {
  /** The dialect's migration adapter: it opens a connection of its own for each run. */
  migrations: MigrationAdapter;
  /** Ends what reaching the server needed (an SSH tunnel, a cluster's node watch). */
  close(): Promise<void>;
}

function findProfile(profiles: ConnectionProfile[], name: string): ConnectionProfile {
  const exact = profiles.filter((p) => p.name === name);
  if (exact.length === 1) return exact[0]!;
  const loose = profiles.filter((p) => p.name.toLowerCase() === name.toLowerCase());
  if (loose.length === 1) return loose[0]!;
  if (exact.length > 1 || loose.length > 1) throw new UsageError(`More than one saved connection is called "${name}"; rename one in DB Desk.`);
  const names = profiles.map((p) => `"${p.name}"`).join(', ');
  throw new UsageError(`No saved connection is called "${name}".${names ? ` Saved connections: ${names}.` : ' There are no saved connections in this data folder.'}`);
}

/**
 * Resolves `--url` (never a production profile) or `--connection NAME` (a profile saved in the app's
 * store, with its password, production flag and migration settings). Reads only the local store:
 * a bad argument is found before any connection is made.
 */
export async function resolveMigrateTarget(opts: { url?: string | undefined; connection?: string | undefined; dataDir?: string | undefined; ssh?: SshFlagValues }): Promise<ResolvedTarget> {
  if (opts.url) {
    let parsed;
    try {
      parsed = parseConnectionUrl(opts.url);
    } catch (err) {
      if (err instanceof ConnectionUrlError) throw new UsageError(err.message);
      throw err;
    }
    const fields = ConnectionFields.safeParse(parsed.fields);
    if (!fields.success) throw new UsageError(`--url: ${fields.error.issues.map((i) => `${i.path.join('.') || 'url'}: ${i.message}`).join('; ')}`);
    const config = applySshFlags({ ...fields.data, poolSize: 3, ...(parsed.password !== undefined ? { password: parsed.password } : {}) }, opts.ssh ?? {});
    return { config, label: formatConnectionUrl(fields.data), production: false, readOnly: fields.data.readOnly, settings: { ...defaultMigrationSettings } };
  }
  // Only the saved profiles: no AppCore, so nothing is written to the app store (no demo profile).
  const book = openProfileBook(opts.dataDir);
  try {
    const profile = findProfile(book.list(), opts.connection!);
    const { id, hasPassword: _h, hasSshPassword: _hs, hasSshPassphrase: _hp, source: _s, ...fields } = profile;
    let config: EngineConfig;
    try {
      config = applySshFlags({ ...book.engineConfig(fields, book.passwordOf(id), book.sshSecretsOf(id)), poolSize: 3 }, opts.ssh ?? {});
    } catch (err) {
      if (err instanceof CoreError) throw new UsageError(`The saved connection "${profile.name}": ${err.message}`);
      throw err;
    }
    const settings = new MigrationSettingsRepository(book.store.db).get(id, profile.migrationsDir ?? null);
    return { config, label: `"${profile.name}"`, production: profile.production, readOnly: profile.readOnly, settings };
  } finally {
    book.close();
  }
}

/**
 * Reaches a resolved target with only what a run needs — its dialect's migration adapter (no pool,
 * no introspection); `allowCreate` lets `up` create a SQLite file that does not exist yet.
 */
export async function openMigrateTarget(target: ResolvedTarget, options: { allowCreate?: boolean } = {}): Promise<MigrateTarget> {
  const { openMigrations } = await import('../../core/engines');
  const { config, ...rest } = target;
  try {
    const { adapter, close } = await openMigrations({ ...config, ...(options.allowCreate ? { allowCreate: true } : {}) });
    return { ...rest, migrations: adapter, close };
  } catch (err) {
    if (err instanceof CoreError) throw err;
    throw new CoreError('connection-failed', `Cannot connect to ${target.label}: ${(err as Error).message}`);
  }
}
