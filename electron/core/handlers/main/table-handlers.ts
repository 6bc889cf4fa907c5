import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import type { CommandOutput } from '../../../../shared/ipc/contract';
import { CoreError } from '../../errors';
import { IN_WORKER, type HandlerMap } from '../../router';

type TableCommand =
  | 'table.window'
  | 'table.count'
  | 'table.cell'
  | 'table.saveCell'
  | 'table.previewEdits'
  | 'table.applyEdits'
  | 'table.referencedBy'
  | 'table.exportDefaults'
  | 'table.export';

export const tableHandlers: HandlerMap<TableCommand> = {
  'table.window': IN_WORKER,
  'table.count': IN_WORKER,
  'table.cell': IN_WORKER,
  'table.saveCell': IN_WORKER,
  'table.previewEdits': IN_WORKER,
  'table.applyEdits': IN_WORKER,
  'table.referencedBy': IN_WORKER,

  async 'table.exportDefaults'(_input, { core }) {
    const home = homedir();
    const downloads = join(home, 'Downloads');
    return { directory: existsSync(downloads) ? downloads : home, separator: sep, downloadsAvailable: core.info.shell === 'browser' };
  },

  /** The worker writes the file; here the finished file becomes downloadable through the browser shell. */
  async 'table.export'(input, { core, session, signal }) {
    const result = await session.send('table.export', input, signal);
    if (!result.ok) throw new CoreError(result.error.code, result.error.message, result.error.detail);
    const done = result.value as CommandOutput<'table.export'>;
    return { ...done, downloadId: core.info.shell === 'browser' ? core.downloads.register(done.path) : null };
  },
};
