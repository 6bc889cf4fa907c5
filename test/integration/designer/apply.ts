import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DdlSection } from '../../../shared/ipc/commands/designer';
import { MARIADB, POSTGRES } from '../../support/servers';

export type Target = { kind: 'postgresql'; database: string } | { kind: 'mariadb'; database: string } | { kind: 'sqlite'; file: string };

/**
 * Runs a generated section statement by statement, the way a migration runner does: in one
 * transaction unless the section manages its own (`transaction:false`).
 */
export async function applyMigration(target: Target, section: DdlSection): Promise<void> {
  if (target.kind === 'postgresql') {
    const client = new pg.Client({ ...POSTGRES, database: target.database });
    await client.connect();
    try {
      await client.query('BEGIN');
      for (const s of section.statements) await client.query(s);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await client.end();
    }
    return;
  }
  if (target.kind === 'mariadb') {
    const conn = await mysql.createConnection({ ...MARIADB, database: target.database });
    try {
      for (const s of section.statements) await conn.query(s);
    } finally {
      await conn.end();
    }
    return;
  }
  const db = new Database(target.file);
  try {
    if (section.transactional) db.exec('BEGIN');
    for (const s of section.statements) db.exec(s);
    if (section.transactional) db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    db.close();
  }
}
