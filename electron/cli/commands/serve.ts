import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { distPath } from '../../core/paths';
import { keepServingThroughUnhandledErrors } from '../../core/unhandled-errors';
import { startBrowserShell } from '../../web/browser-shell';
import { createNodeCore } from '../node-core';
import { UsageError, type CliCommand } from '../usage';

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    /* no browser to open: the printed URL is enough */
  }
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the DB Desk UI to your browser on 127.0.0.1 (a random token guards the URL).',
  usage: 'dbdesk serve [--port N] [--data-dir DIR] [--no-open]',
  async run(argv, globals) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, 'no-open': { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
      strict: true,
    });
    let port = 0;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be a number between 0 and 65535, not "${values.port}".`);
    }
    // A bug in one window's call must not end every window's session: log it and keep serving.
    keepServingThroughUnhandledErrors({ processName: 'dbdesk serve' });
    const core = createNodeCore(values['data-dir'] ?? globals.dataDir);
    const shell = await startBrowserShell({ core, rendererDir: distPath('renderer'), port });
    if (core.profiles.environmentError) console.error(`DB_* environment ignored: ${core.profiles.environmentError}`);
    console.log(`DB Desk is serving on 127.0.0.1 only. Open this URL (it carries the access token):`);
    console.log(shell.url);
    if (!values['no-open']) openInBrowser(shell.url);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await shell.close();
    await core.close();
    return 0;
  },
};
