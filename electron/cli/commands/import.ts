import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine } from '../../core/engines';
import { CoreError } from '../../core/errors';
import { ImportEncoding, ImportFormat, ImportSource } from '../../../features/import/shared/import-model';
import { sshFlagsUsage } from '../ssh-flags';
import { UsageError, type CliCommand } from '../usage';
import { targetOptions } from '../target-options';

function formatOf(value: string | undefined, file: string): ImportFormat {
  if (value !== undefined) {
    const parsed = ImportFormat.safeParse(value);
    if (!parsed.success) throw new UsageError(`--format takes csv, tsv, jsonl or json, not "${value}".`);
    return parsed.data;
  }
  const ext = extname(file).toLowerCase();
  return ext === '.tsv' || ext === '.tab' ? 'tsv' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.json' ? 'json' : 'csv';
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a CSV, TSV or JSON file into a table (or a new one), all or nothing, or skipping bad rows into a file.',
  usage: [
    'dbdesk import (--url URL | --connection NAME) --table NAME FILE [--schema S] [--format csv|tsv|jsonl|json] [--create] [--skip-bad-rows FILE]',
    `               ${sshFlagsUsage}`,
    '               [--delimiter C] [--quote C] [--no-header] [--encoding utf-8|latin1] [--yes]',
    '       CSV as PostgreSQL COPY writes it: an unquoted empty field is NULL, "" the empty string; bytes as \\x-hex',
    '       --create makes the table first, with types inferred from the first 1000 records',
    '       exit 0: imported; 1: failed or refused (nothing changed unless --skip-bad-rows); 2: bad arguments',
  ].join('\n'),
  async run(argv, globals) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...targetOptions,
        table: { type: 'string' },
        schema: { type: 'string' },
        format: { type: 'string' },
        create: { type: 'boolean', default: false },
        'skip-bad-rows': { type: 'string' },
        delimiter: { type: 'string' },
        quote: { type: 'string' },
        'no-header': { type: 'boolean', default: false },
        encoding: { type: 'string' },
        yes: { type: 'boolean', default: false },
      },
    });
    // Every argument is checked before anything connects: a bad one exits 2 with nothing opened.
    if (!values.url === !values.connection) throw new UsageError('Name the database with exactly one of --url URL or --connection NAME.');
    if (!values.table) throw new UsageError('Name the table with --table NAME.');
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Name the FILE to import.' : `One FILE at a time (got ${positionals.length}).`);
    const file = resolve(positionals[0]!);
    const isFile = (() => {
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    })();
    if (!isFile) throw new UsageError(`There is no file "${file}".`);
    const encoding = values.encoding === undefined ? 'utf-8' : ImportEncoding.safeParse(values.encoding.toLowerCase().replace(/^utf8$/, 'utf-8')).data;
    if (!encoding) throw new UsageError(`--encoding takes utf-8 or latin1, not "${values.encoding}".`);
    const format = formatOf(values.format, file);
    const parsedSource = ImportSource.safeParse({
      path: file,
      format,
      csv: { ...(values.delimiter !== undefined ? { delimiter: values.delimiter === '\\t' ? '\t' : values.delimiter } : {}), ...(values.quote !== undefined ? { quote: values.quote } : {}), header: !values['no-header'], encoding },
    });
    if (!parsedSource.success) throw new UsageError(parsedSource.error.issues.map((i) => `--${String(i.path.at(-1))}: ${i.message}`).join('; '));
    const rejectsPath = values['skip-bad-rows'] === undefined ? null : resolve(values['skip-bad-rows']);
    if (rejectsPath !== null && rejectsPath === file) throw new UsageError('--skip-bad-rows needs another file than the one imported.');
    const { resolveMigrateTarget } = await import('../migrate/migrate-target');
    const target = await resolveMigrateTarget({ url: values.url, connection: values.connection, dataDir: values['data-dir'] ?? globals.dataDir, ssh: values });
    if (target.readOnly) {
      console.error(`dbdesk: refused: ${target.label} is read-only. Nothing was imported.`);
      return 1;
    }
    if (target.production && !values.yes) {
      console.error(`dbdesk: refused: ${target.label} is a production connection. Nothing was imported; add --yes to import.`);
      return 1;
    }

    const { openEngine } = await import('../../core/engines');
    const { runImport } = await import('../../../features/import/core/import-runner');
    const { sampleFile, inferColumns } = await import('../../../features/import/core/import-preview');
    let engine: Engine;
    try {
      engine = await openEngine(target.config);
    } catch (err) {
      throw new CoreError('connection-failed', `Cannot connect to ${target.label}: ${(err as Error).message}`);
    }
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const schema = values.schema ?? (await engine.introspector.listSchemas()).find((s) => s.isDefault)?.name;
      if (!schema) throw new UsageError('The connection has no default schema: name one with --schema S.');
      const table = { schema, name: values.table };
      const exists = (await engine.introspector.listTables(schema)).some((t) => t.name === table.name);
      let create = null;
      if (values.create) {
        if (exists) {
          console.error(`dbdesk: refused: ${schema}.${table.name} already exists; leave out --create to import into it.`);
          return 1;
        }
        const { sources, sample } = await sampleFile(parsedSource.data);
        create = { columns: inferColumns(engine, sources, sample).map((c) => ({ name: c.name, type: c.type, nullable: true })), primaryKey: [] };
      } else if (!exists) {
        console.error(`dbdesk: there is no table ${schema}.${table.name} in ${target.label}; add --create to make it from the file.`);
        return 1;
      }
      const tty = process.stderr.isTTY;
      const result = await runImport(
        engine,
        { importId: randomUUID(), source: parsedSource.data, target: { table, create }, mapping: null, mode: rejectsPath ? 'skip-bad-rows' : 'all-or-nothing', rejectsPath },
        controller.signal,
        (p) => {
          if (tty && !p.done) process.stderr.write(`\r${p.rows.toLocaleString('en-US')} rows, ${megabytes(p.bytes)} of ${megabytes(p.totalBytes)}   `);
        },
      );
      if (tty) process.stderr.write('\r\x1b[K');
      const rejected = result.rejected ? `; ${result.rejected.toLocaleString('en-US')} rejected rows written to ${result.rejectsPath}` : '';
      console.log(`Imported ${result.rows.toLocaleString('en-US')} rows into ${schema}.${table.name}${result.created ? ' (created)' : ''} in ${(result.ms / 1000).toFixed(1)} s${rejected}.`);
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await engine.close().catch(() => undefined);
    }
  },
};
