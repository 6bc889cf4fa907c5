import { defaultPorts, engineFamily, type EngineFamily, type EngineKind } from '../../../shared/model/engine';
import { CoreError } from '../errors';
import type { EngineConfig } from './config';
import type { EngineDiagnostics } from './diagnostics';
import type { Engine } from './engine';
import type { EngineHooks } from './hooks';
import { mysqlDiagnostics } from './mysql/mysql-diagnostics';
import { MysqlEngine } from './mysql/mysql-engine';
import { postgresDiagnostics } from './postgres/postgres-diagnostics';
import { PostgresEngine } from './postgres/postgres-engine';
import { sqliteDiagnostics } from './sqlite/sqlite-diagnostics';
import { SqliteEngine } from './sqlite/sqlite-engine';

export type { Engine } from './engine';
export type { EngineConfig } from './config';

/** host:port candidates of a profile: the main host, then any further cluster nodes. */
export function endpointsOf(config: EngineConfig): { host: string; port: number }[] {
  const port = config.port ?? defaultPorts[config.engine];
  if (port === undefined) return [];
  return [{ host: config.host || 'localhost', port }, ...config.nodes];
}

/** Opens the engine for a profile at one endpoint. The one place that picks an adapter by engine. */
export async function openEngine(config: EngineConfig, hooks: EngineHooks = {}, endpoint = endpointsOf(config)[0]): Promise<Engine> {
  const family = engineFamily(config.engine);
  if (family === 'sqlite') return SqliteEngine.open(config);
  if (!endpoint) throw new CoreError('invalid-input', 'The connection has no host.');
  return family === 'postgres' ? PostgresEngine.open(config, endpoint.host, endpoint.port, hooks) : MysqlEngine.open(config, endpoint.host, endpoint.port, hooks);
}

const diagnosticsByFamily: Record<EngineFamily, EngineDiagnostics> = {
  postgres: postgresDiagnostics,
  mysql: mysqlDiagnostics,
  sqlite: sqliteDiagnostics,
};

/** The family's diagnostics adapter (its login and read-only checks) for the runner in core/diagnostics. */
export function diagnosticsFor(kind: EngineKind): EngineDiagnostics {
  return diagnosticsByFamily[engineFamily(kind)];
}
