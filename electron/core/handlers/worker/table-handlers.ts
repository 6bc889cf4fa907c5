import { toCell } from '../../engines/common/cells';
import { CoreError, toIpcError } from '../../errors';
import { runExport } from '../../../../features/table-browser/core/export/export-runner';
import { OutputFile } from '../../../../features/table-browser/core/export/output-file';
import type { OpenConnectionEntry } from '../../worker/connection-registry';
import type { WorkerCommandHandlers } from '../../worker/worker-context';

/** Whole cell values sent to the renderer stay below this; larger ones are saved to a file instead. */
const MAX_CELL_BYTES = 32 * 1024 * 1024;

/** Exports running in this worker, by id (the id names their progress events; one export per id). */
const runningExports = new Set<string>();

/** Read-only connections never stage edits; the server would refuse them too, but the user deserves a clear reason first. */
function assertWritable(entry: OpenConnectionEntry): void {
  if (entry.readOnly) throw new CoreError('read-only', 'This connection is read-only: edits cannot be applied. Edit the connection to allow writing.');
}

function sizeOf(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  return value === null || value === undefined ? 0 : Buffer.byteLength(String(value), 'utf8');
}

export const tableHandlers: WorkerCommandHandlers = {
  async 'table.window'({ connectionId, query, window }, { registry, signal }) {
    return registry.get(connectionId).engine.tableData.readWindow(query, window, signal);
  },

  async 'table.count'({ connectionId, query, timeoutMs }, { registry, signal }) {
    return registry.get(connectionId).engine.tableData.countRows(query, timeoutMs, signal);
  },

  async 'table.cell'({ connectionId, table, rowId, column }, { registry }) {
    const raw = await registry.get(connectionId).engine.tableData.readCell(table, rowId, column);
    const size = sizeOf(raw);
    if (size > MAX_CELL_BYTES) {
      throw new CoreError('unsupported', `This value is ${(size / 1024 / 1024).toFixed(1)} MB, too large to show; save it to a file instead.`, { size });
    }
    return { value: toCell(raw, Infinity), size };
  },

  async 'table.saveCell'({ connectionId, table, rowId, column, path, overwrite }, { registry }) {
    const raw = await registry.get(connectionId).engine.tableData.readCell(table, rowId, column);
    if (raw === null || raw === undefined) throw new CoreError('invalid-input', 'The value is NULL: there is nothing to save.');
    const file = await OutputFile.create(path, overwrite);
    try {
      await file.write(raw instanceof Uint8Array ? raw : String(raw));
      await file.commit();
    } catch (err) {
      await file.discard();
      throw err;
    }
    return { path, bytes: file.bytes };
  },

  async 'table.previewEdits'({ connectionId, edits }, { registry }) {
    const entry = registry.get(connectionId);
    assertWritable(entry);
    const { statements, warnings } = await entry.engine.tableData.planEdits(edits);
    const limit = await entry.engine.tableData.checkEditLimits(edits);
    return { statements, warnings, confirmationName: entry.production ? entry.databaseName : null, limit };
  },

  async 'table.applyEdits'({ connectionId, edits, confirmDatabase }, { registry }) {
    const entry = registry.get(connectionId);
    assertWritable(entry);
    if (entry.production && confirmDatabase !== entry.databaseName) {
      throw new CoreError('forbidden', `This is a production connection: type the database name "${entry.databaseName}" to apply the changes.`, { confirmationName: entry.databaseName });
    }
    return entry.engine.tableData.applyEdits(edits);
  },

  async 'table.referencedBy'({ connectionId, table }, { registry }) {
    return registry.get(connectionId).engine.tableData.referencedBy(table);
  },

  /** Cancelled by its caller's signal: the query stops on the server and the partial file is removed. */
  async 'table.export'(input, { registry, emit, signal }) {
    const engine = registry.get(input.connectionId).engine;
    if (runningExports.has(input.exportId)) throw new CoreError('invalid-input', 'An export with this id is already running.');
    runningExports.add(input.exportId);
    try {
      const done = await runExport(engine, input, signal, (p) => emit('table.exportProgress', p));
      return { ...done, downloadId: null };
    } catch (err) {
      const error = toIpcError(err, 'query-failed', registry.allSecrets());
      emit('table.exportProgress', { exportId: input.exportId, rows: 0, bytes: 0, totalRows: null, done: true, error });
      throw err;
    } finally {
      runningExports.delete(input.exportId);
    }
  },
};
