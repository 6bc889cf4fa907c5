import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CoreError } from '../../errors';
import { writeNewMigration } from '../../../../features/migrations/core';
import type { HandlerMap } from '../../router';
import { MigrationSettingsRepository } from '../../store/migration-settings-repository';

type MainMigrationCommand = 'migrations.settings' | 'migrations.saveSettings' | 'migrations.browse' | 'migrations.create';

/** The migration commands that need no database: settings in the app store, folders on disk. */
export const migrationHandlers: HandlerMap<MainMigrationCommand> = {
  async 'migrations.settings'({ profileId }, { core }) {
    const profile = core.profiles.get(profileId);
    return new MigrationSettingsRepository(core.store.db).get(profileId, profile.migrationsDir ?? null);
  },

  async 'migrations.saveSettings'({ profileId, settings }, { core }) {
    core.profiles.get(profileId);
    return new MigrationSettingsRepository(core.store.db).save(profileId, settings);
  },

  async 'migrations.browse'({ path }) {
    const at = resolve(path && path.trim() !== '' ? path : homedir());
    let entries;
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new CoreError('not-found', `The folder "${at}" does not exist.`);
      if (code === 'ENOTDIR') throw new CoreError('invalid-input', `"${at}" is a file, not a folder.`);
      if (code === 'EACCES' || code === 'EPERM') throw new CoreError('forbidden', `No permission to read "${at}".`);
      throw err;
    }
    const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort((a, b) => a.localeCompare(b));
    const parent = dirname(at) === at ? null : dirname(at);
    return { path: at, parent, dirs, sqlFiles: entries.filter((e) => e.isFile() && /\.sql$/i.test(e.name)).length };
  },

  async 'migrations.create'({ dir, name, up, down, transaction }) {
    const written = await writeNewMigration(dir, { name, ...(up !== undefined ? { up } : {}), ...(down !== undefined ? { down } : {}), ...(transaction !== undefined ? { transaction } : {}) });
    return { ...written, path: join(dir, written.files[0]!) };
  },
};
