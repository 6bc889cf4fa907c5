import { CoreError } from '../../../../electron/core/errors';
import type { DesignSchema } from '../../../designer/shared/model';
import { compareSchemas } from '../../../schema-compare/core/compare-schemas';
import { readSide } from '../../../schema-compare/core/compare-live';
import type { MigrationPlan } from '../../../../shared/model/migrations';
import type { RehearsalFailure, RehearsalReport } from '../../shared/shadow-model';
import { MigrationRunner } from '../runner';
import { copySmallTables, type CopyRowsResult } from './copy-rows';
import { outsideWarning, watchLiveSchema, type OutsideStatement } from './outside-schema';
import { shadowProgress, withShadow, type OpenShadow, type ShadowRunInput } from './shadow';

export interface RehearseOptions {
  /** Copy the rows of tables with at most this many rows (null: schema only). */
  copyRowsUpTo: number | null;
  /** Up to this version (as `migrate up --to`); all pending when absent. */
  to?: string | undefined;
  /** Exactly these steps (`version:up`, a plan the person saw): refused when the live database would run others now. */
  approved?: string[] | undefined;
}

/** The live schema made again in the shadow: the compare's migration from nothing to the live schema. */
async function copySchema(input: ShadowRunInput, shadow: OpenShadow, live: DesignSchema): Promise<void> {
  const engine = await shadow.engine();
  const schema = await shadow.schema();
  const side = await readSide({ engine, schema, label: 'the shadow' }, input.signal);
  const dialect = engine.dialect.compareDialect(live.engine, null);
  const script = compareSchemas(dialect, { design: live, label: 'the live schema' }, { design: side.design, label: 'the shadow' }, { targetSessionSchema: side.sessionSchema }).migration.up;
  const conn = await shadow.adapter.openConnection();
  try {
    for (const [i, statement] of script.statements.entries()) {
      input.signal?.throwIfAborted();
      try {
        await conn.executeRaw(statement);
      } catch (err) {
        throw new CoreError('query-failed', `The live schema could not be copied into the shadow (statement ${i + 1} of ${script.statements.length}): ${(err as Error).message}\n${statement}`);
      }
    }
  } finally {
    await conn.close();
  }
}

/** The failed statement's line in its file, from the plan the live database would run. */
function lineOf(plan: MigrationPlan, version: string, index: number): { file: string | null; line: number | null } {
  const step = plan.steps.find((s) => s.version === version && s.direction === 'up');
  const st = step?.units.flatMap((u) => u.statements).find((s) => s.index === index);
  return { file: step?.file ?? null, line: st?.line ?? null };
}

/**
 * The rehearsal: applies the migrations the live database would run (`up`) to a shadow copy of its
 * schema — plus the rows of its small tables when asked — and reports what would fail, and at which
 * statement, before production is touched. The live database is only read; the shadow is always dropped.
 */
export async function rehearse(input: ShadowRunInput, options: RehearseOptions): Promise<RehearsalReport> {
  const started = Date.now();
  const { live, dir, settings } = input;
  const engineKind = live.config.engine;
  const base = { engine: engineKind, live: live.label, done: [], failed: null, blockers: [], warnings: [], rows: { threshold: options.copyRowsUpTo, copied: [], skipped: [] } };
  shadowProgress(input, started, 'Planning the pending migrations on the live database');
  const plan = await new MigrationRunner({ adapter: live.adapter, settings, production: false, readOnly: false }).plan(dir, { action: 'up', to: options.to });
  const pending = plan.steps.filter((s) => s.direction === 'up').map((s) => s.version);
  if (plan.blockers.length > 0) {
    return { ...base, outcome: 'refused', message: `The live database would refuse this run before any statement:\n- ${plan.blockers.join('\n- ')}`, pending, blockers: plan.blockers, shadow: null, elapsedMs: Date.now() - started };
  }
  const planned = pending.map((v) => `${v}:up`);
  if (options.approved && options.approved.join('\n') !== planned.join('\n')) {
    const message = `The pending migrations changed since this plan was shown (it had ${options.approved.length}, the live database would now run ${pending.length}${pending.length > 0 ? `: ${pending.join(', ')}` : ''}): show the plan again, then rehearse it.`;
    return { ...base, outcome: 'refused', message, pending, blockers: [message], shadow: null, elapsedMs: Date.now() - started };
  }
  if (pending.length === 0) {
    return { ...base, outcome: 'nothing-pending', message: 'Nothing to rehearse: the live database is up to date with the folder.', pending, shadow: null, elapsedMs: Date.now() - started };
  }
  shadowProgress(input, started, 'Reading the live schema');
  const liveSide = await readSide({ engine: live.engine, schema: null, label: live.label }, input.signal);

  let rows: CopyRowsResult = { copied: [], skipped: [] };
  const noted: OutsideStatement[] = [];
  const { value: run, shadow } = await withShadow(input, started, async (s) => {
    shadowProgress(input, started, 'Copying the live schema into the shadow');
    await copySchema(input, s, liveSide.design);
    if (options.copyRowsUpTo !== null) {
      const port = await live.engine.dialect.shadow();
      const { withoutBookkeeping } = await import('../../../designer/core/bookkeeping');
      rows = await copySmallTables({
        live: live.adapter,
        shadow: s.adapter,
        design: withoutBookkeeping(liveSide.design).design,
        threshold: options.copyRowsUpTo,
        session: port.rowCopySession,
        afterCopy: (table, columns) => port.afterRowCopy(table, columns),
        signal: input.signal,
        progress: (m) => shadowProgress(input, started, m),
      });
    }
    shadowProgress(input, started, `Applying ${pending.length} pending migration${pending.length === 1 ? '' : 's'} to the shadow`);
    const shadowSchema = await s.schema();
    const port = await live.engine.dialect.shadow();
    // A statement naming the live schema outright: not run where it would reach the live database, noted where it lands beside the shadow.
    const adapter = watchLiveSchema(s.adapter, { liveSchema: liveSide.sessionSchema ?? liveSide.design.schema, shadowSchema, rules: live.engine.dialect.lexRules, reaches: port.namedLiveSchema, noted });
    const runner = new MigrationRunner({ adapter, settings: { ...settings, lockWaitSeconds: 5 }, production: false, readOnly: false });
    return runner.apply(dir, { action: 'up' }, { runId: input.runId, signal: input.signal, approved: pending.map((v) => `${v}:up`), confirm: 'yes', onProgress: input.onProgress });
  });

  const done = run.done.map((d) => ({ version: d.version, name: d.name, statements: d.statements, durationMs: d.durationMs }));
  const rowsReport = { threshold: options.copyRowsUpTo, copied: rows.copied, skipped: rows.skipped };
  const outside = outsideWarning(noted, shadow.description, shadow.configured);
  const warnings = rows.skipped.length > 0 ? [`${rows.skipped.length} table${rows.skipped.length === 1 ? ' has' : 's have'} more than ${options.copyRowsUpTo} rows and stayed empty in the shadow: ${rows.skipped.join(', ')}. A statement that fails only on their rows is not caught.`] : [];
  if (outside) warnings.push(outside);
  const common = { engine: engineKind, live: live.label, pending, done, blockers: [], rows: rowsReport, warnings, shadow, elapsedMs: Date.now() - started };
  if (run.outcome === 'success') {
    return { ...common, outcome: 'would-succeed', failed: null, message: `The ${pending.length} pending migration${pending.length === 1 ? '' : 's'} went through on a shadow copy of the live schema${rows.copied.length > 0 ? ` (with the rows of ${rows.copied.length} small table${rows.copied.length === 1 ? '' : 's'})` : ''}.` };
  }
  if (run.outcome === 'cancelled') return { ...common, outcome: 'cancelled', failed: null, message: 'Rehearsal cancelled; the shadow was dropped and the live database was not touched.' };
  const f = run.failed;
  if (!f) return { ...common, outcome: 'would-fail', failed: null, message: run.message };
  const where = lineOf(plan, f.version, f.statementIndex);
  const failed: RehearsalFailure = {
    version: f.version,
    name: f.name,
    file: where.file,
    statementIndex: f.statementIndex,
    statementsTotal: f.statementsTotal,
    line: where.line,
    sql: f.sql,
    error: f.error,
    ...(f.explained ? { explained: f.explained } : {}),
  };
  const at = `${where.file ?? f.version}${where.line !== null ? ` line ${where.line}` : ''}`;
  const doubt = outside ? `\nThis may be false: ${noted.length === 1 ? 'a statement names' : 'statements name'} the schema ${noted[0]!.schema} outright and ran outside the shadow (see the note).` : '';
  return {
    ...common,
    outcome: 'would-fail',
    failed,
    message: `${f.version} ${f.name} would fail at statement ${f.statementIndex} of ${f.statementsTotal} (${at}): ${f.error.split('\n')[0]}${done.length > 0 ? `\n${done.length} migration${done.length === 1 ? '' : 's'} before it went through.` : ''}${doubt}`,
  };
}
