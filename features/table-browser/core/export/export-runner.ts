import type { EventPayload } from '../../../../shared/ipc/contract';
import type { ExportFormat, ExportOptions, TableQuery } from '../../../../shared/model/table-query';
import type { Engine } from '../../../../electron/core/engines/engine';
import { CoreError } from '../../../../electron/core/errors';
import { csvRecordEndCounter } from './csv-record-ends';
import { OutputFile } from './output-file';
import { writerFor } from './row-writers';

export interface ExportJob {
  exportId: string;
  query: TableQuery;
  format: ExportFormat;
  path: string;
  overwrite: boolean;
  options: ExportOptions;
}

const BATCH_ROWS = 5000;
const PROGRESS_EVERY_MS = 200;
const COUNT_TIMEOUT_MS = 3000;

/**
 * Streams a view from a server-side cursor into a file: one batch in memory at a time, the disk's
 * pace slowing the cursor. Progress is reported every 200 ms; when `signal` aborts, the statements
 * (the stream's and the count's) are stopped on the server as a grid window's are, their connections go
 * back to the pool clean, and the partial file is removed.
 */
export async function runExport(
  engine: Engine,
  job: ExportJob,
  signal: AbortSignal,
  progress: (p: EventPayload<'table.exportProgress'>) => void,
): Promise<{ path: string; rows: number; bytes: number; ms: number }> {
  const started = performance.now();
  const file = await OutputFile.create(job.path, job.overwrite);
  let rows = 0;
  let totalRows: number | null = null;
  try {
    // The total is only for the percentage: counted alongside the stream, and not at all behind a raw WHERE (user SQL may be slow).
    if (!job.query.where?.trim()) {
      void engine.tableData
        .countRows(job.query, COUNT_TIMEOUT_MS, signal)
        .then((c) => (totalRows = c.value))
        .catch(() => undefined);
    }
    const columns = await engine.tableData.columnsOf(job.query.table);
    const writer = writerFor(job.format, columns, job.query.table, engine.tableData.sqlText, job.options);
    let last = 0;
    const report = (done: boolean) => progress({ exportId: job.exportId, rows, bytes: file.bytes, totalRows, done });
    const tick = () => {
      const now = performance.now();
      if (now - last >= PROGRESS_EVERY_MS) {
        last = now;
        report(false);
      }
    };
    if (job.format === 'csv') {
      // The server's own CSV writer when it has one; rows are counted by record ends until it says how many.
      let lines = job.options.header ? -1 : 0;
      const recordEnds = csvRecordEndCounter();
      const native = await engine.tableData.copyCsv(job.query, { header: job.options.header, delimiter: job.options.delimiter, signal }, async (chunk) => {
        await file.write(chunk);
        lines += recordEnds(chunk);
        rows = Math.max(0, lines);
        tick();
      });
      if (native !== null) {
        if (signal.aborted) throw new CoreError('cancelled', `Export cancelled after ${rows.toLocaleString('en-US')} rows; the partial file was removed.`);
        rows = native;
        await file.commit();
        report(true);
        return { path: file.path, rows, bytes: file.bytes, ms: Math.round(performance.now() - started) };
      }
    }
    await file.write(writer.start());
    await engine.tableData.streamRows(job.query, { batchSize: BATCH_ROWS, signal }, async (batch) => {
      await file.write(writer.rows(batch));
      rows += batch.length;
      // Let the worker read its messages (a cancel) even when neither the disk nor the driver makes it wait.
      await new Promise((resolve) => setImmediate(resolve));
      tick();
    });
    if (signal.aborted) throw new CoreError('cancelled', `Export cancelled after ${rows.toLocaleString('en-US')} rows; the partial file was removed.`);
    await file.write(writer.end());
    await file.commit();
    report(true);
    return { path: file.path, rows, bytes: file.bytes, ms: Math.round(performance.now() - started) };
  } catch (err) {
    await file.discard();
    throw err;
  }
}
