import type { DesignLint, DesignPlan } from '../../../shared/ipc/commands/designer';
import { describeChange, diffDesigns } from '../shared/diff';
import type { DesignSchema } from '../shared/model';
import type { DdlScript, DesignDialect } from './design-dialect';
import { CoreError } from '../../../electron/core/errors';
import { migrationSlug, timestampVersion } from '../../migrations/core';

/** One section of a dbmate file: the directive, the notes as comments, the statements. */
export function sectionText(direction: 'up' | 'down', script: DdlScript): string {
  const head = `-- migrate:${direction}${script.transactional ? '' : ' transaction:false'}`;
  const notes = script.notes.map((n) => `-- ${n.replace(/\n/g, ' ')}`);
  const body = script.statements.map((s) => `${s};`);
  return [head, ...notes, ...(notes.length ? [''] : []), body.join('\n\n')].join('\n').trimEnd() + '\n';
}

/** The statements of a section without the directive line: what a migration writer stores as `up`/`down`. */
export function sectionBody(script: DdlScript): string {
  const notes = script.notes.map((n) => `-- ${n.replace(/\n/g, ' ')}`);
  return [...notes, ...(notes.length ? [''] : []), script.statements.map((s) => `${s};`).join('\n\n')].join('\n').trim() + '\n';
}

export interface PlanOptions {
  name: string;
  now?: Date;
  /** The live schema read just now; differences from `base` are drift. */
  live?: DesignSchema;
  lint?: (upStatements: readonly string[]) => DesignLint[];
}

/**
 * The migration from `base` (what the database had when the design was read) to `design`: the
 * changes in words, up and down DDL from the engine's dialect, and drift when a fresh read of the
 * database differs from `base`.
 */
export function planDesignMigration(dialect: DesignDialect, base: DesignSchema, design: DesignSchema, options: PlanOptions): DesignPlan {
  if (base.engine !== design.engine && !(dialect.engine === design.engine)) {
    throw new CoreError('invalid-input', `The design is for ${design.engine} but the database is ${dialect.engine}.`);
  }
  if (base.schema !== design.schema) throw new CoreError('invalid-input', `The design is for schema "${design.schema}", its base for "${base.schema}".`);
  const forward = diffDesigns(base, design, dialect.rules);
  const backward = diffDesigns(design, base, dialect.rules);
  const up = dialect.migrate(base, design, forward);
  const down = dialect.migrate(design, base, backward);
  const drift = options.live ? diffDesigns(base, options.live, dialect.rules).map((c) => describeChange(c, base, options.live!)) : [];
  const slug = migrationSlug(options.name);
  const fileName = `${timestampVersion(options.now ?? new Date())}_${slug}.sql`;
  const header = `-- ${options.name.replace(/\n/g, ' ')}\n-- Written by DB Desk's schema designer for ${dialect.engine}, schema ${design.schema}.\n\n`;
  return {
    changes: forward.map((c) => describeChange(c, base, design)),
    drift,
    up,
    down,
    fileName,
    fileText: `${header}${sectionText('up', up)}\n${sectionText('down', down)}`,
    lint: options.lint ? options.lint(up.statements) : [],
  };
}
