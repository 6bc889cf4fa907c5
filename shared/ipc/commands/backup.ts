import { z } from 'zod';
import { command, event } from '../define';
import { AbsolutePath } from '../limits';
import { BackupOptions, BackupProgress, BackupResult } from '../../../features/backup/shared/backup-model';
import { ConnectionId } from './schema';

const JobId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const backupCommands = {
  'backup.info': command(
    'What backup and restore offer for an open connection: the file suffix, whether parts (schema or data only, tables) can be chosen, the name to type on a production connection.',
    z.object({ connectionId: ConnectionId }).strict(),
    z.object({
      fileExtension: z.string(),
      partial: z.boolean(),
      /** Where the tables to choose are: every schema of the database (PostgreSQL), or the connection's own (a MySQL database). */
      tablesFrom: z.enum(['every-schema', 'default-schema']),
      /** Production: the database name to type before a restore; null otherwise. */
      confirmationName: z.string().nullable(),
      readOnly: z.boolean(),
    }),
  ),
  'backup.run': command(
    'Backs the connection’s database up into a file on the machine that runs the core with the engine’s own tool (pg_dump, mariadb-dump) or SQLite’s backup API; progress arrives as backup.progress events; cancel with the call’s signal (the partial file is removed).',
    z
      .object({
        connectionId: ConnectionId,
        jobId: JobId,
        path: AbsolutePath,
        overwrite: z.boolean().default(false),
        options: BackupOptions.default({ scope: 'all', tables: [] }),
      })
      .strict(),
    /** Browser shell: the finished file can also be fetched at `download/<downloadId>` under the page's URL. */
    BackupResult.extend({ downloadId: z.string().nullable() }),
  ),
  'backup.restore': command(
    'Restores a backup file into the connection’s database (pg_restore, the mariadb client, SQLite’s backup API); progress arrives as backup.progress events; cancel with the call’s signal.',
    z
      .object({
        connectionId: ConnectionId,
        jobId: JobId,
        path: AbsolutePath,
        /** Production connections: the database name, typed by the user. */
        confirmDatabase: z.string().max(4096).optional(),
      })
      .strict(),
    BackupResult,
  ),
};

export const backupEvents = {
  'backup.progress': event('Bytes and tables of a running backup or restore.', BackupProgress.extend({ jobId: z.string() })),
};
