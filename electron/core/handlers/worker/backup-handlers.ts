import { runBackup, runRestore } from '../../../../features/backup/core/backup-runner';
import { CoreError } from '../../errors';
import type { OpenConnectionEntry } from '../../worker/connection-registry';
import type { WorkerCommandHandlers } from '../../worker/worker-context';

function sourceOf(entry: OpenConnectionEntry) {
  if (!entry.config) throw new CoreError('not-connected', 'This connection was opened without its profile; reconnect to back it up.');
  return { engine: entry.engine, config: entry.config };
}

/** Backup and restore of an open connection; the call's own signal cancels (the tool is killed, a partial backup removed). */
export const backupWorkerHandlers: WorkerCommandHandlers = {
  async 'backup.info'({ connectionId }, { registry }) {
    const entry = registry.get(connectionId);
    const port = await entry.engine.dialect.backup();
    return { fileExtension: port.fileExtension, partial: port.partial, tablesFrom: port.tablesFrom, confirmationName: entry.production ? entry.databaseName : null, readOnly: entry.readOnly };
  },

  async 'backup.run'({ connectionId, jobId, path, overwrite, options }, { registry, emit, signal }) {
    const entry = registry.get(connectionId);
    const done = await runBackup(sourceOf(entry), { path, overwrite, options }, { signal, onProgress: (p) => emit('backup.progress', { jobId, ...p }) });
    return { ...done, downloadId: null };
  },

  async 'backup.restore'({ connectionId, jobId, path, confirmDatabase }, { registry, emit, signal }) {
    const entry = registry.get(connectionId);
    if (entry.readOnly) throw new CoreError('read-only', 'This connection is read-only: a restore would change the database. Edit the connection to allow writing.');
    if (entry.production && confirmDatabase !== entry.databaseName) {
      throw new CoreError('forbidden', `This is a production connection: type the database name "${entry.databaseName}" to restore into it.`, { confirmationName: entry.databaseName });
    }
    return runRestore(sourceOf(entry), { path }, { signal, onProgress: (p) => emit('backup.progress', { jobId, ...p }) });
  },
};
