import { CoreError } from '../errors';
import type { EngineConfig } from './config';
import type { Engine } from './engine';
import type { EngineHooks } from './hooks';
import { MysqlEngine } from './mysql/mysql-engine';
import { PostgresEngine } from './postgres/postgres-engine';
import { defaultPorts, engineFamily, type EngineFamily, type EngineKind } from '../../../shared/model/engine';
import type { EngineDiagnostics } from '../../../features/diagnostics/core/engine-diagnostics';
import { mysqlDiagnostics } from './mysql/mysql-diagnostics';
import { GaleraClusterEngine } from './mysql/galera/cluster-engine';
import { postgresDiagnostics } from './postgres/postgres-diagnostics';
import { sqliteDiagnostics } from './sqlite/sqlite-diagnostics';
import { SqliteEngine } from './sqlite/sqlite-engine';

export type { ClusterStatusSource, Engine } from './engine';
export type { EngineConfig } from './config';
export { designDialectFor } from './design-dialects';

/** host:port candidates of a profile: the main host, then any further cluster nodes. */
export function endpointsOf(config: EngineConfig): { host: string; port: number }[] {
  const port = config.port ?? defaultPorts[config.engine];
  if (port === undefined) return [];
  return [{ host: config.host || 'localhost', port }, ...config.nodes];
}

/** A MySQL/MariaDB profile that lists further nodes is a Galera cluster: connected (and diagnosed) node by node. */
export function isClusterProfile(config: EngineConfig): boolean {
  return engineFamily(config.engine) === 'mysql' && endpointsOf(config).length > 1;
}

/**
 * Opens the engine for a profile. The one place that picks an adapter by engine:
 * a MySQL/MariaDB profile that lists several nodes is a Galera cluster (a node is chosen by the
 * clustercheck rule and left when it fails); a PostgreSQL host list is tried in order, as libpq does.
 */
export async function openEngine(config: EngineConfig, hooks: EngineHooks = {}): Promise<Engine> {
  const family = engineFamily(config.engine);
  if (family === 'sqlite') return SqliteEngine.open(config);
  const endpoints = endpointsOf(config);
  if (endpoints.length === 0) throw new CoreError('invalid-input', 'The connection has no host.');
  if (family === 'mysql') {
    if (isClusterProfile(config)) return GaleraClusterEngine.open(config, endpoints, hooks);
    return MysqlEngine.open(config, endpoints[0]!.host, endpoints[0]!.port, hooks);
  }
  let firstError: unknown;
  for (const ep of endpoints) {
    try {
      return await PostgresEngine.open(config, ep.host, ep.port, hooks);
    } catch (err) {
      firstError ??= err;
    }
  }
  throw firstError;
}

const diagnosticsByFamily: Record<EngineFamily, EngineDiagnostics> = {
  postgres: postgresDiagnostics,
  mysql: mysqlDiagnostics,
  sqlite: sqliteDiagnostics,
};

/** The family's diagnostics adapter (its login and read-only checks) for the runner in features/diagnostics/core. */
export function diagnosticsFor(kind: EngineKind): EngineDiagnostics {
  return diagnosticsByFamily[engineFamily(kind)];
}

