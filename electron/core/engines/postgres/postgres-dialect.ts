import { lexRules } from '../../../../shared/sql/lex-rules';
import { postgresExplainer } from './postgres-explained-errors';
import type { Dialect } from '../dialect';
import { postgresIdentifiers } from './postgres-identifiers';
import { postgresWire } from './postgres-wire-probe';
import { postgresErrors } from './postgres-errors';
import { PostgresDesignDialect } from './postgres-ddl';
import { PostgresCompareDialect } from './postgres-compare';

/** PostgreSQL. The driver (pg) is loaded on first open or diagnosis. */
export const postgresDialect: Dialect = {
  family: 'postgres',
  errors: postgresErrors,
  explainer: postgresExplainer,
  wire: postgresWire,
  lexRules: lexRules.postgres,
  identifiers: postgresIdentifiers,

  /** A host list is tried in order, as libpq does: the first server that accepts wins. */
  async open(config, hooks = {}) {
    const { PostgresEngine } = await import('./postgres-engine');
    return PostgresEngine.open(config, hooks);
  },

  async openMigrations(config) {
    const { openPostgresMigrations } = await import('./postgres-migrations-open');
    return { adapter: await openPostgresMigrations(config), close: async () => undefined };
  },

  clusterNodes: () => null,

  databaseName: (info, _endpoint, config) => info.currentDatabase ?? config.database ?? '',

  designDialect: () => new PostgresDesignDialect(),

  compareDialect: () => new PostgresCompareDialect(),

  async shadow() {
    return (await import('./postgres-shadow')).postgresShadow;
  },

  async diagnostics() {
    return (await import('./postgres-diagnostics')).postgresDiagnostics;
  },
  async backup() {
    return (await import('./postgres-backup')).postgresBackup;
  },
};
