import { randomBytes } from 'node:crypto';
import { chmod, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultPorts } from '../../../shared/model/engine';
import type { Engine, EngineConfig } from '../../../electron/core/engines';
import { CoreError, redactSecrets } from '../../../electron/core/errors';
import { openLocalForward } from '../../../electron/core/ssh/local-forward';
import type { BackupOptions, BackupProgress, BackupResult } from '../shared/backup-model';
import type { ProgressReport, ToolTarget } from './backup-port';

export interface BackupControl {
  signal: AbortSignal;
  onProgress?: (p: BackupProgress) => void;
  /** The tool's process id once it runs (tests read its command line). */
  onSpawn?: (pid: number) => void;
  /** Least time between two progress reports (100 ms). */
  progressIntervalMs?: number;
}

/** An open engine and the profile it was opened with (password included: worker or CLI only). */
export interface BackupSource {
  engine: Engine;
  config: EngineConfig;
}

/** Progress at most every 100 ms, and always the last one. */
function progressReporter(totalBytes: number | null, emit: ((p: BackupProgress) => void) | undefined, intervalMs = 100): { report: ProgressReport; state: BackupProgress; flush(): void } {
  const state: BackupProgress = { bytes: 0, totalBytes, tables: 0, currentTable: null };
  let last = 0;
  return {
    state,
    report(p) {
      Object.assign(state, p);
      const now = Date.now();
      if (emit && now - last >= intervalMs) {
        last = now;
        emit({ ...state });
      }
    },
    flush: () => emit?.({ ...state }),
  };
}

/**
 * Where the tool connects: the profile's host and port, or — through SSH — the local end of a
 * forward over the engine's tunnel, for as long as `use` runs.
 */
async function withToolTarget<T>(source: BackupSource, use: (target: ToolTarget) => Promise<T>): Promise<T> {
  const { config, engine } = source;
  // The server the engine is connected to now (a PostgreSQL fallback host, a Galera node after a failover), else the profile's.
  const now = parseEndpoint(engine.endpoint);
  const host = now?.host ?? config.host ?? 'localhost';
  const port = now?.port ?? config.port ?? defaultPorts[config.engine] ?? 0;
  const base = { user: config.user, database: config.database, password: config.password, tls: config.tls, file: config.file };
  if (!engine.sshTunnel) return use({ ...base, host, port });
  const forward = await openLocalForward(engine.sshTunnel, host, port);
  try {
    return await use({ ...base, host: forward.host, port: forward.port, serverName: host });
  } finally {
    await forward.close();
  }
}

/** `host:port` or `[v6]:port` as engines write their endpoint; null for anything else (a SQLite file). */
export function parseEndpoint(text: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:/\\\s]+):(\d+)$/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1]!, port } : null;
}

/** Secrets out of a tool's words: the profile's password and SSH secrets, URL and key=value passwords. */
function scrubbed(err: unknown, config: EngineConfig): unknown {
  if (!(err instanceof CoreError)) return err;
  const secrets = [config.password, config.sshPassword, config.sshPassphrase];
  const detail = err.detail ? (JSON.parse(redactSecrets(JSON.stringify(err.detail), secrets)) as Record<string, unknown>) : undefined;
  return new CoreError(err.code, redactSecrets(err.message, secrets), detail);
}

/** Checks a file to write: absolute, in an existing folder, a regular file if it exists (replaced only when allowed). */
async function checkOutputPath(path: string, overwrite: boolean): Promise<void> {
  if (!isAbsolute(path)) throw new CoreError('invalid-input', `"${path}" is not an absolute path on the machine that runs DB Desk.`);
  const folder = await stat(dirname(path)).catch(() => null);
  if (!folder?.isDirectory()) throw new CoreError('invalid-input', `The folder "${dirname(path)}" does not exist.`);
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw new CoreError('invalid-input', `"${path}" is a folder; add a file name.`);
  if (existing && !existing.isFile()) throw new CoreError('invalid-input', `"${path}" is not a regular file (a pipe, device or socket); DB Desk only writes regular files.`);
  if (existing && !overwrite) throw new CoreError('conflict', `"${path}" already exists. Choose another name or allow replacing it.`, { exists: true });
}

/** Checks a backup file to read: absolute, a regular file. Its size is the restore's 100 %. */
export async function checkBackupFile(path: string): Promise<number> {
  if (!isAbsolute(path)) throw new CoreError('invalid-input', `"${path}" is not an absolute path on the machine that runs DB Desk.`);
  const s = await stat(path).catch(() => null);
  if (!s) throw new CoreError('not-found', `The backup file "${path}" does not exist.`);
  if (!s.isFile()) throw new CoreError('invalid-input', `"${path}" is not a regular file; a backup is a file.`);
  return s.size;
}

/**
 * Backs the connection's database up into `path` with the engine's own tool. The tool writes a
 * temporary file next to it (0600), renamed into place only when the tool succeeded: a failed or
 * cancelled backup leaves nothing behind, and never destroys the file it would have replaced.
 */
export async function runBackup(source: BackupSource, request: { path: string; overwrite: boolean; options: BackupOptions }, control: BackupControl): Promise<BackupResult> {
  const started = performance.now();
  await checkOutputPath(request.path, request.overwrite);
  const port = await source.engine.dialect.backup();
  const server = await source.engine.serverInfo();
  const temp = join(dirname(request.path), `.${basename(request.path)}.${randomBytes(4).toString('hex')}.partial`);
  const progress = progressReporter(null, control.onProgress, control.progressIntervalMs);
  try {
    const outcome = await withToolTarget(source, (target) =>
      port.backup({ target, server, options: request.options, outFile: temp, signal: control.signal, progress: progress.report, ...(control.onSpawn ? { onSpawn: control.onSpawn } : {}) }),
    );
    if (control.signal.aborted) throw new CoreError('cancelled', 'Cancelled.');
    const size = (await stat(temp)).size;
    // A backup holds every row: only its owner may read it (SQLite's copy is created with the umask's mode).
    await chmod(temp, 0o600);
    await rename(temp, request.path);
    progress.report({ bytes: size, tables: outcome.tables });
    progress.flush();
    return { path: request.path, bytes: size, tables: outcome.tables, ms: Math.round(performance.now() - started), tool: outcome.tool };
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw scrubbed(err, source.config);
  }
}

/**
 * Restores a backup file into the connection's database with the engine's own tool (pg_restore,
 * the mariadb client) or SQLite's backup API. Production confirmation is the caller's.
 */
export async function runRestore(source: BackupSource, request: { path: string }, control: BackupControl): Promise<BackupResult> {
  const started = performance.now();
  const totalBytes = await checkBackupFile(request.path);
  const port = await source.engine.dialect.backup();
  const server = await source.engine.serverInfo();
  const progress = progressReporter(totalBytes, control.onProgress, control.progressIntervalMs);
  try {
    const outcome = await withToolTarget(source, (target) =>
      port.restore({ target, server, inFile: request.path, signal: control.signal, progress: progress.report, ...(control.onSpawn ? { onSpawn: control.onSpawn } : {}) }),
    );
    progress.report({ bytes: totalBytes, tables: outcome.tables });
    progress.flush();
    return { path: request.path, bytes: totalBytes, tables: outcome.tables, ms: Math.round(performance.now() - started), tool: outcome.tool };
  } catch (err) {
    throw scrubbed(err, source.config);
  }
}
