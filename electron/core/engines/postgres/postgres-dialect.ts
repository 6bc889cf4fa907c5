import { lexRules } from '../../../../shared/sql/lex-rules';
import { CoreError } from '../../errors';
import type { Dialect } from '../dialect';
import { postgresWire } from './postgres-wire-probe';
import { postgresErrors } from './postgres-errors';
import { endpointsOf } from '../endpoints';
import { PostgresDesignDialect } from './postgres-ddl';

/** PostgreSQL. The driver (pg) is loaded on first open or diagnosis. */
export const postgresDialect: Dialect = {
  family: 'postgres',
  errors: postgresErrors,
  wire: postgresWire,
  lexRules: lexRules.postgres,

  /** A host list is tried in order, as libpq does: the first server that accepts wins. */
  async open(config, hooks = {}) {
    const endpoints = endpointsOf(config);
    if (endpoints.length === 0) throw new CoreError('invalid-input', 'The connection has no host.');
    const { PostgresEngine } = await import('./postgres-engine');
    let firstError: unknown;
    for (const ep of endpoints) {
      try {
        return await PostgresEngine.open(config, ep.host, ep.port, hooks);
      } catch (err) {
        firstError ??= err;
      }
    }
    throw firstError;
  },

  clusterNodes: () => null,

  databaseName: (info, _endpoint, config) => info.currentDatabase ?? config.database ?? '',

  designDialect: () => new PostgresDesignDialect(),

  async diagnostics() {
    return (await import('./postgres-diagnostics')).postgresDiagnostics;
  },
};
