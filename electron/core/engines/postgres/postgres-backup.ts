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

export const postgresBackup: BackupPort = {
  fileExtension: '.dump',
  partial: true,

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
    return { tool, tables };
  },

  async restore(job: RestoreJob) {
    const tool = await checkedTool('pg_restore', job.server);
    let tables = 0;
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
          const data = /processing data for table "(.+)"$/.exec(line);
          if (data) job.progress({ tables: ++tables, currentTable: data[1]! });
          const created = /creating TABLE "(.+)"$/.exec(line);
          if (created) job.progress({ currentTable: created[1]! });
        },
      }),
    );
    return { tool, tables };
  },
};
