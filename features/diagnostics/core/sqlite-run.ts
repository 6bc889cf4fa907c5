import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DiagnosticStepId } from '../../../shared/model/diagnostics';
import type { EngineConfig } from '../../../electron/core/engines/config';
import type { FileDiagnosticHandle, FileEngineDiagnostics } from './engine-diagnostics';
import { describeError, SourcedError, type StepRecorder } from './step-recorder';
import type { StepTimeouts } from './timeouts';

export const sqlitePlan: DiagnosticStepId[] = ['config', 'path', 'permissions', 'header', 'open', 'table-read', 'integrity', 'lock'];

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * One diagnosis of a SQLite file: the file system first (so "not found" and "no permission" are told
 * apart — SQLite says "unable to open database file" for both), then the header, then SQLite itself.
 */
export async function runSqliteDiagnosis(config: EngineConfig, family: FileEngineDiagnostics, rec: StepRecorder, timeouts: StepTimeouts, ctx: { serverVersion?: string }): Promise<void> {
  const file = config.file ?? '';
  const skipRest = (from: DiagnosticStepId, reason: string) => {
    for (const id of sqlitePlan.slice(sqlitePlan.indexOf(from))) rec.skip(id, reason, timeouts[id]);
  };
  const fileEvidence = { file, readOnlyConnection: config.readOnly };

  const cfg = await rec.run('config', timeouts.config, async () =>
    file ? { status: 'ok', detail: `SQLite file ${file}${config.readOnly ? ', read-only' : ''}.`, evidence: fileEvidence } : { status: 'fail', detail: 'The connection names no file.', evidence: fileEvidence },
  );
  if (cfg.status === 'fail') return skipRest('path', 'Not run: no file to check.');

  let size = 0;
  const path = await rec.run('path', timeouts.path, async () => {
    const folderExists = await stat(dirname(file)).then(
      (s) => s.isDirectory(),
      () => false,
    );
    try {
      const s = await stat(file);
      size = s.size;
      const siblings = await Promise.all(['-wal', '-shm', '-journal'].map(async (suffix) => ((await stat(file + suffix).catch(() => null)) ? `${suffix.slice(1)} file present` : null)));
      const evidence = { ...fileEvidence, exists: true, isFile: s.isFile(), size: s.size, modified: s.mtime.toISOString(), siblings: siblings.filter((x): x is string => x !== null) };
      if (!s.isFile()) return { status: 'fail', detail: `${file} is ${s.isDirectory() ? 'a folder' : 'not a regular file'}, not a database file.`, evidence };
      return { status: 'ok', detail: `${file} exists (${s.size.toLocaleString('en-US')} bytes).`, evidence };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        return { status: 'fail', detail: folderExists ? `There is no file ${file}.` : `The folder ${dirname(file)} does not exist.`, evidence: { ...fileEvidence, exists: false, folderExists } };
      }
      return { status: 'fail', detail: `Cannot look at ${file}: ${describeError(err)}.`, evidence: { ...fileEvidence, folderExists }, error: err, errorSource: 'better-sqlite3' };
    }
  });
  if (path.status === 'fail') return skipRest('permissions', 'Not run: the file is not there.');

  const perms = await rec.run('permissions', timeouts.permissions, async () => {
    const can = (p: string, mode: number) =>
      access(p, mode).then(
        () => true,
        () => false,
      );
    const s = await stat(file);
    const readable = await can(file, constants.R_OK);
    const writable = await can(file, constants.W_OK);
    const folderWritable = await can(dirname(file), constants.W_OK);
    const evidence = {
      ...fileEvidence,
      readable,
      writable,
      folderWritable,
      mode: (s.mode & 0o777).toString(8).padStart(4, '0'),
      owner: `${s.uid}:${s.gid}`,
      processUser: typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid?.()}` : null,
    };
    if (!readable) return { status: 'fail', detail: `This user (uid ${evidence.processUser ?? '?'}) may not read ${file} (mode ${evidence.mode}, owner ${evidence.owner}).`, evidence };
    if (!config.readOnly && !writable) return { status: 'fail', detail: `${file} is read-only (mode ${evidence.mode}, owner ${evidence.owner}) and the connection wants to write.`, evidence };
    if (!config.readOnly && !folderWritable) return { status: 'fail', detail: `The folder ${dirname(file)} is not writable: SQLite cannot create its journal there, so writes would fail.`, evidence };
    if (!writable || !folderWritable) return { status: 'warn', detail: `Readable but not writable — fine for this read-only connection.`, evidence };
    return { status: 'ok', detail: `Readable and writable (mode ${evidence.mode}), and its folder is writable.`, evidence };
  });
  if (perms.status === 'fail' && perms.evidence.readable === false) return skipRest('header', 'Not run: the file cannot be read.');

  const header = await rec.run('header', timeouts.header, async () => {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(100);
      const { bytesRead } = await fh.read(buf, 0, 100, 0);
      const head = buf.subarray(0, Math.min(bytesRead, 16));
      const evidence = { headerHex: head.toString('hex'), headerText: head.toString('latin1').replace(/[^\x20-\x7e]/g, '.'), size };
      if (bytesRead === 0) return { status: 'warn', detail: 'The file is empty: SQLite treats it as a new, empty database.', evidence: { ...evidence, empty: true } };
      if (bytesRead < 16 || !head.equals(SQLITE_HEADER)) {
        return { status: 'fail', detail: `The file does not start with "SQLite format 3" (it starts with "${evidence.headerText}"): not a SQLite database, or an encrypted one.`, evidence };
      }
      const pageSize = buf.readUInt16BE(16) === 1 ? 65536 : buf.readUInt16BE(16);
      const encoding = ({ 1: 'UTF-8', 2: 'UTF-16le', 3: 'UTF-16be' } as Record<number, string>)[buf.readUInt32BE(56)] ?? 'unknown';
      return { status: 'ok', detail: `SQLite 3 header, page size ${pageSize}, ${encoding}.`, evidence: { ...evidence, pageSize, encoding, writeVersion: buf[18] === 2 ? 'WAL' : 'rollback journal' } };
    } finally {
      await fh.close();
    }
  });
  if (header.status === 'fail') return skipRest('open', 'Not run: the file is not a SQLite database.');

  let db: FileDiagnosticHandle | undefined;
  const opened = await rec.run('open', timeouts.open, async () => {
    try {
      db = family.open(file, { readOnly: config.readOnly, busyTimeoutMs: Math.min(250, timeouts.open / 4) });
    } catch (err) {
      throw new SourcedError(err, family.driver.name);
    }
    ctx.serverVersion = db.serverVersion;
    return {
      status: 'ok',
      detail: `Opened with SQLite ${db.serverVersion}; the schema lists ${db.catalogObjects} objects; journal mode ${db.journalMode}.`,
      evidence: { serverVersion: db.serverVersion, catalogObjects: db.catalogObjects, journalMode: db.journalMode },
    };
  });
  if (opened.status === 'fail' || !db) return skipRest('table-read', 'Not run: the database did not open.');
  const handle = db;
  try {
    await rec.run('table-read', timeouts['table-read'], async () => {
      const t = wrap(family, () => handle.readTable());
      if (!t.table) return { status: 'skip', detail: 'The database has no table to read.', evidence: {} };
      return { status: 'ok', detail: `Read ${t.rows} row${t.rows === 1 ? '' : 's'} (${t.columns} columns) from ${t.table}.`, evidence: { table: t.table, rows: t.rows, columns: t.columns } };
    });

    await rec.run('integrity', timeouts.integrity, async (s) => {
      let checked: Awaited<ReturnType<FileDiagnosticHandle['quickCheck']>>;
      try {
        checked = await handle.quickCheck({ fileSize: size, timeoutMs: s.timeoutMs, signal: s.signal });
      } catch (err) {
        throw new SourcedError(err, family.driver.name);
      }
      const result = checked.problems;
      if (result.length === 1 && result[0] === 'ok') return { status: 'ok', detail: 'PRAGMA quick_check: ok.', evidence: { quickCheck: 'ok', checkedIn: checked.where } };
      return { status: 'fail', detail: `PRAGMA quick_check found ${result.length} problem${result.length === 1 ? '' : 's'}: ${result[0]}`, evidence: { quickCheck: result.slice(0, 10), checkedIn: checked.where } };
    });

    await rec.run('lock', timeouts.lock, async () => {
      if (config.readOnly) return { status: 'ok', detail: 'Read lock available (read-only connection: the write lock is not tried).', evidence: { writeLockTried: false } };
      wrap(family, () => handle.tryWriteLock());
      return { status: 'ok', detail: 'The write lock is free (BEGIN IMMEDIATE succeeded at once and was rolled back).', evidence: { writeLockTried: true } };
    });
  } finally {
    handle.close();
  }
}

function wrap<T>(family: FileEngineDiagnostics, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new SourcedError(err, family.driver.name);
  }
}
