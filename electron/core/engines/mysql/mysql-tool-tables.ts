import type { RunnableFormat } from '../../../../shared/model/migrations';
import { quoteMysqlIdent } from './mysql-types';

/**
 * The history tables dbmate, golang-migrate and Flyway create on MySQL/MariaDB, with their
 * columns, types and keys (read from each tool's driver; see the README).
 */
export function mysqlToolTableDdl(tool: RunnableFormat, table: string): string[] {
  const t = quoteMysqlIdent(table);
  if (tool === 'dbmate') return [`CREATE TABLE IF NOT EXISTS ${t} (version varchar(128) PRIMARY KEY)`];
  if (tool === 'golang-migrate') return [`CREATE TABLE IF NOT EXISTS ${t} (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)`];
  return [
    `CREATE TABLE ${t} (
      \`installed_rank\` INT NOT NULL,
      \`version\` VARCHAR(50),
      \`description\` VARCHAR(200) NOT NULL,
      \`type\` VARCHAR(20) NOT NULL,
      \`script\` VARCHAR(1000) NOT NULL,
      \`checksum\` INT,
      \`installed_by\` VARCHAR(100) NOT NULL,
      \`installed_on\` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
      \`execution_time\` INT NOT NULL,
      \`success\` BOOL NOT NULL,
      CONSTRAINT ${quoteMysqlIdent(`${table}_pk`)} PRIMARY KEY (\`installed_rank\`)
    )`,
    `CREATE INDEX ${quoteMysqlIdent(`${table}_s_idx`)} ON ${t} (\`success\`)`,
  ];
}
