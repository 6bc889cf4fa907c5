import type Database from 'better-sqlite3';
import { defaultMigrationSettings, MigrationSettings } from '../../../shared/model/migrations';

/** Each connection's migration folder and timeouts. Damaged JSON falls back to the defaults. */
export class MigrationSettingsRepository {
  constructor(private readonly db: Database.Database) {}

  /** `fallbackDir`: the profile's own migrationsDir, used until a folder is saved here. */
  get(profileId: string, fallbackDir: string | null = null): MigrationSettings {
    const row = this.db.prepare('SELECT settings FROM migration_settings WHERE profile_id = ?').get(profileId) as { settings: string } | undefined;
    if (row) {
      try {
        const parsed = MigrationSettings.safeParse(JSON.parse(row.settings));
        if (parsed.success) return { ...parsed.data, dir: parsed.data.dir ?? fallbackDir };
      } catch {
        /* damaged: defaults */
      }
    }
    return { ...defaultMigrationSettings, dir: fallbackDir };
  }

  save(profileId: string, settings: MigrationSettings): MigrationSettings {
    const clean = MigrationSettings.parse(settings);
    this.db
      .prepare('INSERT INTO migration_settings (profile_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT(profile_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at')
      .run(profileId, JSON.stringify(clean), new Date().toISOString());
    return clean;
  }
}
