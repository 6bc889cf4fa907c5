import type Database from 'better-sqlite3';
import type { BackupJob, BackupPort, RestoreJob } from '../../../../features/backup/core/backup-port';
import { CoreError } from '../../errors';
import { openSqlite } from '../../native/open-sqlite';

const TOOL = 'SQLite online backup API';
/** Pages copied per step: small enough to cancel within milliseconds, large enough not to crawl. */
const PAGES_PER_STEP = 256;
/** A target locked by another writer this long (no page moved) fails instead of waiting forever. */
const BUSY_LIMIT_MS = 30_000;

function countTables(db: Database.Database): number {
  return (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").get() as { n: number }).n;
}

/**
 * better-sqlite3's backup(): copies `from` page by page into the file `to`, a step at a time,
 * reporting bytes; cancel (or a target busy for too long) throws from the progress callback, which
 * ends the copy — SQLite then rolls back what it wrote to the target.
 */
async function copyPages(from: Database.Database, to: string, job: BackupJob | RestoreJob): Promise<void> {
  const pageSize = from.pragma('page_size', { simple: true }) as number;
  let lastRemaining = -1;
  let stuckSince = Date.now();
  await from.backup(to, {
    progress({ totalPages, remainingPages }) {
      if (job.signal.aborted) throw new CoreError('cancelled', 'Cancelled.');
      if (remainingPages !== lastRemaining) {
        lastRemaining = remainingPages;
        stuckSince = Date.now();
      } else if (Date.now() - stuckSince > BUSY_LIMIT_MS) {
        throw new CoreError('timeout', `The database file "${to}" stayed locked by another connection for ${BUSY_LIMIT_MS / 1000} s (a transaction is open on it). Commit or close it and try again; nothing was changed.`);
      }
      job.progress({ bytes: (totalPages - remainingPages) * pageSize, totalBytes: totalPages * pageSize });
      return PAGES_PER_STEP;
    },
  });
}

function wholeFileOnly(job: BackupJob): void {
  if (job.options.scope !== 'all' || job.options.tables.length > 0) {
    throw new CoreError('unsupported', 'A SQLite backup is a copy of the whole file (SQLite’s online backup API): schema only, data only and chosen tables are for server databases. Choose “everything”.');
  }
}

export const sqliteBackup: BackupPort = {
  fileExtension: '.sqlite',
  partial: false,
  tablesFrom: 'default-schema',

  /** A consistent copy while the file stays in use: other connections go on reading and writing. */
  async backup(job: BackupJob) {
    wholeFileOnly(job);
    const file = job.target.file;
    if (!file) throw new CoreError('invalid-input', 'This connection names no SQLite file.');
    const db = openSqlite(file, { readonly: true, fileMustExist: true });
    try {
      await copyPages(db, job.outFile, job);
      return { tool: TOOL, tables: countTables(db) };
    } finally {
      db.close();
    }
  },

  /**
   * Restore over a file that is open (the app's own connection, maybe others): the backup is checked
   * first (a SQLite database that passes quick_check), then copied into the target by the same backup
   * API, which writes the target inside one write transaction held from the first page to the last —
   * other connections keep reading the old content until it commits, writers wait, and a cancel or a
   * failure rolls the target back (its journal makes that hold across a crash). Their next statement
   * sees the restored database.
   */
  async restore(job: RestoreJob) {
    const file = job.target.file;
    if (!file) throw new CoreError('invalid-input', 'This connection names no SQLite file.');
    let source: Database.Database;
    try {
      source = openSqlite(job.inFile, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw new CoreError('invalid-input', `"${job.inFile}" cannot be opened as a SQLite database: ${(err as Error).message}`);
    }
    try {
      let check: string;
      try {
        check = String(source.pragma('quick_check', { simple: true }));
      } catch (err) {
        throw new CoreError('invalid-input', `"${job.inFile}" is not a SQLite database (${(err as Error).message}); nothing was changed.`);
      }
      if (check !== 'ok') throw new CoreError('invalid-input', `"${job.inFile}" is damaged (quick_check: ${check}); nothing was changed.`);
      const target = openSqlite(file, { fileMustExist: true });
      try {
        // WAL keeps the page size of the file: a backup of another page size cannot be written into it.
        const walTarget = String(target.pragma('journal_mode', { simple: true })) === 'wal';
        if (walTarget && target.pragma('page_size', { simple: true }) !== source.pragma('page_size', { simple: true })) {
          throw new CoreError('unsupported', `The backup's page size (${String(source.pragma('page_size', { simple: true }))}) differs from the database's (${String(target.pragma('page_size', { simple: true }))}), and a database in WAL mode keeps its page size. Nothing was changed.`);
        }
      } finally {
        target.close();
      }
      await copyPages(source, file, job);
      return { tool: TOOL, tables: countTables(source) };
    } finally {
      source.close();
    }
  },
};
