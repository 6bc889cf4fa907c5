import { engineFamily, type EngineFamily, type EngineKind } from '../../../shared/model/engine';
import type { Dialect } from './dialect';
import { mysqlDialect } from './mysql/mysql-dialect';
import { postgresDialect } from './postgres/postgres-dialect';
import { sqliteDialect } from './sqlite/sqlite-dialect';

export type { Dialect, Endpoint } from './dialect';

/** The one place that picks by engine: every engine family's dialect. */
const dialects: Record<EngineFamily, Dialect> = {
  postgres: postgresDialect,
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
};

/** The dialect of an engine kind (`mariadb` and `mysql` share the mysql family's). */
export function dialectFor(kind: EngineKind): Dialect {
  return dialects[engineFamily(kind)];
}
