import { CoreError, toIpcError } from '../../errors';
import { previewImport } from '../../../../features/import/core/import-preview';
import { runImport } from '../../../../features/import/core/import-runner';
import type { WorkerCommandHandlers } from '../../worker/worker-context';

/** Imports running in this worker, by id, so they can be cancelled. */
const runningImports = new Map<string, AbortController>();

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
    const controller = new AbortController();
    // Cancelled either way: the caller's own call signal (client.call(…, { signal })) or import.cancel by id.
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) controller.abort();
    runningImports.set(input.importId, controller);
    try {
      return await runImport(entry.engine, input, controller.signal, (p) => emit('import.progress', p));
    } catch (err) {
      const error = toIpcError(err, 'query-failed', registry.allSecrets());
      emit('import.progress', { importId: input.importId, rows: 0, rejected: 0, bytes: 0, totalBytes: 0, done: true, error });
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
      runningImports.delete(input.importId);
    }
  },

  async 'import.cancel'({ importId }) {
    const controller = runningImports.get(importId);
    controller?.abort();
    return { cancelled: controller !== undefined };
  },
};
