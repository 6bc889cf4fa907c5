import type { CommandOutput } from '../../../../shared/ipc/contract';
import { CoreError } from '../../errors';
import type { HandlerMap } from '../../router';

/** The worker writes the backup; here the finished file becomes downloadable through the browser shell (as an export). */
export const backupHandlers: HandlerMap<'backup.run'> = {
  async 'backup.run'(input, { core, session, signal }) {
    const result = await session.send('backup.run', input, signal);
    if (!result.ok) throw new CoreError(result.error.code, result.error.message, result.error.detail);
    const done = result.value as CommandOutput<'backup.run'>;
    return { ...done, downloadId: core.info.shell === 'browser' ? core.downloads.register(done.path) : null };
  },
};
