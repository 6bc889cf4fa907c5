import { CoreError } from '../../../../electron/core/errors';
import { compareSchemas } from '../../../schema-compare/core/compare-schemas';
import { readSide } from '../../../schema-compare/core/compare-live';
import type { DriftReport } from '../../shared/shadow-model';
import { MigrationRunner } from '../runner';
import { outsideWarning, watchLiveSchema, type OutsideStatement } from './outside-schema';
import { shadowProgress, withShadow, type ShadowRunInput } from './shadow';

/**
 * The drift check: replays the migrations the live database has applied in a shadow database, reads
 * what they built, and compares it with the live schema. Every object that differs was changed outside
 * the migrations. The live database is only read; the shadow is always dropped.
 */
export async function checkDrift(input: ShadowRunInput): Promise<DriftReport> {
  const started = Date.now();
  const { live, dir, settings } = input;
  const liveRunner = new MigrationRunner({ adapter: live.adapter, settings, production: false, readOnly: true });
  shadowProgress(input, started, 'Reading the migration history of the live database');
  const status = await liveRunner.status(dir);
  const warnings: string[] = [];
  const applied = status.migrations.filter((m) => m.state === 'applied' || m.state === 'edited' || (m.state === 'failed' && (m.statementsApplied ?? 0) > 0));
  for (const m of status.migrations) {
    if (m.state === 'missing') warnings.push(`${m.version}${m.name ? ` ${m.name}` : ''} is applied but its file is not in the folder: the shadow lacks what it made, which then reads as drift.`);
    if (m.state === 'edited') warnings.push(`${m.version} ${m.name} was edited after it was applied: the shadow has it as the file is now.`);
    if (m.state === 'failed' && (m.statementsApplied ?? 0) > 0) warnings.push(`${m.version} ${m.name} is half applied (${m.statementsApplied} of ${m.statementsTotal ?? '?'} statements): the shadow runs all of it.`);
  }
  const replay = applied.filter((m) => m.file !== null);
  input.signal?.throwIfAborted();
  shadowProgress(input, started, 'Reading the live schema');
  const liveSide = await readSide({ engine: live.engine, schema: null, label: live.label }, input.signal);

  const noted: OutsideStatement[] = [];
  const { value, shadow } = await withShadow(input, started, async (s) => {
    if (replay.length > 0) {
      shadowProgress(input, started, `Applying ${replay.length} applied migration${replay.length === 1 ? '' : 's'} to the shadow`);
      const shadowSchema = await s.schema();
      const port = await live.engine.dialect.shadow();
      // A statement naming the live schema outright: not run where it would reach the live database, noted where it lands beside the shadow.
      const adapter = watchLiveSchema(s.adapter, { liveSchema: liveSide.sessionSchema ?? liveSide.design.schema, shadowSchema, rules: live.engine.dialect.lexRules, reaches: port.namedLiveSchema, noted });
      const runner = new MigrationRunner({ adapter, settings: { ...settings, lockWaitSeconds: 5 }, production: false, readOnly: false });
      const result = await runner.apply(dir, { action: 'up' }, { runId: input.runId, signal: input.signal, approved: replay.map((m) => `${m.version}:up`), confirm: 'yes', onProgress: input.onProgress });
      if (result.outcome === 'cancelled') throw new CoreError('cancelled', 'Drift check cancelled: nothing was compared.');
      if (result.outcome !== 'success') {
        throw new CoreError('query-failed', `The applied migrations do not build in the shadow, so drift cannot be read: ${result.message}`, result.failed ? { version: result.failed.version, statementIndex: result.failed.statementIndex } : undefined);
      }
    }
    input.signal?.throwIfAborted();
    shadowProgress(input, started, 'Reading the shadow and comparing');
    const engine = await s.engine();
    const schema = await s.schema();
    const design = await engine.readDesign(schema, { complete: true });
    input.signal?.throwIfAborted();
    // Named as the live schema: the recording migration is written for the live database.
    const dialect = live.engine.dialect.compareDialect(liveSide.design.engine, liveSide.version);
    return compareSchemas(dialect, { design: liveSide.design, label: live.label }, { design: { ...design, schema: liveSide.design.schema }, label: 'the applied migrations' }, { targetSessionSchema: liveSide.sessionSchema, name: 'record changes made outside the migrations' });
  });
  const outside = outsideWarning(noted, shadow.description, shadow.configured);
  if (outside) warnings.push(outside);
  return {
    engine: value.engine,
    live: live.label,
    drift: !value.equal,
    items: value.items,
    same: value.same,
    ignored: value.ignored,
    applied: replay.map((m) => m.version),
    warnings,
    migration: value.equal ? null : value.migration,
    shadow,
    elapsedMs: Date.now() - started,
  };
}
