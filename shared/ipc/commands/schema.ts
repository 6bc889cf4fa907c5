import { z } from 'zod';
import { command } from '../define';
import { SchemaSummary, TableDetail, TableRef, TableSummary } from '../../model/schema';

export const ConnectionId = z.string().min(1).max(64);

export const schemaCommands = {
  'schema.schemas': command('Schemas (PostgreSQL), databases (MySQL) or attached databases (SQLite).', z.object({ connectionId: ConnectionId }).strict(), z.array(SchemaSummary)),
  'schema.tables': command(
    'Names and kinds of the tables and views of one schema: names first, details on demand.',
    z.object({ connectionId: ConnectionId, schema: z.string().min(1).max(1024) }).strict(),
    z.array(TableSummary),
  ),
  'schema.table': command(
    "One table's columns, keys, indexes and row count.",
    z.object({ connectionId: ConnectionId, table: TableRef }).strict(),
    TableDetail,
  ),
};
