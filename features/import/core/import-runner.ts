import type { Engine } from '../../../electron/core/engines/engine';
import { CoreError } from '../../../electron/core/errors';
import type { ColumnMeta } from '../../../shared/model/values';
import type { ColumnMapping, ImportMode, ImportResult, ImportSource, ImportTarget } from '../shared/import-model';
import type { ImportValue } from './convert';
import { ConversionError, ImportRecordError } from './import-error';
import { loadPlan, resolveMapping, type LoadPlan } from './mapping';
import { createTableStatements } from './new-table';
import { delimiterOf, RecordReader } from './record-reader';
import { fieldFor, type SourceRecord } from './record-source';
import { RejectsFile } from './rejects-file';
import { LoadFailure, type TableLoad } from './table-importer';
import { FileChunks } from './file-chunks';
import { csvRecordEndCounter } from '../../table-browser/core/export/csv-record-ends';

export interface ImportJob {
  importId: string;
  source: ImportSource;
  target: ImportTarget;
  mapping: ColumnMapping[] | null;
  mode: ImportMode;
  /** Skip mode: where rejected records go (replaced if it exists). */
  rejectsPath: string | null;
}

export interface ImportProgress {
  importId: string;
  rows: number;
  rejected: number;
  bytes: number;
  totalBytes: number;
  done: boolean;
}

/** PostgreSQL's SQLSTATE for a CSV it cannot read (unterminated quote, missing or extra data). */
const BAD_COPY_FILE_FORMAT = '22P04';

/** Reads the whole file as the rows path would; throws its first broken record (resolves when it finds none). */
async function findFileError(source: ImportSource): Promise<void> {
  const reader = await RecordReader.open(source);
  try {
    for (let records = await reader.next(); records !== null; records = await reader.next()) {
      for (const r of records) {
        if (r.fields.length !== reader.sources.length) throw new ImportRecordError(`the record has ${r.fields.length} fields; expected ${reader.sources.length}.`, r.line, null);
      }
    }
  } finally {
    await reader.close();
  }
}

/** Rows sent to the server at once unless the engine says otherwise; a refused batch is retried row by row in skip mode. */
const BATCH_ROWS = 5000;
const PROGRESS_EVERY_MS = 200;

/** The server may read the file's CSV itself only when nothing here would change a value or skip a row. */
function serverCsvFits(job: ImportJob, plan: LoadPlan, sources: readonly string[]): boolean {
  const { source } = job;
  if (source.format !== 'csv' && source.format !== 'tsv') return false;
  if (job.mode !== 'all-or-nothing') return false;
  if (source.csv.unquotedEmpty !== 'null' || source.csv.quotedEmpty !== 'empty') return false;
  if (source.numbers.decimal !== '.' || source.numbers.thousands !== '') return false;
  if ((job.mapping ?? []).some((m) => m.dateFormat)) return false;
  // Every field of the file goes to its own column (COPY cannot skip a field).
  if (plan.sourceOf.length !== sources.length) return false;
  return new Set(plan.sourceOf).size === sources.length;
}

/**
 * Imports a file into a table: reads it in chunks (one in memory at a time), converts each record to the
 * columns' values, and loads batches through the engine's bulk path in one transaction. All-or-nothing:
 * the first bad record stops it and the table is as before (a table the import created is dropped). Skip
 * mode: bad records go to the rejects file, with their line and reason, and the rest is committed.
 */
export async function runImport(engine: Engine, job: ImportJob, signal: AbortSignal, progress: (p: ImportProgress) => void): Promise<ImportResult> {
  const started = performance.now();
  if (job.mode === 'skip-bad-rows' && !job.rejectsPath) throw new CoreError('invalid-input', 'Skipping bad rows needs a file for them (the rejects file).');
  const importer = engine.importer();
  const reader = await RecordReader.open(job.source);
  let load: TableLoad | null = null;
  let created = false;
  let rejects: RejectsFile | null = null;
  let rows = 0;
  let last = 0;
  const report = (done: boolean, bytes = reader.bytesRead) => progress({ importId: job.importId, rows, rejected: rejects?.count ?? 0, bytes, totalBytes: reader.size, done });
  const tick = (bytes?: number) => {
    const now = performance.now();
    if (now - last >= PROGRESS_EVERY_MS) {
      last = now;
      report(false, bytes);
    }
  };
  const cancelled = () => new CoreError('cancelled', `Import cancelled after ${rows.toLocaleString('en-US')} rows; nothing was changed.`);
  try {
    // The first records tell the fields (a header, the JSON keys).
    let pending: SourceRecord[] = [];
    for (;;) {
      const first = await reader.next();
      if (first === null) break;
      pending.push(...first);
      if (reader.sources.length > 0 && pending.length > 0) break;
    }
    const sources = reader.sources;
    load = await importer.open(job.target.table, signal);
    let columns: ColumnMeta[];
    if (job.target.create) {
      await load.execute(await createTableStatements(engine, job.target.table, job.target.create));
      created = true;
    }
    try {
      columns = await engine.tableData.columnsOf(job.target.table);
    } catch (err) {
      throw new CoreError('not-found', `Cannot read the columns of ${job.target.table.schema}.${job.target.table.name}: ${(err as Error).message}`);
    }
    const byPosition = (job.source.format === 'csv' || job.source.format === 'tsv') && !job.source.csv.header;
    const mapping = resolveMapping(sources, columns, job.mapping, byPosition);
    const plan = loadPlan(mapping, columns, job.source);
    await load.begin(plan.columns);

    if (load.copyCsv && serverCsvFits(job, plan, sources)) {
      await reader.close();
      const columnsInFileOrder = sources.map((_, i) => plan.columns[plan.sourceOf.indexOf(i)]!.name);
      const file = await FileChunks.open(job.source.path, false);
      const ends = csvRecordEndCounter(job.source.csv.quote.charCodeAt(0));
      let lines = job.source.csv.header ? -1 : 0;
      async function* chunks() {
        try {
          for (;;) {
            if (signal.aborted) throw cancelled();
            const chunk = await file.next();
            if (chunk === null) return;
            lines += ends(chunk);
            rows = Math.max(0, lines);
            tick(file.bytesRead);
            yield chunk;
          }
        } finally {
          await file.close();
        }
      }
      try {
        rows = await load.copyCsv(chunks(), { header: job.source.csv.header, delimiter: delimiterOf(job.source), quote: job.source.csv.quote, encoding: job.source.csv.encoding, columns: columnsInFileOrder });
      } catch (err) {
        if (signal.aborted) throw cancelled();
        if (err instanceof LoadFailure) {
          // The server names where it noticed a broken file (an unclosed quote: the end); reading it here names where it broke.
          if ((err.cause as { code?: string } | undefined)?.code === BAD_COPY_FILE_FORMAT) await findFileError(job.source);
          throw new ImportRecordError(err.message, err.rowIndex, err.column, 'query-failed');
        }
        throw err;
      }
      if (signal.aborted) throw cancelled();
      await load.commit();
      progress({ importId: job.importId, rows, rejected: 0, bytes: file.bytesRead, totalBytes: reader.size, done: true });
      return { rows, rejected: 0, rejectsPath: null, bytes: file.bytesRead, ms: Math.round(performance.now() - started), created, path: 'server-csv' };
    }

    if (job.mode === 'skip-bad-rows') rejects = await RejectsFile.create(job.rejectsPath!, sources);
    const width = sources.length;
    const tabular = job.source.format === 'csv' || job.source.format === 'tsv';
    let batch: ImportValue[][] = [];
    let batchRecords: SourceRecord[] = [];

    const refuse = async (record: SourceRecord, column: string | null, reason: string, fromServer = false) => {
      if (!rejects) throw new ImportRecordError(reason, record.line, column, fromServer ? 'query-failed' : 'invalid-input');
      await rejects.add(record.line, column, reason, record.fields);
    };

    /** Loads rows[from…]; a refused row is reported (all-or-nothing) or rejected and the rest loaded. */
    const loadFrom = async (values: ImportValue[][], records: SourceRecord[]): Promise<void> => {
      let at = 0;
      while (at < values.length) {
        try {
          await load!.loadBatch(at === 0 ? values : values.slice(at));
          rows += values.length - at;
          return;
        } catch (err) {
          if (signal.aborted) throw cancelled();
          if (!(err instanceof LoadFailure)) throw err;
          if (err.rowIndex === null) {
            // The server did not say which row: one by one finds it.
            for (let i = at; i < values.length; i++) {
              try {
                await load!.loadRow(values[i]!);
                rows++;
              } catch (rowErr) {
                if (!(rowErr instanceof LoadFailure)) throw rowErr;
                await refuse(records[i]!, rowErr.column, rowErr.message, true);
              }
            }
            return;
          }
          const bad = at + err.rowIndex;
          if (!rejects) await refuse(records[bad]!, err.column, err.message, true);
          if (bad > at) {
            await load!.loadBatch(values.slice(at, bad));
            rows += bad - at;
          }
          await refuse(records[bad]!, err.column, err.message, true);
          at = bad + 1;
        }
      }
    };

    const flush = async () => {
      if (batch.length === 0) return;
      await loadFrom(batch, batchRecords);
      batch = [];
      batchRecords = [];
      tick();
      if (signal.aborted) throw cancelled();
      // Let the worker read its messages (a cancel) even when neither the disk nor the server makes it wait.
      await new Promise((resolve) => setImmediate(resolve));
    };

    const n = plan.columns.length;
    const batchRows = load.batchRows ?? BATCH_ROWS;
    for (let records: SourceRecord[] | null = pending; records !== null; records = await reader.next()) {
      pending = [];
      for (const record of records) {
        if (tabular && record.fields.length !== width) {
          await refuse(record, null, `the record has ${record.fields.length} fields; the ${job.source.csv.header ? 'header has' : 'first record has'} ${width}.`);
          continue;
        }
        const values: ImportValue[] = new Array<ImportValue>(n);
        let ok = true;
        for (let c = 0; c < n; c++) {
          try {
            values[c] = plan.convert[c]!(fieldFor(record, plan.sourceOf[c]!, plan.columns[c]!.kind === 'json'));
          } catch (err) {
            if (!(err instanceof ConversionError)) throw err;
            await refuse(record, plan.columns[c]!.name, err.message);
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        batch.push(values);
        batchRecords.push(record);
        if (batch.length >= batchRows) await flush();
      }
      if (signal.aborted) throw cancelled();
    }
    await flush();
    if (signal.aborted) throw cancelled();
    await load.commit();
    await rejects?.commit();
    report(true);
    return { rows, rejected: rejects?.count ?? 0, rejectsPath: rejects?.path ?? null, bytes: reader.bytesRead, ms: Math.round(performance.now() - started), created, path: 'rows' };
  } catch (err) {
    await load?.rollback().catch(() => undefined);
    if (created) await load?.execute([`DROP TABLE ${engine.tableData.sqlText.qualifiedName(job.target.table)}`]).catch(() => undefined);
    await rejects?.discard();
    throw err;
  } finally {
    await reader.close().catch(() => undefined);
    await load?.rollback().catch(() => undefined);
  }
}
