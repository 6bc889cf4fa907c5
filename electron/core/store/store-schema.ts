import type Database from 'better-sqlite3';

/**
 * One change to the app store's own schema. Ids are applied once each, in list order, and
 * recorded in store_migrations; named rather than numbered so features can add theirs side by side.
 * Never edit a step that has shipped: add another.
 */
export interface StoreMigration {
  id: string;
  sql: string;
}

export const coreStoreMigrations: StoreMigration[] = [
  {
    id: 'core-1-profiles-secrets-settings',
    sql: `CREATE TABLE profiles (
            id TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            fields TEXT NOT NULL,          -- JSON of ConnectionFields, never a password
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE TABLE secrets (
            profile_id TEXT PRIMARY KEY,
            cipher TEXT NOT NULL,          -- which SecretCipher wrote it
            data BLOB NOT NULL
          );
          CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL            -- JSON
          );`,
  },
  {
    id: 'migrations-1-settings',
    sql: `CREATE TABLE migration_settings (
            profile_id TEXT PRIMARY KEY,   -- a saved profile, or 'environment'
            settings TEXT NOT NULL,        -- JSON of MigrationSettings (folder, timeouts)
            updated_at TEXT NOT NULL
          );`,
  },
  {
    id: 'sql-editor-1-history-saved-queries-tabs',
    sql: `CREATE TABLE query_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            profile_id TEXT NOT NULL,
            sql TEXT NOT NULL,
            executed_at TEXT NOT NULL,
            duration_ms REAL NOT NULL,
            status TEXT NOT NULL,          -- ok | error | cancelled
            row_count INTEGER,             -- rows returned, or rows affected
            error TEXT
          );
          CREATE INDEX query_history_profile ON query_history (profile_id, id DESC);
          CREATE TABLE saved_queries (
            id TEXT PRIMARY KEY,
            profile_id TEXT NOT NULL,
            name TEXT NOT NULL,
            sql TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX saved_queries_profile ON saved_queries (profile_id, name);
          CREATE TABLE editor_tabs (
            id TEXT PRIMARY KEY,
            profile_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            anchor INTEGER NOT NULL,
            head INTEGER NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX editor_tabs_profile ON editor_tabs (profile_id, position);`,
  },
  {
    id: 'designer-1-diagram-state',
    sql: `CREATE TABLE designer_state (
            scope TEXT NOT NULL,           -- a profile id, or scratch:<id> for a design without a database
            schema_name TEXT NOT NULL,
            -- set for saved connections, so deleting the connection deletes its diagrams
            profile_id TEXT REFERENCES profiles(id) ON DELETE CASCADE,
            positions TEXT NOT NULL DEFAULT '{}',   -- JSON { tableId: { x, y } }
            draft TEXT,                    -- JSON DesignDraft: unsaved edits, kept across restarts
            updated_at TEXT NOT NULL,
            PRIMARY KEY (scope, schema_name)
          );`,
  },
];

export function migrateStore(db: Database.Database, migrations: readonly StoreMigration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS store_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT id FROM store_migrations').all() as { id: string }[]).map((r) => r.id));
  const record = db.prepare('INSERT INTO store_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, new Date().toISOString());
    }).immediate();
  }
}
