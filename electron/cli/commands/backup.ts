import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseTableArgument, type BackupOptions, type BackupProgress } from '../../../features/backup/shared/backup-model';
import { databaseFileState } from '../../core/engines/database-file';
import { toIpcError } from '../../core/errors';
import type { ResolvedTarget } from '../migrate/migrate-target';
import { sshFlagsUsage } from '../ssh-flags';
import { UsageError, type CliCommand } from '../usage';
import { targetOptions } from '../target-options';


function kind(path: string): 'file' | 'folder' | 'other' | null {
  try {
    const s = statSync(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'folder' : 'other';
  } catch {
    return null;
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** One progress line on a terminal (rewritten in place); nothing when stderr is a file or a pipe. */
function progressLine(verb: string): ((p: BackupProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const pct = p.totalBytes ? ` (${Math.floor((100 * p.bytes) / Math.max(1, p.totalBytes))} %)` : '';
    process.stderr.write(`\r${verb} ${mb(p.bytes)}${pct}, ${p.tables} table${p.tables === 1 ? '' : 's'}${p.currentTable ? ` — ${p.currentTable}` : ''}\u001b[K`);
  };
}

/** --url or --connection, checked before anything connects (a bad one exits 2). */
async function resolveTarget(values: { url?: string | undefined; connection?: string | undefined; 'data-dir'?: string | undefined }, dataDir: string | undefined, sshValues: object): Promise<ResolvedTarget> {
  if (!values.url === !values.connection) throw new UsageError('Name the database with exactly one of --url URL or --connection NAME.');
  const { resolveMigrateTarget } = await import('../migrate/migrate-target');
  const resolved = await resolveMigrateTarget({ url: values.url, connection: values.connection, dataDir: values['data-dir'] ?? dataDir, ssh: sshValues });
  const file = databaseFileState(resolved.config);
  if (file && !file.exists) throw new UsageError(`The SQLite file "${file.path}" does not exist.`);
  return resolved;
}

/** Opens the engine, runs `work` with Ctrl-C as its cancel, closes; failures print one line and exit 1. */
async function withEngine(resolved: ResolvedTarget, command: string, work: (source: { engine: import('../../core/engines').Engine; config: ResolvedTarget['config'] }, signal: AbortSignal) => Promise<string>): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const { openEngine } = await import('../../core/engines');
  let engine: import('../../core/engines').Engine | null = null;
  try {
    engine = await openEngine(resolved.config);
    const done = await work({ engine, config: resolved.config }, controller.signal);
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(`${done}\n`);
    return 0;
  } catch (err) {
    if (process.stderr.isTTY) process.stderr.write('\n');
    const e = toIpcError(err, 'query-failed', [resolved.config.password, resolved.config.sshPassword, resolved.config.sshPassphrase]);
    process.stderr.write(`dbdesk ${command}: ${e.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await engine?.close().catch(() => undefined);
  }
}

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Back a database up into FILE with its own tool (pg_dump custom format, mariadb-dump SQL) or SQLite’s backup API.',
  usage: [
    'dbdesk backup (--url URL | --connection NAME) FILE [--schema-only | --data-only] [--table NAME]... [--overwrite]',
    `               ${sshFlagsUsage}`,
    '       --table [SCHEMA.]NAME, repeatable: only these tables (PostgreSQL, MySQL/MariaDB)',
    '       the tool must be as new as the server; Ctrl-C cancels and removes the partial file',
    '       exit 0: done; 1: failed or refused (the tool’s own error, a tool older than the server); 2: bad arguments',
  ].join('\n'),
  async run(argv, globals) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...targetOptions,
        'schema-only': { type: 'boolean', default: false },
        'data-only': { type: 'boolean', default: false },
        table: { type: 'string', multiple: true, default: [] },
        overwrite: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError(`dbdesk backup needs one FILE to write${positionals.length > 1 ? `, not also "${positionals[1]}"` : ''}.`);
    if (values['schema-only'] && values['data-only']) throw new UsageError('Use --schema-only or --data-only, not both.');
    for (const t of values.table) if (t.trim() === '' || t.length > 2048 || t.includes('\u0000')) throw new UsageError('--table needs a table name.');
    const path = resolve(positionals[0]!);
    if (kind(dirname(path)) !== 'folder') throw new UsageError(`The folder "${dirname(path)}" does not exist.`);
    const existing = kind(path);
    if (existing === 'folder') throw new UsageError(`"${path}" is a folder; name a file.`);
    if (existing === 'other') throw new UsageError(`"${path}" is not a regular file; DB Desk only writes regular files.`);
    if (existing === 'file' && !values.overwrite) throw new UsageError(`"${path}" already exists; add --overwrite to replace it.`);
    const options: BackupOptions = { scope: values['schema-only'] ? 'schema' : values['data-only'] ? 'data' : 'all', tables: values.table.map(parseTableArgument) };
    const resolved = await resolveTarget(values, globals.dataDir, values);
    return withEngine(resolved, 'backup', async (source, signal) => {
      const { runBackup } = await import('../../../features/backup/core/backup-runner');
      const onProgress = progressLine('Backing up:');
      const done = await runBackup(source, { path, overwrite: values.overwrite, options }, { signal, ...(onProgress ? { onProgress } : {}) });
      return `Backed up ${resolved.label} into ${done.path}: ${mb(done.bytes)}, ${done.tables} table${done.tables === 1 ? '' : 's'}, ${(done.ms / 1000).toFixed(1)} s (${done.tool}).`;
    });
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'Restore a backup FILE into a database with its own tool (pg_restore, the mariadb client) or SQLite’s backup API.',
  usage: [
    'dbdesk restore (--url URL | --connection NAME) FILE [--yes]',
    `               ${sshFlagsUsage}`,
    '       --yes confirms a restore into a production connection',
    '       exit 0: done; 1: failed or refused (the tool’s own error, production without --yes, a read-only connection); 2: bad arguments',
  ].join('\n'),
  async run(argv, globals) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...targetOptions, yes: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError(`dbdesk restore needs one backup FILE${positionals.length > 1 ? `, not also "${positionals[1]}"` : ''}.`);
    const path = resolve(positionals[0]!);
    const k = kind(path);
    if (k === null) throw new UsageError(`The backup file "${path}" does not exist.`);
    if (k !== 'file') throw new UsageError(`"${path}" is not a regular file; a backup is a file.`);
    const resolved = await resolveTarget(values, globals.dataDir, values);
    if (resolved.readOnly) {
      process.stderr.write(`dbdesk restore: refused: ${resolved.label} is a read-only connection. Nothing was changed.\n`);
      return 1;
    }
    if (resolved.production && !values.yes) {
      process.stderr.write(`dbdesk restore: refused: ${resolved.label} is a production connection. Nothing was changed; add --yes to restore into it.\n`);
      return 1;
    }
    return withEngine(resolved, 'restore', async (source, signal) => {
      const { runRestore } = await import('../../../features/backup/core/backup-runner');
      const onProgress = progressLine('Restoring:');
      const done = await runRestore(source, { path }, { signal, ...(onProgress ? { onProgress } : {}) });
      return `Restored ${done.path} into ${resolved.label}: ${done.tables} table${done.tables === 1 ? '' : 's'}, ${(done.ms / 1000).toFixed(1)} s (${done.tool}).`;
    });
  },
};
