import { z } from 'zod';
import { command, event } from '../define';
import { IpcError } from '../errors';
import { AbsolutePath } from '../limits';
import { ColumnMapping, ImportMode, ImportPreview, ImportResult, ImportSource, ImportTarget } from '../../../features/import/shared/import-model';
import { ConnectionId } from './schema';

const ImportId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);
/** The file on the machine that runs the core. */
const Source = ImportSource.extend({ path: AbsolutePath });

export const importCommands = {
  'import.preview': command(
    'Reads the start of a CSV/TSV/JSON file and shows what importing it would do: fields, first records converted to the columns, the mapping, inferred types and the DDL of a new table. Changes nothing.',
    z.object({ connectionId: ConnectionId, source: Source, target: ImportTarget, mapping: z.array(ColumnMapping).max(2000).nullable().default(null) }).strict(),
    ImportPreview,
  ),
  'import.run': command(
    'Imports a file into a table (or a new one) in one transaction; progress arrives as import.progress events. All or nothing by default; skip mode writes refused records to a rejects file.',
    z
      .object({
        connectionId: ConnectionId,
        importId: ImportId,
        source: Source,
        target: ImportTarget,
        mapping: z.array(ColumnMapping).max(2000).nullable().default(null),
        mode: ImportMode.default('all-or-nothing'),
        rejectsPath: AbsolutePath.nullable().default(null),
        /** Production connections: the database name, typed by the user. */
        confirmDatabase: z.string().max(4096).optional(),
      })
      .strict(),
    ImportResult,
  ),
};

export const importEvents = {
  'import.progress': event(
    'Rows and bytes of a running import.',
    z.object({
      importId: z.string(),
      rows: z.number().int(),
      rejected: z.number().int(),
      bytes: z.number().int(),
      totalBytes: z.number().int(),
      done: z.boolean(),
      error: IpcError.optional(),
    }),
  ),
};
