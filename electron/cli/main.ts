import { backupCommand, restoreCommand } from './commands/backup';
import { diagnoseCommand } from './commands/diagnose';
import { diffCommand } from './commands/diff';
import { importCommand } from './commands/import';
import { migrateCommand } from './commands/migrate';
import { serveCommand } from './commands/serve';
import { UsageError, type CliCommand } from './usage';

/** Every `dbdesk` subcommand. Features add theirs here. */
const cliCommands: CliCommand[] = [serveCommand, diagnoseCommand, migrateCommand, diffCommand, importCommand, backupCommand, restoreCommand];

function helpText(): string {
  const width = Math.max(...cliCommands.map((c) => c.name.length));
  return [
    'DB Desk — database administration for PostgreSQL, MySQL, MariaDB (Galera) and SQLite',
    '',
    'Usage: dbdesk [--data-dir DIR] <command> [options]',
    '',
    'Commands:',
    ...cliCommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    ...cliCommands.map((c) => `  ${c.usage}`),
    '',
    'Global options:',
    '  --data-dir DIR   Where DB Desk keeps its store (also DBDESK_DATA_DIR).',
    '  --help, -h       This text.',
    '  --version        The version.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  let dataDir: string | undefined;
  while (args.length > 0 && args[0]!.startsWith('-')) {
    const flag = args.shift()!;
    if (flag === '--help' || flag === '-h') {
      console.log(helpText());
      return 0;
    }
    if (flag === '--version') {
      const { appVersion } = await import('../core/paths');
      console.log(appVersion());
      return 0;
    }
    if (flag === '--data-dir') {
      dataDir = args.shift();
      if (!dataDir) throw new UsageError('--data-dir needs a folder.');
      continue;
    }
    if (flag.startsWith('--data-dir=')) {
      dataDir = flag.slice('--data-dir='.length);
      continue;
    }
    throw new UsageError(`Unknown option ${flag}.`);
  }
  const name = args.shift();
  if (!name || name === 'help') {
    console.log(helpText());
    return name ? 0 : 2;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) throw new UsageError(`Unknown command "${name}". Run dbdesk --help for the list.`);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  return command.run(args, { dataDir });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`dbdesk: ${(err as Error).message}`);
      process.exit(2);
    }
    console.error(`dbdesk: ${(err as Error).message ?? String(err)}`);
    process.exit(1);
  },
);
