import type { RunnableFormat } from '../../../../shared/model/migrations';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The history tables dbmate, golang-migrate and Flyway create on PostgreSQL, with their columns,
 * types and keys (read from each tool's driver; see the README). They go in the current schema,
 * where each tool puts its table by default.
 */
export function postgresToolTableDdl(tool: RunnableFormat, table: string): string[] {
  const t = quote(table);
  if (tool === 'dbmate') return [`CREATE TABLE IF NOT EXISTS ${t} (version varchar PRIMARY KEY)`];
  if (tool === 'golang-migrate') return [`CREATE TABLE IF NOT EXISTS ${t} (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)`];
  return [
    `CREATE TABLE ${t} (
      "installed_rank" INT NOT NULL,
      "version" VARCHAR(50),
      "description" VARCHAR(200) NOT NULL,
      "type" VARCHAR(20) NOT NULL,
      "script" VARCHAR(1000) NOT NULL,
      "checksum" INTEGER,
      "installed_by" VARCHAR(100) NOT NULL,
      "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
      "execution_time" INTEGER NOT NULL,
      "success" BOOLEAN NOT NULL
    )`,
    `ALTER TABLE ${t} ADD CONSTRAINT ${quote(`${table}_pk`)} PRIMARY KEY ("installed_rank")`,
    `CREATE INDEX ${quote(`${table}_s_idx`)} ON ${t} ("success")`,
  ];
}
