import type { Engine } from '../../../electron/core/engines';
import { CoreError } from '../../../electron/core/errors';
import { engineFamily, engineLabels } from '../../../shared/model/engine';
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
export async function readSide(side: LiveSide, signal?: AbortSignal): Promise<ReadSide> {
  const [schemas, info] = await Promise.all([side.engine.listSchemas(), side.engine.serverInfo()]);
  const sessionSchema = schemas.find((s) => s.isDefault)?.name ?? null;
  const schema = side.schema ?? sessionSchema;
  if (!schema) throw new CoreError('invalid-input', `${side.label} has no default schema: name one.`);
  signal?.throwIfAborted();
  const design = await side.engine.readDesign(schema, { complete: true });
  return { design, sessionSchema, version: info.version };
}

/**
 * Compares two live schemas: reads both (at once), compares them, writes the migration turning the
 * target into the source, and lints its up section with the migration runner's rules on the target.
 */
export async function compareLive(source: LiveSide, target: LiveSide, options: { name?: string; signal?: AbortSignal } = {}): Promise<CompareResult> {
  const [s, t] = await Promise.all([readSide(source, options.signal), readSide(target, options.signal)]);
  if (engineFamily(s.design.engine) !== engineFamily(t.design.engine)) {
    throw new CoreError('invalid-input', `Both sides must be one engine family: the source is ${engineLabels[s.design.engine]}, the target ${engineLabels[t.design.engine]}.`);
  }
  options.signal?.throwIfAborted();
  const dialect = target.engine.dialect.compareDialect(t.design.engine, t.version);
  const result = compareSchemas(dialect, { design: s.design, label: source.label }, { design: t.design, label: target.label }, { targetSessionSchema: t.sessionSchema, ...(options.name ? { name: options.name } : {}) });
  if (result.migration.up.statements.length > 0) result.migration.lint = await lintDesignMigration(target.engine.migrations(), result.migration.up, t.design);
  return result;
}
