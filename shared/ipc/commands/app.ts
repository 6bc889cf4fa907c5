import { z } from 'zod';
import { command, event } from '../define';
import { ConnectionProfile } from '../../model/connection';
import { IpcError } from '../errors';

export const ThemePreference = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const Settings = z.object({
  theme: ThemePreference.default('system'),
  lastConnectionId: z.string().max(64).nullable().default(null),
});
export type Settings = z.infer<typeof Settings>;

export const AppInfo = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'browser']),
  platform: z.string(),
  dataDir: z.string(),
  secretStore: z.enum(['safe-storage', 'encrypted-file']),
  cpuCount: z.number().int(),
  /** What the shell itself offers the page: the desktop app's native file dialogs (host.pickPath); the browser shell none. */
  host: z.object({ pickPath: z.boolean() }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCommands = {
  'app.startup': command(
    'Everything the first screen needs in one round trip: app info, profiles, settings, the connection to open.',
    z.object({}).strict(),
    z.object({
      info: AppInfo,
      settings: Settings,
      profiles: z.array(ConnectionProfile),
      /** The profile to select: the DB_* environment's, else the last used, else the demo on a first start. */
      selectedId: z.string().nullable(),
      /** Open the selected profile at once (environment profile or a first start on the demo database). */
      openAtStart: z.boolean(),
      /** A DB_* environment that could not be read, said in words. */
      environmentError: z.string().nullable(),
    }),
  ),
  'settings.update': command('Changes settings and returns them all.', Settings.partial().strict(), Settings),
};

export const appEvents = {
  'session.crashed': event(
    "The session's worker died; it was restarted and every connection of this window was closed.",
    z.object({ reason: z.string(), restarted: z.boolean() }),
  ),
  'session.notice': event('Something the user should know that is not an answer to a command.', z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string(), error: IpcError.optional() })),
};
