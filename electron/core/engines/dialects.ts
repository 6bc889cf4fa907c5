import { engineFamily, type EngineFamily, type EngineKind } from '../../../shared/model/engine';
import type { Dialect } from './dialect';
import { mysqlDialect } from './mysql/mysql-dialect';
import { postgresDialect } from './postgres/postgres-dialect';
import { sqliteDialect } from './sqlite/sqlite-dialect';

import type { WireProtocol } from '../../../features/diagnostics/core/probes/wire-protocol';

export type { Dialect, Endpoint } from './dialect';

/** The one place that picks by engine: every engine family's dialect. */
const dialects: Record<EngineFamily, Dialect> = {
  postgres: postgresDialect,
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
};

/** The dialect whose driver (or protocol probe) an error comes from: `pg`, `mysql2`, `mysql-protocol`, `better-sqlite3`. */
export function dialectForErrorSource(source: string): Dialect | undefined {
  return Object.values(dialects).find((d) => d.errors.sources.includes(source));
}

/** Every network protocol the dialects speak, for the fingerprint's "who answers on this port?". */
export function wireProtocols(): WireProtocol[] {
  return Object.values(dialects).flatMap((d) => (d.wire ? [d.wire] : []));
}

/** The dialect of an engine kind (`mariadb` and `mysql` share the mysql family's). */
export function dialectFor(kind: EngineKind): Dialect {
  return dialects[engineFamily(kind)];
}
