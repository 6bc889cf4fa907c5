import { stat } from 'node:fs/promises';
import type { Engine } from '../../../electron/core/engines/engine';
import { CoreError } from '../../../electron/core/errors';
import type { ColumnMeta } from '../../../shared/model/values';
import type { ColumnMapping, ImportPreview, ImportSource, ImportTarget, InferredColumn } from '../shared/import-model';
import { converterFor } from './convert';
import { ConversionError } from './import-error';
import { profileFields } from './infer';
import { resolveMapping } from './mapping';
import { createTableStatements } from './new-table';
import { RecordReader } from './record-reader';
import { fieldFor, type SourceRecord } from './record-source';

const PREVIEW_RECORDS = 20;
/** Records the new table's types are inferred from. */
const SAMPLE_RECORDS = 1000;

/** The file's fields and its first records (a sample of up to 1000). */
export async function sampleFile(source: ImportSource): Promise<{ sources: string[]; sample: SourceRecord[]; size: number }> {
  const size = (await stat(source.path).catch(() => null))?.size;
  if (size === undefined) throw new CoreError('not-found', `There is no file "${source.path}".`);
  const reader = await RecordReader.open(source);
  const sample: SourceRecord[] = [];
  try {
    for (let r = await reader.next(); r !== null && sample.length < SAMPLE_RECORDS; r = await reader.next()) sample.push(...r);
  } finally {
    await reader.close();
  }
  return { sources: reader.sources, sample, size };
}

/** The columns a new table for this file would get: the fields' names, the engine's types for what the sample holds. */
export function inferColumns(engine: Engine, sources: readonly string[], sample: readonly SourceRecord[]): InferredColumn[] {
  const importer = engine.importer();
  return profileFields(sources, sample.map((r) => r.fields)).map((p) => ({ name: p.name, kind: p.kind, type: importer.typeFor(p), nullable: true }));
}

/**
 * What an import would do, without changing anything: the file's fields and first records, the mapping
 * (as asked or by name), those records converted to the columns (or why a value cannot be), types
 * inferred from a sample for a new table, and the DDL that would create it.
 */
export async function previewImport(engine: Engine, source: ImportSource, target: ImportTarget, asked: ColumnMapping[] | null): Promise<ImportPreview> {
  const { sources, sample, size } = await sampleFile(source);
  const inferred = inferColumns(engine, sources, sample);
  let columns: ColumnMeta[];
  let ddl: string[] | null = null;
  if (target.create) {
    ddl = await createTableStatements(engine, target.table, target.create);
    columns = target.create.columns.map((c) => ({ name: c.name, dataType: c.type, kind: inferred.find((i) => i.name === c.name && i.type === c.type)?.kind ?? inferred.find((i) => i.type === c.type)?.kind ?? 'text' }));
  } else {
    columns = await engine.tableData.columnsOf(target.table);
    if (columns.length === 0) throw new CoreError('not-found', `There is no table ${target.table.schema}.${target.table.name}.`);
  }
  const byPosition = (source.format === 'csv' || source.format === 'tsv') && !source.csv.header;
  const mapping = resolveMapping(sources, columns, asked, byPosition);
  const records = sample.slice(0, PREVIEW_RECORDS);
  const converters = mapping.map((m, i) => converterFor(columns[i]!.kind, source.numbers, m.dateFormat));
  const converted = records.map((r) =>
    mapping.map((m, i) => {
      if (m.source === null) return null;
      try {
        const v = converters[i]!(fieldFor(r, m.source, columns[i]!.kind === 'json'));
        if (v === null) return null;
        if (typeof v === 'boolean') return v ? 'true' : 'false';
        if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
        return v;
      } catch (err) {
        if (err instanceof ConversionError) return { error: err.message };
        throw err;
      }
    }),
  );
  return { sources, records: records.map((r) => ({ line: r.line, fields: r.fields.slice(0, 2000) })), columns, mapping, converted, inferred, ddl, fileBytes: size };
}
