import { defaultPorts, engineFamily, type EngineKind } from '../../../shared/model/engine';
import { CoreError } from '../errors';
import type { EngineConfig } from './config';
import type { DesignDialect } from './design-dialect';
import type { Engine } from './engine';
import type { EngineHooks } from './hooks';
import { MysqlDesignDialect } from './mysql/mysql-ddl';
import { MysqlEngine } from './mysql/mysql-engine';
import { PostgresDesignDialect } from './postgres/postgres-ddl';
import { PostgresEngine } from './postgres/postgres-engine';
import { SqliteDesignDialect } from './sqlite/sqlite-ddl';
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

/**
 * The schema designer's DDL for an engine, without a connection (designing before a database
 * exists). `version` picks version-dependent statements; null means the current release.
 */
export function designDialectFor(kind: EngineKind, version: string | null = null): DesignDialect {
  switch (engineFamily(kind)) {
    case 'postgres':
      return new PostgresDesignDialect();
    case 'mysql':
      return new MysqlDesignDialect(kind === 'mariadb' ? 'mariadb' : 'mysql', version);
    case 'sqlite':
      return new SqliteDesignDialect();
  }
}
