import { sshFlagOptions } from './ssh-flags';

/**
 * The options that name the one database a command works on — `--url URL` or `--connection NAME`
 * (a saved profile, read from `--data-dir`), and the SSH flags for a URL — for parseArgs.
 */
export const targetOptions = {
  url: { type: 'string' },
  connection: { type: 'string' },
  'data-dir': { type: 'string' },
  ...sshFlagOptions,
} as const;
