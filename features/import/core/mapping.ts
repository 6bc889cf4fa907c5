import type { ColumnMeta } from '../../../shared/model/values';
import type { ColumnMapping, ImportSource } from '../shared/import-model';
import { CoreError } from '../../../electron/core/errors';
import { converterFor, type Converter } from './convert';
import type { LoadColumn } from './table-importer';

/**
 * The mapping to use: the one asked for (checked), or each column filled from the field of the same name
 * (exactly, else ignoring case); a file without a header fills the columns in order.
 */
export function resolveMapping(sources: readonly string[], columns: readonly ColumnMeta[], asked: readonly ColumnMapping[] | null, byPosition: boolean): ColumnMapping[] {
  if (asked) {
    for (const m of asked) {
      if (!columns.some((c) => c.name === m.column)) throw new CoreError('invalid-input', `The table has no column "${m.column}".`);
      if (m.source !== null && m.source >= sources.length) throw new CoreError('invalid-input', `The file has no field ${m.source + 1} (it has ${sources.length}).`);
    }
    return columns.map((c) => asked.find((m) => m.column === c.name) ?? { column: c.name, source: null, dateFormat: '' });
  }
  return columns.map((c, i) => {
    let source: number | null;
    if (byPosition) source = i < sources.length ? i : null;
    else {
      source = sources.indexOf(c.name);
      if (source < 0) {
        const lower = sources.map((s) => s.toLowerCase());
        source = lower.indexOf(c.name.toLowerCase());
      }
      if (source < 0) source = null;
    }
    return { column: c.name, source, dateFormat: '' };
  });
}

/** What loading needs per mapped column: its name and kind, the field it reads and its converter. */
export interface LoadPlan {
  columns: LoadColumn[];
  sourceOf: number[];
  convert: Converter[];
}

export function loadPlan(mapping: readonly ColumnMapping[], columns: readonly ColumnMeta[], source: ImportSource): LoadPlan {
  const used = mapping.filter((m) => m.source !== null);
  if (used.length === 0) throw new CoreError('invalid-input', 'No column of the table is filled from the file: map at least one field to a column.');
  const plan: LoadPlan = { columns: [], sourceOf: [], convert: [] };
  for (const m of used) {
    const meta = columns.find((c) => c.name === m.column)!;
    plan.columns.push({ name: meta.name, kind: meta.kind });
    plan.sourceOf.push(m.source!);
    plan.convert.push(converterFor(meta.kind, source.numbers, m.dateFormat));
  }
  return plan;
}
