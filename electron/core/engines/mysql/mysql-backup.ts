import type { BackupJob, BackupPort, RestoreJob, ToolTarget } from '../../../../features/backup/core/backup-port';
import { withPrivateFile } from '../../../../features/backup/core/private-file';
import { compareVersions, runTool, toolVersionText, versionParts } from '../../../../features/backup/core/tool-process';
import { dumpTarget, lineRewriter, lineWatcher, restoreSource } from '../../../../features/backup/core/tool-streams';
import type { ServerInfo } from '../../../../shared/model/schema';
import { CoreError } from '../../errors';

const INSTALL = 'Install the MariaDB client (mariadb-client) or MySQL client tools of the server’s version or newer, and put them on PATH.';

interface ClientTool {
  command: string;
  product: 'mariadb' | 'mysql';
  version: number[];
  label: string;
}

/**
 * What `--version` says: `mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, …` (the Distrib is the
 * release), `mariadb-dump from 11.4.2-MariaDB, client 10.19 …`, `mysqldump  Ver 8.0.36 for Linux …`.
 */
export function parseClientVersion(text: string): { product: 'mariadb' | 'mysql'; version: number[] } | null {
  const m = /Distrib\s+([\d.]+)/.exec(text) ?? /\bfrom\s+([\d.]+)/.exec(text) ?? /\bVer\s+([\d.]+)/.exec(text);
  if (!m) return null;
  return { product: /mariadb/i.test(text) ? 'mariadb' : 'mysql', version: versionParts(m[1]!) };
}

/** The server's product's own tool first (mariadb-dump for MariaDB, mysqldump for MySQL), the other when it is missing. */
async function findTool(names: [string, string], server: ServerInfo): Promise<ClientTool> {
  const order = server.product === 'mariadb' ? names : ([names[1], names[0]] as [string, string]);
  let text: string;
  let command = order[0];
  try {
    text = await toolVersionText(command, INSTALL);
  } catch (err) {
    if (!(err instanceof CoreError) || err.detail?.missing !== true) throw err;
    command = order[1];
    text = await toolVersionText(command, INSTALL);
  }
  const parsed = parseClientVersion(text);
  if (!parsed) throw new CoreError('unsupported', `${command} --version printed "${text}", which names no version.`, { tool: command });
  return { command, ...parsed, label: `${command} ${parsed.version.join('.')}` };
}

/** A dump tool of the server's own product older than the server (major.minor) is refused before it runs. */
function refuseOlder(tool: ClientTool, server: ServerInfo): void {
  if (tool.product !== server.product) return;
  const serverVersion = versionParts(server.version);
  if (compareVersions(tool.version, serverVersion, 2) >= 0) return;
  const product = server.product === 'mariadb' ? 'MariaDB' : 'MySQL';
  throw new CoreError(
    'unsupported',
    `${tool.label} is older than the server (${product} ${server.version}): an older dump tool can miss what a newer server has. Install the ${product} ${serverVersion.slice(0, 2).join('.')} client or newer (${server.product === 'mariadb' ? 'mariadb-client' : 'mysql-client'}) and put it first on PATH. Nothing was run.`,
    { tool: tool.command, toolVersion: tool.version.join('.'), serverVersion: server.version, refused: true },
  );
}

/** An option file value in double quotes, as the client's option parser reads escapes. */
function optionValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The user and password go to the tool in a 0600 option file (--defaults-extra-file, which must
 * be its first argument), removed afterwards: never on the command line, never MYSQL_PWD.
 */
function withOptionFile<T>(target: ToolTarget, use: (args: string[]) => Promise<T>): Promise<T> {
  const lines = ['[client]'];
  if (target.user) lines.push(`user=${optionValue(target.user)}`);
  if (target.password) lines.push(`password=${optionValue(target.password)}`);
  return withPrivateFile('client.cnf', `${lines.join('\n')}\n`, (path) => use([`--defaults-extra-file=${path}`, `--host=${target.host}`, `--port=${target.port}`, '--protocol=TCP']));
}

/** TLS as the profile says, in each product's words. */
function tlsArgs(tool: ClientTool, target: ToolTarget): string[] {
  const { mode, caFile, certFile, keyFile } = target.tls;
  const files = [...(caFile ? [`--ssl-ca=${caFile}`] : []), ...(certFile ? [`--ssl-cert=${certFile}`] : []), ...(keyFile ? [`--ssl-key=${keyFile}`] : [])];
  if (tool.product === 'mysql') {
    const m = { disable: 'DISABLED', prefer: 'PREFERRED', require: 'REQUIRED', 'verify-ca': 'VERIFY_CA', 'verify-full': 'VERIFY_IDENTITY' }[mode];
    return [`--ssl-mode=${m}`, ...(mode === 'disable' ? [] : files)];
  }
  if (mode === 'disable') return ['--skip-ssl'];
  if (mode === 'prefer') return files;
  return ['--ssl', ...files, ...(mode === 'verify-full' || mode === 'verify-ca' ? ['--ssl-verify-server-cert'] : [])];
}

/**
 * Views, triggers and routines carry their definer (`DEFINER=\`root\`@\`%\``), and only a user with
 * SUPER or SET USER may create an object for another: the restore leaves definers out, so the
 * objects belong to the user who restores (as pg_restore --no-owner). Row lines (INSERT) are never
 * touched, so a value that looks like a definer stays as it was.
 */
export function withoutDefiner(line: string): string {
  if (line.startsWith('INSERT INTO') || !line.includes('DEFINER=')) return line;
  return line.replace(/DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`/g, '');
}

/** The comment a dump writes before a table's CREATE or its rows (a view's say "view structure"). */
const DUMP_TABLE_LINE = /^-- (?:Dumping data for table|Table structure for table) `(.+)`$/;

export const mysqlBackup: BackupPort = {
  fileExtension: '.sql',
  partial: true,
  tablesFrom: 'default-schema',

  async backup(job: BackupJob) {
    const tool = await findTool(['mariadb-dump', 'mysqldump'], job.server);
    refuseOlder(tool, job.server);
    const database = job.target.database;
    if (!database) throw new CoreError('invalid-input', 'This connection names no database: a backup needs one (edit the connection and set its database).');
    for (const t of job.options.tables) {
      if (t.schema !== null && t.schema !== database) throw new CoreError('invalid-input', `The table ${t.schema}.${t.name} is not in this connection’s database "${database}".`);
    }
    // One consistent snapshot of InnoDB tables without locking them; binary values as hex, so the file is plain text.
    const dumpArgs = ['--single-transaction', '--hex-blob', '--default-character-set=utf8mb4', '--no-tablespaces', '--verbose'];
    if (job.options.scope === 'all') dumpArgs.push('--routines', '--triggers');
    if (job.options.scope === 'schema') dumpArgs.push('--no-data', '--routines', '--triggers');
    if (job.options.scope === 'data') dumpArgs.push('--no-create-info', '--skip-triggers');
    if (tool.product === 'mysql') dumpArgs.push('--set-gtid-purged=OFF');
    // The tables the file holds, as the dump's own comments name them (a view has other comments):
    // the same lines the restore counts, whatever the scope (the tool's verbose lines name views too).
    const held = new Set<string>();
    const watch = lineWatcher(DUMP_TABLE_LINE, (name) => {
      held.add(name);
      job.progress({ tables: held.size });
    });
    const out = await dumpTarget(job.outFile, (bytes) => job.progress({ bytes }), watch);
    await withOptionFile(job.target, (connect) =>
      runTool({
        command: tool.command,
        // `--` ends the options: a database or table name starting with "-" stays a name.
        args: [...connect, ...tlsArgs(tool, job.target), ...dumpArgs, '--', database, ...job.options.tables.map((t) => t.name)],
        stdout: out.sink,
        signal: job.signal,
        installHint: INSTALL,
        isChatter: (line) => line.startsWith('-- '),
        env: { MYSQL_PWD: undefined, MYSQL_HOST: undefined, MYSQL_TCP_PORT: undefined },
        ...(job.onSpawn ? { onSpawn: job.onSpawn } : {}),
        onStderrLine(line) {
          const m = /Retrieving table structure for table (.+?)\.\.\.$/.exec(line);
          if (m) job.progress({ currentTable: m[1]! });
        },
      }),
    ).finally(() => out.finished());
    return { tool: tool.label, tables: held.size };
  },

  async restore(job: RestoreJob) {
    const tool = await findTool(['mariadb', 'mysql'], job.server);
    const database = job.target.database;
    if (!database) throw new CoreError('invalid-input', 'This connection names no database to restore into (edit the connection and set its database).');
    const seen = new Set<string>();
    // The dump's own comments say which table comes next: progress without asking the server.
    const watch = lineWatcher(DUMP_TABLE_LINE, (name) => {
      seen.add(name);
      job.progress({ currentTable: name, tables: seen.size });
    });
    await withOptionFile(job.target, (connect) =>
      runTool({
        command: tool.command,
        args: [...connect, ...tlsArgs(tool, job.target), '--default-character-set=utf8mb4', '--batch', `--database=${database}`],
        stdin: restoreSource(job.inFile, (bytes) => job.progress({ bytes }), watch).pipe(lineRewriter(withoutDefiner)),
        signal: job.signal,
        installHint: INSTALL,
        isChatter: (line) => line.startsWith('-- '),
        env: { MYSQL_PWD: undefined, MYSQL_HOST: undefined, MYSQL_TCP_PORT: undefined },
        ...(job.onSpawn ? { onSpawn: job.onSpawn } : {}),
      }),
    );
    return { tool: tool.label, tables: seen.size };
  },
};
