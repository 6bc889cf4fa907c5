import { join, sep } from 'node:path';
import { openSqlite } from '../core/native/open-sqlite';
import { ELECTRON_SQLITE_BINDING, SQLITE_BINDING_ENV, sqliteBindingProblem } from '../core/native/sqlite-binding';
import { packageRoot } from '../core/paths';
import { StartupError } from './startup-error';

const REBUILD =
  'Run `npm run rebuild:electron-sqlite` (Node ≥ 22.12, with access to Electron’s headers) and start again; `npm start` does this by itself.';
const REINSTALL = 'This copy of DB Desk was packaged with the wrong SQLite module: reinstall it, and report this message if it persists.';

/**
 * The Electron build of better-sqlite3 this app loads: the one shipped in app.asar.unpacked when
 * packaged; in development native/electron/ (made by `npm run rebuild:electron-sqlite`), or the file
 * DBDESK_SQLITE_BINDING names. A packaged app ignores that variable: an environment variable must
 * not choose native code for a release build, whose fuses refuse NODE_OPTIONS for the same reason.
 */
export function electronSqliteBinding(packaged: boolean, root = packageRoot(), env: NodeJS.ProcessEnv = process.env): string {
  const inPackage = join(root, ELECTRON_SQLITE_BINDING);
  if (packaged) return inPackage.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
  return env[SQLITE_BINDING_ENV] || inPackage;
}

/**
 * Checks the Electron build before anything opens a database — its recorded NODE_MODULE_VERSION
 * against this Electron's, then a real open — and makes it the build every thread and runner
 * process loads. Throws a StartupError that says what to do.
 */
export function useElectronSqlite(packaged: boolean): string {
  const file = electronSqliteBinding(packaged);
  const remedy = packaged ? REINSTALL : REBUILD;
  const problem = sqliteBindingProblem(file, Number(process.versions.modules));
  if (problem) throw new StartupError(problem, remedy);
  process.env[SQLITE_BINDING_ENV] = file;
  try {
    openSqlite(':memory:').close();
  } catch (err) {
    throw new StartupError(`The SQLite module ${file} does not load: ${(err as Error).message}`, remedy);
  }
  return file;
}
