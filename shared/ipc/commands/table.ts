import { z } from 'zod';
import { command, event } from '../define';
import { IpcError } from '../errors';
import { RowCount, TableRef } from '../../model/schema';
import {
  ApplyResult,
  ColumnName,
  EditBatchLimit,
  EditRequest,
  ExportFormat,
  ExportOptions,
  PlannedStatement,
  EditWarning,
  ReferencingKey,
  TableQuery,
  TableWindow,
  WindowSpec,
} from '../../model/table-query';
import { CellValue, CellValueInput } from '../../model/values';
import { ConnectionId } from './schema';
import { AbsolutePath } from '../limits';

const RowId = z.array(CellValueInput).min(1).max(64);
const ExportId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const tableCommands = {
  'table.window': command(
    'One window of rows of a table view (filter, raw WHERE, sort) as a columnar batch, found by offset or by key.',
    z.object({ connectionId: ConnectionId, query: TableQuery, window: WindowSpec }).strict(),
    TableWindow,
  ),
  'table.count': command(
    'Counts the rows of a table view: exact when the server manages within the time limit, else the planner’s estimate.',
    z.object({ connectionId: ConnectionId, query: TableQuery, timeoutMs: z.number().int().min(100).max(120_000).default(10_000) }).strict(),
    RowCount,
  ),
  'table.cell': command(
    'The whole value of one cell (text the grid cut, bytes beyond the preview), found by row identity.',
    z.object({ connectionId: ConnectionId, table: TableRef, rowId: RowId, column: ColumnName }).strict(),
    z.object({ value: CellValue, size: z.number().int() }),
  ),
  'table.saveCell': command(
    'Writes the whole value of one cell to a file on the machine that runs the core (bytes as they are, text as UTF-8).',
    z.object({ connectionId: ConnectionId, table: TableRef, rowId: RowId, column: ColumnName, path: AbsolutePath, overwrite: z.boolean().default(false) }).strict(),
    z.object({ path: z.string(), bytes: z.number().int() }),
  ),
  'table.previewEdits': command(
    'The statements Apply would run for these staged changes, exactly as they would be sent (SQL and bound values).',
    z.object({ connectionId: ConnectionId, edits: EditRequest }).strict(),
    // `limit`: the batch is too big for one transaction here (Galera), with the split Apply would need agreed.
    z.object({ statements: z.array(PlannedStatement), warnings: z.array(EditWarning), confirmationName: z.string().nullable(), limit: EditBatchLimit.nullable() }),
  ),
  'table.applyEdits': command(
    'Runs staged changes in one transaction (or in the separate transactions the user agreed to); a conflict or any error rolls that transaction back and says which change failed.',
    z
      .object({
        connectionId: ConnectionId,
        edits: EditRequest,
        /** Production connections: the database name, typed by the user. */
        confirmDatabase: z.string().max(4096).optional(),
      })
      .strict(),
    ApplyResult,
  ),
  'table.referencedBy': command(
    'Foreign keys of other tables that point at this table.',
    z.object({ connectionId: ConnectionId, table: TableRef }).strict(),
    z.array(ReferencingKey),
  ),
  'table.exportDefaults': command(
    'Where exports go by default on the machine that runs the core.',
    z.object({}).strict(),
    z.object({ directory: z.string(), separator: z.string(), downloadsAvailable: z.boolean() }),
  ),
  'table.export': command(
    'Streams a table view from a cursor into a file on the machine that runs the core; progress arrives as table.exportProgress events. Cancelling the call (its AbortSignal) stops the query on the server and removes the partial file; it answers cancelled.',
    z
      .object({
        connectionId: ConnectionId,
        exportId: ExportId,
        query: TableQuery,
        format: ExportFormat,
        path: AbsolutePath,
        overwrite: z.boolean().default(false),
        options: ExportOptions.default({ header: true, delimiter: ',', rowsPerInsert: 100 }),
      })
      .strict(),
    z.object({
      path: z.string(),
      rows: z.number().int(),
      bytes: z.number().int(),
      ms: z.number(),
      /** Browser shell: the file can be fetched at `download/<downloadId>` under the page's URL. */
      downloadId: z.string().nullable(),
    }),
  ),
};

export const tableEvents = {
  'table.exportProgress': event(
    'Rows and bytes written so far by a running export.',
    z.object({
      exportId: z.string(),
      rows: z.number().int(),
      bytes: z.number().int(),
      /** The row count of the view when known (exact or estimated), for a percentage. */
      totalRows: z.number().nullable(),
      done: z.boolean(),
      error: IpcError.optional(),
    }),
  ),
};
