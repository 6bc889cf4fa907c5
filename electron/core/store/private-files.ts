import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The app store holds the query history, saved queries and encrypted passwords: it is for its
 * owner's eyes only, like the key file. Its folder is 0700 and the store with its WAL and shared
 * memory files 0600 — from the first start, and on the next start of an install made before (0644
 * files in a 0755 folder). Windows has no such modes; its profile folders are private already.
 */
const PRIVATE_FOLDER = 0o700;
const PRIVATE_FILE = 0o600;

/** SQLite's companions of a database in WAL mode; they hold recent writes in clear. */
const COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * Creates the data folder owner-only, and makes an existing one owner-only when it is DB Desk's:
 * made now, empty, or already holding the store. A folder someone points --data-dir at that is shared by
 * nature (the home folder, a sticky folder like /tmp) keeps its mode; the store's files are private anyway.
 */
export function preparePrivateFolder(dir: string, storeFile: string): void {
  const existed = existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER });
  if (process.platform === 'win32') return;
  if (existed && !existsSync(join(dir, storeFile)) && readdirSync(dir).length > 0) return;
  const { mode } = statSync(dir);
  const shared = (mode & 0o1000) !== 0 || resolve(dir) === resolve(homedir()) || dirname(resolve(dir)) === resolve(dir);
  if (!shared && (mode & 0o077) !== 0) chmodQuietly(dir, PRIVATE_FOLDER);
}

/**
 * Makes the store file owner-only before SQLite opens it: created 0600 when new (SQLite gives its
 * WAL and shared-memory files the database's mode), and an older install's 0644 files tightened.
 */
export function preparePrivateStore(path: string): void {
  if (process.platform === 'win32') return;
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  tightenStoreFiles(path);
}

/** The store and whichever companions exist, 0600. Called again once SQLite has made its WAL. */
export function tightenStoreFiles(path: string): void {
  if (process.platform === 'win32') return;
  for (const file of [path, ...COMPANIONS.map((suffix) => path + suffix)]) {
    if (!existsSync(file)) continue;
    if ((statSync(file).mode & 0o077) !== 0) chmodQuietly(file, PRIVATE_FILE);
  }
}

/** Not our file (another user's, a read-only mount): the store still opens; its mode is what it was. */
function chmodQuietly(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EROFS' && code !== 'EACCES') throw err;
  }
}
