import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MARIADB, POSTGRES } from '../../support/servers';
import { cli, dbmateFile, mariadbUnderTest, migrationFolder, postgresUnderTest } from '../../support/migrations';

/**
 * The default lock timeout keeps a migration from queueing behind (and in front of) production
 * traffic: a table held by an open transaction makes the ALTER fail fast with advice.
 */
describe('lock timeouts', () => {
  it('PostgreSQL: lock_timeout stops an ALTER that waits for a busy table', async () => {
    const db = await postgresUnderTest.create();
    const folder = migrationFolder({ '20241001000000_alter.sql': dbmateFile('ALTER TABLE busy ADD COLUMN extra int;') });
    const holder = new pg.Client({ ...POSTGRES, database: db.name });
    try {
      await db.exec('CREATE TABLE busy (id int)');
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM busy');
      const started = Date.now();
      const r = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir, '--lock-timeout', '1']);
      expect(r.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(r.stdout).toMatch(/lock timeout \(SQLSTATE 55P03\)/);
      const plan = await cli(['migrate', 'plan', '--url', db.url, '--dir', folder.dir, '--lock-timeout', '1']);
      expect(plan.stdout).toMatch(/Setting: lock_timeout = 1 s/);
      const status = JSON.parse((await cli(['migrate', 'status', '--json', '--url', db.url, '--dir', folder.dir])).stdout) as { migrations: { error?: string }[] };
      expect(status.migrations[0]!.error).toMatch(/Retry when traffic is lower, or raise the lock timeout/);
    } finally {
      await holder.end();
      await db.drop();
      folder.remove();
    }
  });

  it('MariaDB: lock_wait_timeout stops an ALTER that waits for a metadata lock', async () => {
    const db = await mariadbUnderTest.create();
    const folder = migrationFolder({ '20241001000000_alter.sql': dbmateFile('ALTER TABLE busy ADD COLUMN extra int;') });
    const holder = await mysql.createConnection({ ...MARIADB, database: db.name });
    try {
      await db.exec('CREATE TABLE busy (id int)');
      await holder.query('START TRANSACTION');
      await holder.query('SELECT * FROM busy');
      const r = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir, '--lock-timeout', '1']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/Lock wait timeout exceeded.*errno 1205/);
      const plan = await cli(['migrate', 'plan', '--url', db.url, '--dir', folder.dir]);
      expect(plan.stdout).toMatch(/Setting: lock_wait_timeout = 5 s/);
    } finally {
      await holder.end();
      await db.drop();
      folder.remove();
    }
  });
});
