import type { Engine } from '../../../electron/core/engines';
import { CoreError } from '../../../electron/core/errors';
import { engineFamily, engineLabels } from '../../../shared/model/engine';
import type { ServerInfo } from '../../../shared/model/schema';
import type { DesignSchema } from '../../designer/shared/model';
import { lintDesignMigration } from '../../designer/core/lint-design';
import type { CompareResult } from '../shared/compare-model';
import { compareSchemas } from './compare-schemas';

/** One side of a compare: an open engine, the schema in it (null: the connection's own), and what to call it. */
export interface LiveSide {
  engine: Engine;
  schema: string | null;
  label: string;
}

export interface ReadSide {
  design: DesignSchema;
  /** The schema a fresh session of this connection lands in. */
  sessionSchema: string | null;
  version: string | null;
}

/** Reads one side completely: every table and every other object kind, texts relative to the schema. */
export async function readSide(side: LiveSide, signal?: AbortSignal, known?: ServerInfo): Promise<ReadSide> {
  const [schemas, info] = await Promise.all([side.engine.introspector.listSchemas(), known ?? side.engine.serverInfo()]);
  const sessionSchema = schemas.find((s) => s.isDefault)?.name ?? null;
  const schema = side.schema ?? sessionSchema;
  if (!schema) throw new CoreError('invalid-input', `${side.label} has no default schema: name one.`);
  signal?.throwIfAborted();
  const design = await side.engine.readDesign(schema, { complete: true });
  return { design, sessionSchema, version: info.version };
}

/** What a live compare reports as it goes (the app's progress line). */
export interface CompareStep {
  step: 'reading' | 'read' | 'comparing' | 'linting' | 'done';
  side: 'source' | 'target' | null;
  message: string;
}

export interface CompareLiveOptions {
  name?: string;
  signal?: AbortSignal;
  onProgress?(step: CompareStep): void;
  /** Filled with how long each part took (ms). */
  timings?: { read: number; compare: number; lint: number };
}

/** Rejects as soon as the signal aborts (the work itself runs on and is dropped). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new CoreError('cancelled', 'The compare was cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const countOf = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * Compares two live schemas: reads both (at once), compares them, writes the migration turning the
 * target into the source, and lints its up section with the migration runner's rules on the target.
 */
export async function compareLive(source: LiveSide, target: LiveSide, options: CompareLiveOptions = {}): Promise<CompareResult> {
  const { signal, onProgress } = options;
  const t0 = performance.now();
  // The products first (one quick query each): two families are refused before anything is read.
  const [sourceInfo, targetInfo] = await abortable(Promise.all([source.engine.serverInfo(), target.engine.serverInfo()]), signal);
  if (engineFamily(sourceInfo.product) !== engineFamily(targetInfo.product)) {
    throw new CoreError('invalid-input', `Both sides must be one engine family: ${source.label} is ${engineLabels[sourceInfo.product]}, ${target.label} is ${engineLabels[targetInfo.product]}.`);
  }
  const read = async (side: LiveSide, which: 'source' | 'target', info: ServerInfo) => {
    onProgress?.({ step: 'reading', side: which, message: `Reading ${side.label}${side.schema ? ` (${side.schema})` : ''}…` });
    const r = await readSide(side, signal, info);
    onProgress?.({ step: 'read', side: which, message: `${side.label}: ${countOf(r.design.tables.length, 'table')}, ${countOf(r.design.objects?.length ?? 0, 'other object')}` });
    return r;
  };
  const [s, t] = await abortable(Promise.all([read(source, 'source', sourceInfo), read(target, 'target', targetInfo)]), signal);
  if (engineFamily(s.design.engine) !== engineFamily(t.design.engine)) {
    throw new CoreError('invalid-input', `Both sides must be one engine family: the source is ${engineLabels[s.design.engine]}, the target ${engineLabels[t.design.engine]}.`);
  }
  signal?.throwIfAborted();
  const t1 = performance.now();
  onProgress?.({ step: 'comparing', side: null, message: 'Comparing…' });
  const dialect = target.engine.dialect.compareDialect(t.design.engine, t.version);
  const result = compareSchemas(dialect, { design: s.design, label: source.label }, { design: t.design, label: target.label }, { targetSessionSchema: t.sessionSchema, ...(options.name ? { name: options.name } : {}) });
  const t2 = performance.now();
  if (result.migration.up.statements.length > 0) {
    onProgress?.({ step: 'linting', side: null, message: 'Checking the migration with the runner’s lint…' });
    result.migration.lint = await abortable(lintDesignMigration(target.engine.migrations(), result.migration.up, t.design), signal);
  }
  const t3 = performance.now();
  if (options.timings) Object.assign(options.timings, { read: t1 - t0, compare: t2 - t1, lint: t3 - t2 });
  onProgress?.({ step: 'done', side: null, message: result.equal ? 'No differences.' : `${countOf(result.items.length, 'difference')}.` });
  return result;
}
