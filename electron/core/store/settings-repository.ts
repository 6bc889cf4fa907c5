import type Database from 'better-sqlite3';
import { Settings } from '../../../shared/ipc/commands/app';

/** App settings as one validated object; unknown or broken keys fall back to defaults. */
export class SettingsRepository {
  constructor(private readonly db: Database.Database) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const raw: Record<string, unknown> = {};
    for (const r of rows) {
      try {
        raw[r.key] = JSON.parse(r.value);
      } catch {
        /* a damaged value falls back to its default */
      }
    }
    const parsed = Settings.safeParse(raw);
    return parsed.success ? parsed.data : Settings.parse({});
  }

  update(patch: Partial<Settings>): Settings {
    const set = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) set.run(k, JSON.stringify(v));
    })();
    return this.get();
  }

  /** Internal flags that are not user settings (first start done, …). */
  flag(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(`flag:${key}`) !== undefined;
  }

  setFlag(key: string): void {
    this.db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(`flag:${key}`, 'true');
  }
}
