import { sqliteLexRules } from '../../../../shared/sql/lex-rules/sqlite';
import type { Dialect } from '../dialect';
import { sqliteErrors } from './sqlite-errors';
import { SqliteDesignDialect } from './sqlite-ddl';

/** SQLite files. The driver (better-sqlite3) is loaded on first open or diagnosis. */
export const sqliteDialect: Dialect = {
  family: 'sqlite',
  errors: sqliteErrors,
  wire: null,
  lexRules: sqliteLexRules,

  async open(config) {
    const { SqliteEngine } = await import('./sqlite-engine');
    return SqliteEngine.open(config);
  },

  clusterNodes: () => null,

  designDialect: () => new SqliteDesignDialect(),

  async diagnostics() {
    return (await import('./sqlite-diagnostics')).sqliteDiagnostics;
  },
};
