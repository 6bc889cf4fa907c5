import Database from 'better-sqlite3';
import { SQLITE_BINDING_ENV } from './sqlite-binding';

/**
 * Every SQLite database DB Desk opens is opened here, so that every thread and runner process
 * loads the same better-sqlite3 build: Node's own (node_modules) unless DBDESK_SQLITE_BINDING
 * names another. The desktop app's main process checks its Electron build and sets that variable
 * before anything opens a database; worker threads and utility processes inherit it.
 */
export function openSqlite(file: string, options: Database.Options = {}): Database.Database {
  const nativeBinding = process.env[SQLITE_BINDING_ENV];
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
