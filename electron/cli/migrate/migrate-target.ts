import { ConnectionFields, type ConnectionProfile } from '../../../shared/model/connection';
import { ConnectionUrlError, parseConnectionUrl } from '../../../shared/model/connection-url';
import { defaultMigrationSettings, type MigrationSettings } from '../../../shared/model/migrations';
import { openEngine, type Engine } from '../../core/engines';
import { CoreError } from '../../core/errors';
import { MigrationSettingsRepository } from '../../core/store/migration-settings-repository';
import { createNodeCore } from '../node-core';
import { UsageError } from '../usage';

export interface MigrateTarget {
  engine: Engine;
  /** What the messages call the target: the profile's name, or the URL without its password. */
  label: string;
  production: boolean;
  readOnly: boolean;
  settings: MigrationSettings;
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
 * Opens the database a `dbdesk migrate` command names: `--url` (never a production profile), or
 * `--connection NAME`, a profile saved in the app's store with its password, production flag and
 * migration settings.
 */
export async function openMigrateTarget(opts: { url?: string | undefined; connection?: string | undefined; dataDir?: string | undefined }): Promise<MigrateTarget> {
  if (opts.url) {
    let parsed;
    try {
      parsed = parseConnectionUrl(opts.url);
    } catch (err) {
      if (err instanceof ConnectionUrlError) throw new UsageError(err.message);
      throw err;
    }
    const fields = ConnectionFields.parse(parsed.fields);
    const config = { ...fields, poolSize: 3, ...(parsed.password !== undefined ? { password: parsed.password } : {}) };
    const engine = await openEngine(config);
    const { formatConnectionUrl } = await import('../../../shared/model/connection-url');
    return { engine, label: formatConnectionUrl(fields), production: false, readOnly: fields.readOnly, settings: { ...defaultMigrationSettings } };
  }
  const core = createNodeCore(opts.dataDir);
  try {
    const profile = findProfile(core.listProfiles(), opts.connection!);
    const { id, hasPassword: _h, source: _s, ...fields } = profile;
    const config = { ...core.engineConfig(fields, core.passwordOf(id)), poolSize: 3 };
    const settings = new MigrationSettingsRepository(core.store.db).get(id, profile.migrationsDir ?? null);
    let engine: Engine;
    try {
      engine = await openEngine(config);
    } catch (err) {
      if (err instanceof CoreError) throw err;
      throw new CoreError('connection-failed', `Cannot connect to "${profile.name}": ${(err as Error).message}`);
    }
    return { engine, label: `"${profile.name}"`, production: profile.production, readOnly: profile.readOnly, settings };
  } finally {
    await core.close();
  }
}
