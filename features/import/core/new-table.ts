import type { Engine } from '../../../electron/core/engines/engine';
import type { TableRef } from '../../../shared/model/schema';
import { diffDesigns } from '../../designer/shared/diff';
import { DesignTable, emptyDesign, nameIds } from '../../designer/shared/model';
import type { ImportTarget } from '../shared/import-model';

/**
 * The new table's DDL, written by the schema designer's dialect (the same statements the designer would
 * run for a table drawn by hand): columns as asked, NULL allowed unless said otherwise, the primary key if one was chosen.
 */
export async function createTableStatements(engine: Engine, table: TableRef, create: NonNullable<ImportTarget['create']>): Promise<string[]> {
  const dialect = await engine.designDialect();
  const from = emptyDesign(dialect.engine, table.schema);
  const designed = DesignTable.parse({
    id: nameIds.table(table.name),
    name: table.name,
    columns: create.columns.map((c) => ({ id: nameIds.column(c.name), name: c.name, type: c.type, nullable: c.nullable && !create.primaryKey.includes(c.name), default: null })),
    primaryKey: create.primaryKey.length ? { name: null, columns: create.primaryKey.map((n) => nameIds.column(n)) } : null,
  });
  const to = { ...from, tables: [designed] };
  return dialect.migrate(from, to, diffDesigns(from, to, dialect.rules)).statements;
}
