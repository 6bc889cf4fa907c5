import type { RunnableFormat } from '../../../../shared/model/migrations';
import { quoteSqliteIdent } from './sqlite-quote';

/**
 * The history tables dbmate, golang-migrate and Flyway create in a SQLite file, with their columns,
 * declared types and keys (read from each tool's driver; see the README). golang-migrate declares
 * `uint64` and `bool` and keeps the version unique with an index rather than a primary key.
 */
export function sqliteToolTableDdl(tool: RunnableFormat, table: string): string[] {
  const t = quoteSqliteIdent(table);
  if (tool === 'dbmate') return [`CREATE TABLE IF NOT EXISTS ${t} (version varchar(128) PRIMARY KEY)`];
  if (tool === 'golang-migrate') return [`CREATE TABLE IF NOT EXISTS ${t} (version uint64, dirty bool)`, `CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON ${t} (version)`];
  return [
    `CREATE TABLE ${t} (
      "installed_rank" INT NOT NULL PRIMARY KEY,
      "version" VARCHAR(50),
      "description" VARCHAR(200) NOT NULL,
      "type" VARCHAR(20) NOT NULL,
      "script" VARCHAR(1000) NOT NULL,
      "checksum" INT,
      "installed_by" VARCHAR(100) NOT NULL,
      "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
      "execution_time" INT NOT NULL,
      "success" BOOLEAN NOT NULL
    )`,
    `CREATE INDEX ${quoteSqliteIdent(`${table}_s_idx`)} ON ${t} ("success")`,
  ];
}
