import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CompiledQuery } from 'kysely';
import { ShadowRefusedError, type ShadowPort } from '../../../../features/migrations/core/shadow/shadow-port';

/** The database file and the files SQLite keeps beside it. */
function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** A temporary shadow's file: its generated name, then the id of the process that made it. */
const SHADOW_FILE = /^(dbdesk_shadow_[0-9a-z_]+)_p(\d+)\.sqlite$/;

/** Whether a process of that id runs on this machine (one we may not signal runs too). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * SQLite shadows: a temporary file in the system's temporary folder, deleted afterwards; with a shadow
 * URL, the file it names — used only when it does not exist or holds nothing, and left as it was found.
 */
export const sqliteShadow: ShadowPort = {
  async createTemporary(live, _open, name) {
    // The process id says whether the run that made it is alive (the sweep of files left behind).
    const path = join(tmpdir(), `${name}_p${process.pid}.sqlite`);
    // A file of 0 bytes is an empty SQLite database; the runner opens only files that exist.
    writeFileSync(path, '', { flag: 'wx' });
    return {
      config: { ...live, file: path, readOnly: false },
      schema: null,
      description: `temporary file ${path}`,
      name: path,
      drop: async () => removeDatabaseFiles(path),
    };
  },

  async useConfigured(config, open) {
    const path = resolve(config.file ?? '');
    const existed = existsSync(path);
    if (!existed) writeFileSync(path, '', { flag: 'wx' });
    else if (statSync(path).size > 0) {
      const conn = await open();
      try {
        const { rows } = await conn.query<{ n: number }>(CompiledQuery.raw("SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"));
        if (Number(rows[0]?.n ?? 0) > 0) throw new ShadowRefusedError(`The shadow file ${path} is not empty (${rows[0]!.n} objects). DB Desk uses a configured shadow file only when it is empty or does not exist yet, and leaves it so afterwards: name another file.`);
      } finally {
        await conn.close();
      }
    }
    return {
      config: { ...config, file: path, readOnly: false },
      schema: null,
      description: `shadow file ${path}`,
      name: path,
      drop: async () => {
        removeDatabaseFiles(path);
        // A file that was there before stays, empty, as it was found.
        if (existed) writeFileSync(path, '');
      },
    };
  },

  // The file's name holds the process id: nothing to hold.
  hold: async () => null,

  async leftShadows() {
    const dir = tmpdir();
    const uid = process.getuid?.();
    const out = [];
    for (const file of readdirSync(dir)) {
      const m = SHADOW_FILE.exec(file);
      if (!m) continue;
      const path = join(dir, file);
      // Only this user's files.
      if (uid !== undefined && statSync(path, { throwIfNoEntry: false })?.uid !== uid) continue;
      out.push({ name: m[1]!, description: `temporary file ${path}`, held: processAlive(Number(m[2])), drop: async () => removeDatabaseFiles(path) });
    }
    return out;
  },

  privilegeProblem(error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') return null;
    return `The shadow file cannot be written in ${tmpdir()} (${(error as Error).message}). Set TMPDIR to a folder DB Desk may write, or name a shadow file (--shadow-url).`;
  },

  // AUTO_INCREMENT / rowid move past copied values by themselves.
  afterRowCopy: () => [],

  rowCopySession: ['PRAGMA foreign_keys = OFF'],

  // The shadow is `main`, as the live file is.
  namedLiveSchema: 'outside',
};
