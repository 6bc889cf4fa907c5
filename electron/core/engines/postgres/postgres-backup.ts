import { Writable } from 'node:stream';
import type { BackupJob, BackupPort, RestoreJob, ToolTarget } from '../../../../features/backup/core/backup-port';
import { withPrivateFile } from '../../../../features/backup/core/private-file';
import { compareVersions, runTool, toolVersionText, versionParts } from '../../../../features/backup/core/tool-process';
import { dumpTarget, restoreSource } from '../../../../features/backup/core/tool-streams';
import type { BackupTable } from '../../../../features/backup/shared/backup-model';
import type { ServerInfo } from '../../../../shared/model/schema';
import { CoreError } from '../../errors';

const INSTALL = 'Install the PostgreSQL client tools (postgresql-client) of the server’s major version or newer, and put them on PATH.';

/** A .pgpass line matching any host, port, database and user; `:` and `\` escaped as libpq reads them. */
function passfileLine(password: string): string {
  return `*:*:*:*:${password.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}\n`;
}

/** A conninfo value in single quotes (`dbname='a b'`), so a database name is never read as a connection string. */
function conninfoValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * libpq's environment: where to connect (through a local SSH forward the address is 127.0.0.1 and
 * PGHOST stays the server's name for TLS host checks), TLS files, and the password file. Connection
 * facts never go on the command line; the password never does.
 */
function libpqEnv(target: ToolTarget, passfile: string | undefined): Record<string, string | undefined> {
  return {
    PGHOST: target.serverName ?? target.host,
    PGHOSTADDR: target.serverName ? target.host : undefined,
    PGPORT: String(target.port),
    PGUSER: target.user,
    PGDATABASE: target.database,
    PGSSLMODE: target.tls.mode,
    PGSSLROOTCERT: target.tls.caFile,
    PGSSLCERT: target.tls.certFile,
    PGSSLKEY: target.tls.keyFile,
    PGPASSFILE: passfile,
    // What the user's shell may hold must not win over the profile.
    PGPASSWORD: undefined,
    PGSERVICE: undefined,
    PGOPTIONS: undefined,
    PGAPPNAME: 'DB Desk backup',
  };
}

function withPassfile<T>(target: ToolTarget, use: (passfile: string | undefined) => Promise<T>): Promise<T> {
  if (!target.password) return use(undefined);
  return withPrivateFile('pgpass', passfileLine(target.password), (path) => use(path));
}

/**
 * pg_dump refuses a server newer than itself only once connected, and pg_restore of an older major
 * may not read what a newer pg_dump wrote: a tool older than the server is refused before it runs.
 */
async function checkedTool(command: 'pg_dump' | 'pg_restore', server: ServerInfo): Promise<string> {
  const text = await toolVersionText(command, INSTALL);
  const tool = versionParts(text.replace(/^[^)]*\)/, ''));
  const serverVersion = versionParts(server.version);
  if (tool.length === 0) throw new CoreError('unsupported', `${command} --version printed "${text}", which names no version.`, { tool: command });
  if (compareVersions(tool, serverVersion, 1) < 0) {
    throw new CoreError(
      'unsupported',
      `${command} ${tool.join('.')} is older than the server (PostgreSQL ${server.version}); it cannot ${command === 'pg_dump' ? 'back up' : 'restore into'} a newer server. Install the PostgreSQL ${serverVersion[0]} client tools (e.g. apt install postgresql-client-${serverVersion[0]}) and put them first on PATH. Nothing was run.`,
      { tool: command, toolVersion: tool.join('.'), serverVersion: server.version, refused: true },
    );
  }
  return `${command} ${tool.join('.')}`;
}

/** A pg_dump pattern that matches exactly this table: double quotes make each part literal. */
function tablePattern(t: BackupTable): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return t.schema ? `${q(t.schema)}.${q(t.name)}` : q(t.name);
}

/** --verbose progress lines; errors, warnings, details, hints and the failing TOC entry stay in the error text. */
const isChatter = (line: string) => /^pg_(dump|restore): (?!error|warning|detail|hint|from TOC)/.test(line);

/**
 * The tables a custom-format archive holds, from `pg_restore --list`: its TABLE entries (definitions)
 * and TABLE DATA entries (rows) counted once per table by the table's OID — the list's names are not
 * quoted, so a name with spaces cannot be split from it, but the OID is the table's own.
 */
export async function tablesInArchive(file: string, signal: AbortSignal): Promise<number> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  await runTool({ command: 'pg_restore', args: ['--list', file], stdout: sink, signal, installHint: INSTALL });
  return countArchiveTables(text);
}

/** `216; 1259 31252 TABLE public orders postgres`, `3367; 0 31252 TABLE DATA public orders postgres`: distinct OIDs. */
export function countArchiveTables(list: string): number {
  const oids = new Set<string>();
  for (const line of list.split('\n')) {
    const m = /^\d+; \d+ (\d+) TABLE (?:DATA )?/.exec(line);
    if (m && m[1] !== '0') oids.add(m[1]!);
  }
  return oids.size;
}

export const postgresBackup: BackupPort = {
  fileExtension: '.dump',
  partial: true,
  tablesFrom: 'every-schema',

  async backup(job: BackupJob) {
    const tool = await checkedTool('pg_dump', job.server);
    const args = ['--format=custom', '--verbose', '--no-password'];
    if (job.options.scope === 'schema') args.push('--schema-only');
    if (job.options.scope === 'data') args.push('--data-only');
    // A chosen table that is not there fails the backup instead of being skipped in silence.
    if (job.options.tables.length > 0) args.push('--strict-names');
    for (const t of job.options.tables) args.push(`--table=${tablePattern(t)}`);
    let tables = 0;
    const out = await dumpTarget(job.outFile, (bytes) => job.progress({ bytes }));
    await withPassfile(job.target, (passfile) =>
      runTool({
        command: 'pg_dump',
        args,
        env: libpqEnv(job.target, passfile),
        stdout: out.sink,
        signal: job.signal,
        installHint: INSTALL,
        isChatter,
        ...(job.onSpawn ? { onSpawn: job.onSpawn } : {}),
        onStderrLine(line) {
          const m = /dumping contents of table "(.+)"$/.exec(line);
          if (m) job.progress({ tables: ++tables, currentTable: m[1]! });
        },
      }),
    ).finally(() => out.finished());
    // pg_dump names only the tables whose rows it writes (none in a schema-only backup): the count
    // is the archive's own table of contents. The backup is good even if that cannot be read (a
    // pg_restore older than pg_dump): the count is then pg_dump's.
    const held = await tablesInArchive(job.outFile, job.signal).catch((err: unknown) => {
      if (err instanceof CoreError && err.code === 'cancelled') throw err;
      return tables;
    });
    return { tool, tables: held };
  },

  async restore(job: RestoreJob) {
    const tool = await checkedTool('pg_restore', job.server);
    const restored = new Set<string>();
    // One transaction, stopping at the first error: a failed restore leaves the database as it was.
    // Owners and grants are left out: the roles of the source may not exist where it is restored.
    const args = ['--verbose', '--no-password', '--exit-on-error', '--single-transaction', '--no-owner', '--no-privileges', `--dbname=dbname=${conninfoValue(job.target.database ?? '')}`];
    await withPassfile(job.target, (passfile) =>
      runTool({
        command: 'pg_restore',
        args,
        env: libpqEnv(job.target, passfile),
        stdin: restoreSource(job.inFile, (bytes) => job.progress({ bytes })),
        signal: job.signal,
        installHint: INSTALL,
        isChatter,
        ...(job.onSpawn ? { onSpawn: job.onSpawn } : {}),
        onStderrLine(line) {
          // A table is restored when it is created (schema) or its rows arrive (data only): counted once.
          const m = /(?:processing data for table|creating TABLE) "(.+)"$/.exec(line);
          if (m) {
            restored.add(m[1]!);
            job.progress({ tables: restored.size, currentTable: m[1]! });
          }
        },
      }),
    );
    return { tool, tables: restored.size };
  },
};
