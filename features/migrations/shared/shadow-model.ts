import { z } from 'zod';
import { CompareItem, CompareMigration } from '../../schema-compare/shared/compare-model';
import { ExplainedError } from '../../../shared/model/explained-error';
import { EngineKind } from '../../../shared/model/engine';

/** A shadow an earlier run left behind (a process killed outright cannot drop its own), dropped before this run made its own. */
export const SweptShadow = z.object({
  name: z.string(),
  /** "temporary database dbdesk_shadow_…", "temporary file /tmp/dbdesk_shadow_…". */
  description: z.string(),
  /** When it was made (from its name), ISO 8601 UTC. */
  createdAt: z.string(),
});
export type SweptShadow = z.infer<typeof SweptShadow>;

/** The shadow database a drift check or rehearsal used, and whether it is gone. */
export const ShadowInfo = z.object({
  /** "temporary database dbdesk_shadow_1a2b3c4d", "schema dbdesk_shadow_… in the shadow database ci_shadow". */
  description: z.string(),
  /** Its own name (database, schema or file path). */
  name: z.string(),
  /** It came from a shadow URL (emptied afterwards) rather than made for this run (dropped). */
  configured: z.boolean(),
  dropped: z.boolean(),
  /** Why it could not be dropped, and how to drop it by hand. */
  dropError: z.string().nullable(),
  /** Shadows of ours left behind by earlier runs that died, older than a day and held by no run: dropped first. */
  swept: z.array(SweptShadow).optional(),
  /** Why looking for or dropping those failed (the run went on). */
  sweepProblem: z.string().nullable().optional(),
});
export type ShadowInfo = z.infer<typeof ShadowInfo>;

/**
 * The drift check: what the applied migrations build (in a shadow) compared with the live schema.
 * `added`: only the live schema has it (made outside the migrations); `removed`: the migrations make it
 * but the live schema lacks it (dropped by hand); `changed`: both, differently.
 */
export const DriftReport = z.object({
  engine: EngineKind,
  /** The live database, as messages call it. */
  live: z.string(),
  drift: z.boolean(),
  items: z.array(CompareItem),
  /** Objects that are the same. */
  same: z.number().int(),
  /** Tables left out: migration tools' own. */
  ignored: z.array(z.string()),
  /** The applied versions replayed in the shadow, in order. */
  applied: z.array(z.string()),
  /** What the check could not replay exactly (a file missing from the folder, a file edited after it was applied). */
  warnings: z.array(z.string()),
  /** A migration recording the changes made outside the migrations (shadow → live), for the folder. */
  migration: CompareMigration.nullable(),
  shadow: ShadowInfo,
  elapsedMs: z.number(),
});
export type DriftReport = z.infer<typeof DriftReport>;

/** The statement a rehearsal stopped at, with where it is in its file. */
export const RehearsalFailure = z.object({
  version: z.string(),
  name: z.string(),
  /** The file, relative to the folder. */
  file: z.string().nullable(),
  /** 1-based statement of the migration's up section. */
  statementIndex: z.number().int(),
  statementsTotal: z.number().int(),
  /** The statement's first line in the file (1-based). */
  line: z.number().int().nullable(),
  sql: z.string(),
  error: z.string(),
  explained: ExplainedError.optional(),
});
export type RehearsalFailure = z.infer<typeof RehearsalFailure>;

export const RehearsalOutcome = z.enum(['would-succeed', 'would-fail', 'nothing-pending', 'refused', 'cancelled']);
export type RehearsalOutcome = z.infer<typeof RehearsalOutcome>;

/** The rehearsal: the pending migrations applied to a shadow copy of the live schema, before production. */
export const RehearsalReport = z.object({
  engine: EngineKind,
  live: z.string(),
  outcome: RehearsalOutcome,
  message: z.string(),
  /** The pending versions the live database would run, in order. */
  pending: z.array(z.string()),
  /** What went through in the shadow. */
  done: z.array(z.object({ version: z.string(), name: z.string(), statements: z.number().int(), durationMs: z.number() })),
  failed: RehearsalFailure.nullable(),
  /** Why the live database would refuse the run before any statement (edited or failed migrations). */
  blockers: z.array(z.string()),
  /** Rows of small tables copied into the shadow (when asked): at most `threshold` rows each. */
  rows: z.object({
    threshold: z.number().int().nullable(),
    copied: z.array(z.object({ table: z.string(), rows: z.number().int() })),
    /** Tables left empty in the shadow: more rows than the threshold. */
    skipped: z.array(z.string()),
  }),
  warnings: z.array(z.string()),
  shadow: ShadowInfo.nullable(),
  elapsedMs: z.number(),
});
export type RehearsalReport = z.infer<typeof RehearsalReport>;
