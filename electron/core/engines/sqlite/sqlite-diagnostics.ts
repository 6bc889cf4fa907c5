import type Database from 'better-sqlite3';
import { openSqlite } from '../../native/open-sqlite';
import { launchRunner } from '../../runner/runner-launcher';
import type { FileDiagnosticHandle, FileEngineDiagnostics, TableReadFacts } from '../../../../features/diagnostics/core/engine-diagnostics';
import { packageVersion } from '../common/package-version';
import type { FromRunner, ToRunner } from './sqlite-runner-protocol';
import { quoteSqliteIdent } from './sqlite-quote';

/** quick_check reads the whole file; up to this many bytes per second of step time it runs in this thread. */
const IN_THREAD_BYTES_PER_SECOND = 20 * 1024 * 1024;

export const sqliteDiagnostics: FileEngineDiagnostics = {
  kind: 'file',
  driver: { name: 'better-sqlite3', version: packageVersion('better-sqlite3') },

  open(file: string, options: { readOnly: boolean; busyTimeoutMs: number }): FileDiagnosticHandle {
    // fileMustExist: a missing path must never become a new empty database.
    const db = openSqlite(file, { readonly: options.readOnly, fileMustExist: true, timeout: options.busyTimeoutMs });
    try {
      // better-sqlite3 opens lazily: a text file or a locked database only fails on the first read.
      const { n } = db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number };
      const { v } = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
      const journalMode = String(db.pragma('journal_mode', { simple: true }));
      return new SqliteDiagnosticHandle(db, file, v, n, journalMode);
    } catch (err) {
      db.close();
      throw err;
    }
  },
};

class SqliteDiagnosticHandle implements FileDiagnosticHandle {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    readonly serverVersion: string,
    readonly catalogObjects: number,
    readonly journalMode: string,
  ) {}

  readTable(): TableReadFacts {
    const t = this.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name LIMIT 1").get() as { name: string } | undefined;
    if (!t) return { table: null, rows: 0, columns: 0 };
    const stmt = this.db.prepare(`SELECT * FROM main.${quoteSqliteIdent(t.name)} LIMIT 1`);
    const rows = stmt.raw(true).all();
    return { table: t.name, rows: rows.length, columns: stmt.columns().length };
  }

  async quickCheck(options: { fileSize: number; timeoutMs: number; signal: AbortSignal }): Promise<{ problems: string[]; where: 'this thread' | 'child process' }> {
    // A native call cannot be interrupted: a file too big to check well within the limit is checked
    // in a child process, which is killed when the step's time is up.
    if (options.fileSize <= (options.timeoutMs / 1000) * IN_THREAD_BYTES_PER_SECOND / 2) {
      return { problems: (this.db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check), where: 'this thread' };
    }
    return { problems: await quickCheckInChild(this.file, options.signal), where: 'child process' };
  }

  tryWriteLock(): void {
    const previous = this.db.pragma('busy_timeout', { simple: true });
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
    } finally {
      this.db.pragma(`busy_timeout = ${Number(previous) || 0}`);
    }
  }

  close(): void {
    this.db.close();
  }
}

/**
 * quick_check in a runner process, ended when the step's time is up. A runner, not a fork of
 * process.execPath: in the desktop app that is Electron's binary, which cannot run as Node.
 */
function quickCheckInChild(file: string, signal: AbortSignal): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const runner = launchRunner();
    const onAbort = () => void runner.kill();
    signal.addEventListener('abort', onAbort, { once: true });
    runner.onMessage((message) => {
      const msg = message as FromRunner;
      if (msg.type === 'checked') resolve(msg.problems);
      else if (msg.type === 'error') reject(Object.assign(new Error(msg.message), { code: msg.code ?? undefined }));
      void runner.kill();
    });
    runner.onExit((code) => {
      signal.removeEventListener('abort', onAbort);
      reject(new Error(`The integrity check process stopped (${code ?? 'killed'}).`));
    });
    runner.send({ type: 'quick-check', id: 1, file } satisfies ToRunner);
  });
}
