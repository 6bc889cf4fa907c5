import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { engineFamily } from '../../../shared/model/engine';
import type { EngineConfig } from './config';

/**
 * For an engine whose database is a file on this machine (SQLite): whether that file exists yet,
 * and whether it could be created (its folder exists). Null for a server engine. Lets `dbdesk
 * migrate up` create a new database as dbmate, golang-migrate and Flyway do, and every other
 * command refuse a path that names nothing, before anything is opened.
 */
export function databaseFileState(config: Pick<EngineConfig, 'engine' | 'file'>): { path: string; exists: boolean; folderExists: boolean } | null {
  if (engineFamily(config.engine) !== 'sqlite' || !config.file) return null;
  const path = resolve(config.file);
  const folder = dirname(path);
  const folderExists = (() => {
    try {
      return statSync(folder).isDirectory();
    } catch {
      return false;
    }
  })();
  return { path, exists: existsSync(path), folderExists };
}
