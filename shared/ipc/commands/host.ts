import { z } from 'zod';
import { command } from '../define';
import { PathText } from '../limits';

/** What the OS dialog is for: a file to read, a file to write, a folder. */
export const PickPathKind = z.enum(['open-file', 'save-file', 'folder']);
export type PickPathKind = z.infer<typeof PickPathKind>;

/** A file-type filter of the dialog: `CSV files` → `csv`, `txt`; `*` is every file. */
export const PickPathFilter = z
  .object({
    name: z.string().min(1).max(100),
    extensions: z
      .array(z.string().min(1).max(16).regex(/^(\*|[A-Za-z0-9_-]{1,16})$/, 'an extension is letters and digits without the dot, or *'))
      .min(1)
      .max(20),
  })
  .strict();
export type PickPathFilter = z.infer<typeof PickPathFilter>;

export const PickPathRequest = z
  .object({
    kind: PickPathKind,
    /** The dialog's title (the field's label). */
    title: z.string().min(1).max(200).optional(),
    /** Where it opens: the field's current value (a file or a folder); blank or relative means the OS's choice. */
    defaultPath: PathText.optional(),
    filters: z.array(PickPathFilter).max(10).optional(),
  })
  .strict();
export type PickPathRequest = z.infer<typeof PickPathRequest>;

export const hostCommands = {
  'host.pickPath': command(
    'The desktop app’s native dialog to choose a file to open, a file to save or a folder (AppInfo.host.pickPath); the chosen path, or null when the dialog was dismissed. The browser shell has no such dialog and answers `unsupported`: its paths are typed.',
    PickPathRequest,
    z.object({ path: z.string().nullable() }),
  ),
};
