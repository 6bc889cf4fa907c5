import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from '../native/open-sqlite';
import { DesignerStateRepository } from './designer-state-repository';
import { preparePrivateFolder, preparePrivateStore, tightenStoreFiles } from './private-files';
import { ProfileRepository } from './profile-repository';
import { QueryRepository } from './query-repository';
import type { SecretCipher } from './secret-cipher';
import { SecretStore } from './secret-store';
import { SettingsRepository } from './settings-repository';
import { coreStoreMigrations, migrateStore, type StoreMigration } from './store-schema';

export const STORE_FILE = 'dbdesk.sqlite';

/** The app's own SQLite file: profiles, secrets (encrypted), settings and what features add. */
export class AppStore {
  readonly db: Database.Database;
  readonly secrets: SecretStore;
  readonly profiles: ProfileRepository;
  readonly settings: SettingsRepository;
  readonly queries: QueryRepository;
  readonly designer: DesignerStateRepository;

  constructor(dataDir: string, cipher: SecretCipher, extraMigrations: readonly StoreMigration[] = []) {
    const file = join(dataDir, STORE_FILE);
    preparePrivateFolder(dataDir, STORE_FILE);
    preparePrivateStore(file);
    this.db = openSqlite(file, { timeout: 5000 });
    // WAL: two DB Desk processes (a window and a `dbdesk migrate`) may use the store at once.
    this.db.pragma('journal_mode = WAL');
    tightenStoreFiles(file);
    this.db.pragma('foreign_keys = ON');
    migrateStore(this.db, [...coreStoreMigrations, ...extraMigrations]);
    this.secrets = new SecretStore(this.db, cipher);
    this.profiles = new ProfileRepository(this.db, this.secrets);
    this.settings = new SettingsRepository(this.db);
    this.queries = new QueryRepository(this.db);
    this.designer = new DesignerStateRepository(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
