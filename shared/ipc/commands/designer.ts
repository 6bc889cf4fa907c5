import { z } from 'zod';
import { DesignSchema, EngineType } from '../../../features/designer/shared/model';
import { EngineKind } from '../../model/engine';
import { command } from '../define';
import { absoluteFolder, TimestampText } from '../limits';
import { ConnectionId } from './schema';

export const ChangeLine = z.object({ table: z.string(), tone: z.enum(['add', 'drop', 'change']), text: z.string() });
export type ChangeLine = z.infer<typeof ChangeLine>;

/** One direction of a generated migration. */
export const DdlSection = z.object({
  statements: z.array(z.string()),
  notes: z.array(z.string()),
  /** False: the section runs its own transaction (dbmate `transaction:false`). */
  transactional: z.boolean(),
  /** The first n statements must each commit before the rest runs (a client script runs them first). */
  committedFirst: z.number().int().min(0).optional(),
});
export type DdlSection = z.infer<typeof DdlSection>;

/** A lint finding of the migrations runner on the generated up section. */
export const DesignLint = z.object({ rule: z.string(), statementIndex: z.number().int(), message: z.string(), suggestion: z.string().optional() });
export type DesignLint = z.infer<typeof DesignLint>;

export const DesignPlan = z.object({
  /** What the design changes compared with its base, in words. */
  changes: z.array(ChangeLine),
  /**
   * What changed in the live database since the design was read (someone else's DDL). Non-empty:
   * the migration was written against a schema that is no longer there — reload before applying.
   */
  drift: z.array(ChangeLine),
  up: DdlSection,
  down: DdlSection,
  /** The migration file in dbmate's format, as it would be saved. */
  fileName: z.string(),
  fileText: z.string(),
  lint: z.array(DesignLint),
});
export type DesignPlan = z.infer<typeof DesignPlan>;

const MigrationsFolder = absoluteFolder('Choose a migrations folder');

export const MigrationName = z.string().trim().min(1, 'A migration needs a name').max(120);

export const Point = z.object({ x: z.number().finite(), y: z.number().finite() });

/** Where each table sits in the diagram, by table id (ids and count bounded as in DesignSchema). */
const Positions = z.record(z.string().max(300), Point).refine((p) => Object.keys(p).length <= 20_000, 'At most 20,000 table positions.');

/** Where positions and drafts are kept: a saved connection's id, or `scratch:<id>` for a design without a database. */
export const DesignScope = z.string().min(1).max(120);

export const DesignDraft = z.object({
  base: DesignSchema,
  design: DesignSchema,
  savedAt: TimestampText,
  /** For designs without a database: the name a person gave it. */
  title: z.string().max(200).optional(),
});
export type DesignDraft = z.infer<typeof DesignDraft>;

export const designerCommands = {
  'designer.open': command(
    "A schema as the designer edits it (every table with keys, indexes, checks) and the engine's type list.",
    z.object({ connectionId: ConnectionId, schema: z.string().min(1).max(1024) }).strict(),
    z.object({
      design: DesignSchema,
      /** Migration tools' own tables (history, locks), left out of the design. */
      hidden: z.array(z.string()),
      types: z.array(EngineType),
      serverVersion: z.string().nullable(),
    }),
  ),
  'designer.types': command('The built-in type list of an engine, for designing before any database exists.', z.object({ engine: EngineKind }).strict(), z.array(EngineType)),
  'designer.plan': command(
    'The migration that turns the live schema into the design: changes in words, up and down DDL, lint, and drift since the design was read.',
    z.object({ connectionId: ConnectionId, base: DesignSchema, design: DesignSchema, name: MigrationName }).strict(),
    DesignPlan,
  ),
  'designer.save': command(
    "Writes the design's migration into a migrations folder (dbmate format, or the folder's own), after checking the database has not drifted.",
    z.object({ connectionId: ConnectionId, base: DesignSchema, design: DesignSchema, name: MigrationName, dir: MigrationsFolder }).strict(),
    z.object({ version: z.string(), files: z.array(z.string()), format: z.string(), dir: z.string(), plan: DesignPlan }),
  ),
  'designer.plan-scratch': command(
    'The first migration of a design made before any database exists, for the chosen engine.',
    z.object({ design: DesignSchema, name: MigrationName, version: z.string().max(40).nullable().default(null) }).strict(),
    DesignPlan,
  ),
  'designer.save-scratch': command(
    'Writes the first migration of a design made without a database into a folder.',
    z.object({ design: DesignSchema, name: MigrationName, dir: MigrationsFolder, version: z.string().max(40).nullable().default(null) }).strict(),
    z.object({ version: z.string(), files: z.array(z.string()), format: z.string(), dir: z.string() }),
  ),
  'designer.state': command(
    'Saved positions of the diagram (and an unsaved draft, if any) for a connection or scratch design and a schema.',
    z.object({ scope: DesignScope, schema: z.string().min(1).max(1024) }).strict(),
    z.object({ positions: z.record(z.string(), Point), draft: DesignDraft.nullable() }),
  ),
  'designer.save-state': command(
    'Stores diagram positions and/or the draft (null deletes it) for a connection or scratch design and a schema.',
    z
      .object({
        scope: DesignScope,
        schema: z.string().min(1).max(1024),
        positions: Positions.optional(),
        draft: DesignDraft.nullable().optional(),
      })
      .strict(),
    z.object({ savedAt: z.string() }),
  ),
  'designer.scratch-list': command(
    'Designs made without a database, newest first.',
    z.object({}).strict(),
    z.array(z.object({ scope: DesignScope, schema: z.string(), title: z.string(), engine: EngineKind, tables: z.number().int(), savedAt: z.string() })),
  ),
};
