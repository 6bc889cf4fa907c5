import { z } from 'zod';
import { command, event } from '../define';
import { CompareResult } from '../../../features/schema-compare/shared/compare-model';
import { ConnectionId } from './schema';

const RunId = z.string().min(8).max(64);

/** One side of a compare: a connection open in this window, and a schema in it (null: the connection's own). */
export const CompareSideInput = z
  .object({
    connectionId: ConnectionId,
    schema: z.string().trim().min(1).max(1024).nullable(),
    /** What messages and the migration's header call it (the connection's name); default: its database. */
    label: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type CompareSideInput = z.infer<typeof CompareSideInput>;

/** The compare's migration as the migrations folder writer takes it (`migrations.create`). */
export const CompareMigrationFile = z.object({
  name: z.string(),
  up: z.string(),
  down: z.string(),
  /** False: the migration runs its own transactions (dbmate `transaction:false`). */
  transaction: z.boolean(),
});
export type CompareMigrationFile = z.infer<typeof CompareMigrationFile>;

export const CompareRunOutput = z.object({
  result: CompareResult,
  file: CompareMigrationFile,
  /** How long each part took, ms: both reads (at once), the comparison, the lint. */
  timings: z.object({ read: z.number(), compare: z.number(), lint: z.number() }),
});
export type CompareRunOutput = z.infer<typeof CompareRunOutput>;

/** Where a compare is: each side read, then compared, then its migration linted. */
export const CompareProgress = z.object({
  runId: z.string(),
  step: z.enum(['reading', 'read', 'comparing', 'linting', 'done']),
  side: z.enum(['source', 'target']).nullable(),
  /** What the step found (tables and other objects of a side read), in words. */
  message: z.string(),
});
export type CompareProgress = z.infer<typeof CompareProgress>;

export const schemaCompareCommands = {
  'compare.run': command(
    'Compares two schemas of one engine family (two connections, or two schemas of one) in the window’s worker; progress arrives as compare.progress events (matched by runId); the call’s signal cancels it. The result holds the migration that turns the target into the source.',
    z
      .object({
        runId: RunId,
        source: CompareSideInput,
        target: CompareSideInput,
        /** The migration's name (file name and header). */
        name: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    CompareRunOutput,
  ),
};

export const schemaCompareEvents = {
  'compare.progress': event('Progress of a schema compare: each side read, compared, linted.', CompareProgress),
};
