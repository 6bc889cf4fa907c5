import { basename } from 'node:path';
import { lexRules } from '../../../../shared/sql/lex-rules';
import { sqliteExplainer } from './sqlite-explained-errors';
import type { Dialect } from '../dialect';
import { sqliteIdentifiers } from './sqlite-identifiers';
import { sqliteErrors } from './sqlite-errors';
import { SqliteDesignDialect } from './sqlite-ddl';
import { SqliteCompareDialect } from './sqlite-compare';

/** SQLite files. The driver (better-sqlite3) is loaded on first open or diagnosis. */
export const sqliteDialect: Dialect = {
  family: 'sqlite',
  errors: sqliteErrors,
  explainer: sqliteExplainer,
  wire: null,
  lexRules: lexRules.sqlite,
  identifiers: sqliteIdentifiers,

  async open(config) {
    const { SqliteEngine } = await import('./sqlite-engine');
    return SqliteEngine.open(config);
  },

  /** The file is checked as an open would check it (or created, when allowed); the adapter opens it per run. */
  async openMigrations(config) {
    const { checkSqliteFile } = await import('./sqlite-engine');
    const { SqliteMigrationAdapter } = await import('./sqlite-migrations');
    const file = await checkSqliteFile(config);
    if (config.allowCreate) {
      const { openSqlite } = await import('../../native/open-sqlite');
      openSqlite(file).close();
    }
    return { adapter: new SqliteMigrationAdapter(file), close: async () => undefined };
  },

  clusterNodes: () => null,

  databaseName: (_info, endpoint) => basename(endpoint),

  designDialect: () => new SqliteDesignDialect(),

  compareDialect: () => new SqliteCompareDialect(),

  async shadow() {
    return (await import('./sqlite-shadow')).sqliteShadow;
  },

  async diagnostics() {
    return (await import('./sqlite-diagnostics')).sqliteDiagnostics;
  },
  async backup() {
    return (await import('./sqlite-backup')).sqliteBackup;
  },
};
