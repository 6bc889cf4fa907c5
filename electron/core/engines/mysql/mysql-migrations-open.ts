import mysql from 'mysql2';
import type { EngineConfig } from '../config';
import { formatEndpoint, mysqlConnectionOptions, withProfileTls } from './mysql-connection-options';
import { MysqlMigrationAdapter } from './mysql-migrations';

/**
 * What `dbdesk migrate` needs of a single MySQL/MariaDB server: the migration adapter, which opens
 * its own connection per run. No pool: one connection learns the product (MySQL or MariaDB) and
 * settles sslmode=prefer, and is closed at once.
 */
export async function openMysqlMigrations(config: EngineConfig, host: string, port: number): Promise<MysqlMigrationAdapter> {
  return withProfileTls(config, async (tls) => {
    const options = mysqlConnectionOptions(config, host, port, tls);
    const conn = mysql.createConnection(options).promise();
    let version: string;
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
      version = String(rows[0]!.v);
    } finally {
      await conn.end().catch(() => undefined);
    }
    const node = {
      options,
      flavour: /mariadb/i.test(version) ? ('mariadb' as const) : ('mysql' as const),
      endpoint: formatEndpoint(host, port),
      peers: [{ host, port }],
      optionsFor: (h: string, p: number) => mysqlConnectionOptions(config, h, p, tls),
    };
    return new MysqlMigrationAdapter(() => node);
  });
}
