import { engineFamily, type EngineKind } from '../../../shared/model/engine';
import type { DesignDialect } from '../../../features/designer/core/design-dialect';
import { MysqlDesignDialect } from './mysql/mysql-ddl';
import { PostgresDesignDialect } from './postgres/postgres-ddl';
import { SqliteDesignDialect } from './sqlite/sqlite-ddl';

/**
 * The schema designer's DDL for an engine, without a connection (designing before a database
 * exists). `version` picks version-dependent statements; null means the current release.
 *
 * Kept apart from engines/index.ts, which loads every driver: the main thread plans designer
 * migrations with this and needs no driver for it, so start-up does not load pg and mysql2.
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
