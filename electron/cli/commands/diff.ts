import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { looksLikeFilePath } from '../../../shared/model/connection-url';
import { engineFamily, engineLabels } from '../../../shared/model/engine';
import type { Engine } from '../../core/engines';
import { databaseFileState } from '../../core/engines/database-file';
import { toIpcError } from '../../core/errors';
import type { ResolvedTarget } from '../migrate/migrate-target';
import { sshFlagsUsage } from '../ssh-flags';
import { sideSshFlags, sourceTargetOptions } from '../target-options';
import { UsageError, type CliCommand } from '../usage';

/** `postgres://…`, `sqlite:…`, `/path/file.db`, `./x.sqlite`: a URL; anything else names a saved connection. */
function isUrl(side: string): boolean {
  return (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(side) && !/^[A-Za-z]:[\\/]/.test(side)) || /^(\/|\.{1,2}\/|~\/|[A-Za-z]:[\\/]|\\\\)/.test(side);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export const diffCommand: CliCommand = {
  name: 'diff',
  summary: 'Compare two schemas of one engine family; print the differences, or the SQL that makes TARGET equal to SOURCE.',
  usage: [
    'dbdesk diff SOURCE TARGET [--json | --sql] [--migration DIR [--name TEXT]] [--schema S | --source-schema S --target-schema S]',
    `                ${sshFlagsUsage} (both sides; --source-ssh…, --target-ssh… for one)`,
    '       SOURCE and TARGET: a URL (postgres://, mysql://, mariadb://, sqlite:PATH or a file path) or a saved connection’s name',
    '       --sql prints plain SQL for the engine’s own client (psql, mariadb, sqlite3) to run on TARGET',
    '       --migration DIR writes it as a dbmate migration with its down section',
    '       exit 0: equal; 1: different; 2: bad arguments, or a side that cannot be read',
  ].join('\n'),
  async run(argv, globals) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        sql: { type: 'boolean', default: false },
        migration: { type: 'string' },
        name: { type: 'string' },
        schema: { type: 'string' },
        'source-schema': { type: 'string' },
        'target-schema': { type: 'string' },
        ...sourceTargetOptions,
      },
    });
    if (positionals.length !== 2) throw new UsageError(`dbdesk diff needs SOURCE and TARGET${positionals.length > 2 ? `, not also "${positionals[2]}"` : ''}.`);
    if (values.json && values.sql) throw new UsageError('Use --json or --sql, not both.');
    if (values.schema !== undefined && (values['source-schema'] !== undefined || values['target-schema'] !== undefined)) throw new UsageError('Use --schema for both sides, or --source-schema and --target-schema, not both.');
    if (values.name !== undefined && values.migration === undefined) throw new UsageError('--name goes with --migration DIR.');
    for (const flag of ['schema', 'source-schema', 'target-schema', 'name'] as const) {
      const v = values[flag];
      if (v !== undefined && (v.trim() === '' || v.length > 1024 || v.includes('\u0000'))) throw new UsageError(`--${flag} needs a non-empty name (at most 1024 characters).`);
    }
    if (values.migration !== undefined && !isFolder(values.migration)) throw new UsageError(`--migration names no folder: "${values.migration}" does not exist or is not a directory.`);
    const dataDir = values['data-dir'] ?? globals.dataDir;

    // Every argument is checked before anything connects: a bad one exits 2 with nothing opened.
    const { resolveMigrateTarget } = await import('../migrate/migrate-target');
    const resolveSide = async (side: string, which: 'source' | 'target'): Promise<ResolvedTarget> => {
      const label = which.toUpperCase();
      if (side.trim() === '') throw new UsageError(`${label} is empty.`);
      const ssh = sideSshFlags(values, which);
      let resolved: ResolvedTarget;
      if (isUrl(side)) resolved = await resolveMigrateTarget({ url: side, ssh });
      else {
        try {
          resolved = await resolveMigrateTarget({ connection: side, dataDir, ssh });
        } catch (err) {
          // A name no profile has may still be a SQLite file named like one (`shop.db`).
          if (!(err instanceof UsageError) || !looksLikeFilePath(side)) throw err;
          resolved = await resolveMigrateTarget({ url: side, ssh });
        }
      }
      const file = databaseFileState(resolved.config);
      if (file && !file.exists) throw new UsageError(`${label}: the SQLite file "${file.path}" does not exist.`);
      return resolved;
    };
    const source = await resolveSide(positionals[0]!, 'source');
    const target = await resolveSide(positionals[1]!, 'target');
    if (engineFamily(source.config.engine) !== engineFamily(target.config.engine)) {
      throw new UsageError(`SOURCE and TARGET must be one engine family: SOURCE is ${engineLabels[source.config.engine]}, TARGET ${engineLabels[target.config.engine]}.`);
    }

    const out = (text: string) => process.stdout.write(text);
    const opened: Engine[] = [];
    try {
      // Both at once; when one fails the other is still closed (it may finish opening after the failure).
      const { openEngine } = await import('../../core/engines');
      const settled = await Promise.allSettled([openEngine(source.config), openEngine(target.config)]);
      for (const r of settled) if (r.status === 'fulfilled') opened.push(r.value);
      for (const r of settled) if (r.status === 'rejected') throw r.reason;
      const [s, t] = settled.map((r) => (r as PromiseFulfilledResult<Engine>).value);
      const { compareLive } = await import('../../../features/schema-compare/core/compare-live');
      const result = await compareLive(
        { engine: s!, schema: values['source-schema'] ?? values.schema ?? null, label: source.label },
        { engine: t!, schema: values['target-schema'] ?? values.schema ?? null, label: target.label },
        values.name ? { name: values.name } : {},
      );
      if (values.migration !== undefined && !result.equal) {
        const { writeNewMigration } = await import('../../../features/migrations/core');
        const { migrationFiles } = await import('../../../features/schema-compare/core/compare-files');
        const written = await writeNewMigration(resolve(values.migration), migrationFiles(result, values.name ?? 'match source'));
        process.stderr.write(`Wrote ${written.files.join(', ')} into ${values.migration}\n`);
      }
      if (values.json) out(`${JSON.stringify(result, null, 2)}\n`);
      else if (values.sql) out(t!.dialect.compareDialect(target.config.engine).clientScript(result.migration.up));
      else {
        const { compareText } = await import('../diff/print');
        out(compareText(result));
      }
      return result.equal ? 0 : 1;
    } catch (err) {
      const e = toIpcError(err, 'query-failed');
      if (values.json) out(`${JSON.stringify({ error: e }, null, 2)}\n`);
      process.stderr.write(`dbdesk diff: ${e.message}\n`);
      // 2, like diff(1)'s "trouble": 1 would read as "different".
      return 2;
    } finally {
      await Promise.all(opened.map((e) => e.close().catch(() => undefined)));
    }
  },
};
