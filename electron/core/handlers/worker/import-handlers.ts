import { CoreError, toIpcError } from '../../errors';
import { previewImport } from '../../../../features/import/core/import-preview';
import { runImport } from '../../../../features/import/core/import-runner';
import type { WorkerCommandHandlers } from '../../worker/worker-context';

/** Ids of the imports running in this worker: one run per id (a second start is refused). */
const runningImports = new Set<string>();

export const importWorkerHandlers: WorkerCommandHandlers = {
  async 'import.preview'({ connectionId, source, target, mapping }, { registry }) {
    return previewImport(registry.get(connectionId).engine, source, target, mapping);
  },

  async 'import.run'(input, { registry, emit, signal }) {
    const entry = registry.get(input.connectionId);
    if (entry.readOnly) throw new CoreError('read-only', 'This connection is read-only: nothing can be imported. Edit the connection to allow writing.');
    if (entry.production && input.confirmDatabase !== entry.databaseName) {
      throw new CoreError('forbidden', `This is a production connection: type the database name "${entry.databaseName}" to import.`, { confirmationName: entry.databaseName });
    }
    if (runningImports.has(input.importId)) throw new CoreError('invalid-input', 'An import with this id is already running.');
    // Cancelled by the caller's own call signal (client.call(…, { signal })), as every long call is.
    runningImports.add(input.importId);
    try {
      return await runImport(entry.engine, input, signal, (p) => emit('import.progress', p));
    } catch (err) {
      const error = toIpcError(err, 'query-failed', registry.allSecrets());
      emit('import.progress', { importId: input.importId, rows: 0, rejected: 0, bytes: 0, totalBytes: 0, done: true, error });
      throw err;
    } finally {
      runningImports.delete(input.importId);
    }
  },
};
