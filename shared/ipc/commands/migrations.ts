import { z } from 'zod';
import { command, event } from '../define';
import { absoluteFolder, OptionalAbsoluteFolder } from '../limits';
import { DriftReport, RehearsalReport } from '../../../features/migrations/shared/shadow-model';
import { HistoryRow, MigrationFormat, MigrationPlan, MigrationProgress, MigrationSettings, MigrationStatus, RepairAction, RunResult, TableComparison } from '../../model/migrations';

const ConnectionId = z.string().min(1).max(64);
const Dir = absoluteFolder('Choose a migrations folder');
const RunId = z.string().min(8).max(64);
/** A version as the folder or the user writes it. */
const Version = z.string().trim().min(1).max(200);

export const PlanRequestInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('up'), to: Version.optional() }).strict(),
  z.object({ action: z.literal('down'), to: Version.optional(), steps: z.number().int().min(1).max(10_000).optional() }).strict(),
  z.object({ action: z.literal('baseline'), to: Version }).strict(),
  z.object({ action: z.literal('resume'), version: Version }).strict(),
]);
export type PlanRequestInput = z.infer<typeof PlanRequestInput>;

export const FolderListing = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  dirs: z.array(z.string()),
  /** .sql files directly in the folder, to tell a migrations folder when you see one. */
  sqlFiles: z.number().int(),
});
export type FolderListing = z.infer<typeof FolderListing>;

export const migrationCommands = {
  'migrations.settings': command(
    "A connection's migration settings: folder and timeouts (the defaults until saved).",
    z.object({ profileId: ConnectionId }).strict(),
    MigrationSettings,
  ),
  'migrations.saveSettings': command('Saves the migration folder and timeouts of a connection.', z.object({ profileId: ConnectionId, settings: MigrationSettings }).strict(), MigrationSettings),
  'migrations.browse': command(
    'Lists the sub-folders of a folder on the machine that runs DB Desk, to choose a migrations folder.',
    z.object({ path: OptionalAbsoluteFolder.optional() }).strict(),
    FolderListing,
  ),
  'migrations.create': command(
    'Writes a new migration file from a template (dbmate format, or the folder’s own format).',
    z
      .object({
        dir: Dir,
        name: z.string().trim().min(1).max(200),
        up: z.string().max(1_000_000).optional(),
        down: z.string().max(1_000_000).optional(),
        /** False: the SQL runs its own transactions (dbmate `transaction:false`; other formats refuse it). */
        transaction: z.boolean().optional(),
      })
      .strict(),
    z.object({ format: MigrationFormat, version: z.string(), files: z.array(z.string()), path: z.string() }),
  ),
  'migrations.status': command(
    'Every migration of the folder with its state, other tools’ histories, and who holds the lock.',
    z.object({ connectionId: ConnectionId, dir: Dir, settings: MigrationSettings }).strict(),
    MigrationStatus,
  ),
  'migrations.plan': command(
    'The dry run: every statement in order, transactions, lock, timeouts, lint warnings and blockers.',
    z.object({ connectionId: ConnectionId, dir: Dir, settings: MigrationSettings, request: PlanRequestInput }).strict(),
    MigrationPlan,
  ),
  'migrations.apply': command(
    'Runs a plan under the migration lock; progress arrives as migration.progress events. Cancelling the call (its AbortSignal) stops the run between two statements; it answers with the run’s result (outcome cancelled).',
    z
      .object({
        connectionId: ConnectionId,
        dir: Dir,
        settings: MigrationSettings,
        request: PlanRequestInput,
        runId: RunId,
        /** Production connections: the database name, typed by the person. */
        confirmDatabase: z.string().max(4096).optional(),
        /** The steps the person saw (`version:direction`); only these run. */
        approved: z.array(z.string().max(300)).max(100_000).optional(),
      })
      .strict(),
    RunResult,
  ),
  'migrations.repair': command(
    'Decides about a failed attempt or an edited file: resume, mark applied, forget, accept the checksum.',
    z.object({ connectionId: ConnectionId, dir: Dir, settings: MigrationSettings, action: RepairAction, version: Version, runId: RunId, confirmDatabase: z.string().max(4096).optional() }).strict(),
    RunResult,
  ),
  'migrations.compareTable': command(
    'A migration that failed at CREATE TABLE: the table it declares next to the table of that name in the database.',
    z.object({ connectionId: ConnectionId, dir: Dir, settings: MigrationSettings, version: Version }).strict(),
    TableComparison,
  ),
  'migrations.drift': command(
    'The drift check: the applied migrations replayed in a shadow database, compared with the live schema. Cancel with the call’s signal; progress as migration.progress (kind shadow) for runId.',
    z
      .object({
        connectionId: ConnectionId,
        dir: Dir,
        settings: MigrationSettings,
        runId: RunId,
        /** A database to build the shadow in, when the connection may not create one (never stored). */
        shadowUrl: z.string().trim().min(1).max(4096).optional(),
      })
      .strict(),
    DriftReport,
  ),
  'migrations.rehearse': command(
    'The rehearsal: the pending migrations applied to a shadow copy of the live schema (plus small tables’ rows when asked); production untouched.',
    z
      .object({
        connectionId: ConnectionId,
        dir: Dir,
        settings: MigrationSettings,
        runId: RunId,
        shadowUrl: z.string().trim().min(1).max(4096).optional(),
        /** Copy the rows of tables with at most this many rows; null: schema only. */
        copyRowsUpTo: z.number().int().min(0).max(10_000_000).nullable(),
        to: Version.optional(),
        /** The plan's steps the person saw (`version:up`): refused, running nothing, when the live database would now run others. */
        approved: z.array(z.string().max(300)).max(100_000).optional(),
      })
      .strict(),
    RehearsalReport,
  ),
  'migrations.history': command('DB Desk’s own migration history with its audit columns, newest first.', z.object({ connectionId: ConnectionId }).strict(), z.array(HistoryRow)),
  'migrations.releaseLock': command(
    'Releases a migration lock someone else holds (ends their session, or deletes their lease).',
    z.object({ connectionId: ConnectionId, settings: MigrationSettings, ref: z.string().min(1).max(200) }).strict(),
    z.object({ message: z.string() }),
  ),
};

export const migrationEvents = {
  'migration.progress': event('Progress of a migration run: lock, each statement, each migration, the end.', MigrationProgress.extend({ connectionId: z.string() })),
};
