import { lexRules } from '../../../../shared/sql/lex-rules';
import { mysqlExplainer } from './mysql-explained-errors';
import { CoreError } from '../../errors';
import type { Dialect } from '../dialect';
import { mysqlIdentifiers } from './mysql-identifiers';
import { mysqlWire } from './mysql-wire-probe';
import { mysqlErrors } from './mysql-errors';
import { endpointsOf } from '../endpoints';
import { MysqlDesignDialect } from './mysql-ddl';
import { MysqlCompareDialect } from './mysql-compare';

/**
 * MySQL and MariaDB, and Galera clusters of them. The driver (mysql2) is loaded on first open or
 * diagnosis.
 */
export const mysqlDialect: Dialect = {
  family: 'mysql',
  errors: mysqlErrors,
  explainer: mysqlExplainer,
  wire: mysqlWire,
  lexRules: lexRules.mysql,
  identifiers: mysqlIdentifiers,

  /**
   * A profile that lists several nodes is a Galera cluster: a node is chosen by the clustercheck rule
   * and left when it fails.
   */
  async open(config, hooks = {}) {
    const endpoints = endpointsOf(config);
    if (endpoints.length === 0) throw new CoreError('invalid-input', 'The connection has no host.');
    if (endpoints.length > 1) {
      const { GaleraClusterEngine } = await import('./galera/cluster-engine');
      return GaleraClusterEngine.open(config, endpoints, hooks);
    }
    const { MysqlEngine } = await import('./mysql-engine');
    return MysqlEngine.open(config, endpoints[0]!.host, endpoints[0]!.port, hooks);
  },

  /** A cluster's run goes to the node the clustercheck rule picks, watched as the app watches it. */
  async openMigrations(config) {
    const endpoints = endpointsOf(config);
    if (endpoints.length === 0) throw new CoreError('invalid-input', 'The connection has no host.');
    if (endpoints.length > 1) {
      const engine = await this.open(config);
      return { adapter: engine.migrations(), close: () => engine.close() };
    }
    const { openMysqlMigrations } = await import('./mysql-migrations-open');
    return { adapter: await openMysqlMigrations(config, endpoints[0]!.host, endpoints[0]!.port), close: async () => undefined };
  },

  clusterNodes(config) {
    const endpoints = endpointsOf(config);
    return endpoints.length > 1 ? endpoints : null;
  },

  databaseName: (info, _endpoint, config) => info.currentDatabase ?? config.database ?? '',

  designDialect: (kind, version = null) => new MysqlDesignDialect(kind === 'mariadb' ? 'mariadb' : 'mysql', version),

  compareDialect: (kind, version = null) => new MysqlCompareDialect(kind === 'mariadb' ? 'mariadb' : 'mysql', version),

  async shadow() {
    return (await import('./mysql-shadow')).mysqlShadow;
  },

  async diagnostics() {
    return (await import('./mysql-diagnostics')).mysqlDiagnostics;
  },
  async backup() {
    return (await import('./mysql-backup')).mysqlBackup;
  },
};
