import type { CompletionColumn, ServerProcess } from '../../../shared/model/query';
import type { RowCount, SchemaSummary, TableDetail, TableRef, TableSummary } from '../../../shared/model/schema';
import type { ApplyResult, EditPreview, EditRequest, ReferencingKey, TableQuery, TableWindow, WindowSpec } from '../../../shared/model/table-query';
import type { CellValue, ColumnMeta } from '../../../shared/model/values';
import type { SqlText, StreamOptions } from './engine';
import type { QueryCapable, QuerySession, QuerySessionOptions } from './query-session';
import type { DesignSchema } from '../../../features/designer/shared/model';
import type { ErrorExplainer } from './explained-errors';
import type { EditExplaining } from './table-data/explain-edit-failure';
import type { TableDataService } from './table-data/table-data-service';

type MaybeAsync<T> = T | Promise<T>;

/** What every engine's introspector answers (names first; details per table). SQLite's answers at once. */
interface Introspection {
  listSchemas(): MaybeAsync<SchemaSummary[]>;
  listTables(schema: string): MaybeAsync<TableSummary[]>;
  describeTable(table: TableRef): MaybeAsync<TableDetail>;
}

/**
 * The part of the Engine that is the same in every family: browsing goes to the engine's
 * introspector, table data to its TableDataService, the SQL editor's calls to its query tools.
 * A family supplies those three (with its own SQL inside) and overrides a method only where it adds
 * a rule of its own (MySQL/MariaDB: Galera's write-set limits before applyEdits).
 */
export abstract class EngineBase {
  abstract readonly introspector: Introspection;
  abstract readonly tableDriver: SqlText & { referencedBy(table: TableRef): MaybeAsync<ReferencingKey[]> };
  abstract readonly tableData: TableDataService;
  /** Made on first use: most windows never open the SQL editor. */
  protected abstract get queryTools(): QueryCapable;

  get sqlText(): SqlText {
    return this.tableDriver;
  }

  async listSchemas(): Promise<SchemaSummary[]> {
    return this.introspector.listSchemas();
  }

  async listTables(schema: string): Promise<TableSummary[]> {
    return this.introspector.listTables(schema);
  }

  async describeTable(table: TableRef): Promise<TableDetail> {
    return this.tableData.remember(await this.introspector.describeTable(table));
  }

  async referencedBy(table: TableRef): Promise<ReferencingKey[]> {
    return this.tableDriver.referencedBy(table);
  }

  readWindow(query: TableQuery, window: WindowSpec, signal?: AbortSignal): Promise<TableWindow> {
    return this.tableData.readWindow(query, window, signal);
  }

  countRows(query: TableQuery, timeoutMs: number, signal?: AbortSignal): Promise<RowCount> {
    return this.tableData.countRows(query, timeoutMs, signal);
  }

  readCell(table: TableRef, rowId: CellValue[], column: string): Promise<unknown> {
    return this.tableData.readCellRaw(table, rowId, column);
  }

  planEdits(edits: EditRequest): Promise<EditPreview> {
    return this.tableData.planEdits(edits);
  }

  applyEdits(edits: EditRequest): Promise<ApplyResult> {
    return this.tableData.applyEdits(edits);
  }

  async streamRows(query: TableQuery, options: StreamOptions, onRows: (rows: unknown[][]) => Promise<void> | void): Promise<void> {
    await this.tableData.streamRows(query, options, onRows);
  }

  copyCsv(query: TableQuery, options: { header: boolean; delimiter: string; signal: AbortSignal }, write: (chunk: Buffer) => Promise<void>): Promise<number | null> {
    return this.tableData.copyCsv(query, options, write);
  }

  columnsOf(table: TableRef): Promise<ColumnMeta[]> {
    return this.tableData.columnsOf(table);
  }

  openQuerySession(options: QuerySessionOptions): Promise<QuerySession> {
    return this.queryTools.openQuerySession(options);
  }

  listColumns(schema: string): Promise<CompletionColumn[]> {
    return this.queryTools.listColumns(schema);
  }

  processList(own: ReadonlySet<string>): Promise<ServerProcess[] | null> {
    return this.queryTools.processList(own);
  }

  killProcess(id: string, mode: 'cancel' | 'terminate'): Promise<boolean> {
    return this.queryTools.killProcess(id, mode);
  }
}

/**
 * What the table browser needs to explain a refused change on this engine: the dialect's explainer,
 * CHECK expressions from the designer's reader (read only when a CHECK failed), and the keys of other
 * tables pointing here.
 */
export function editExplaining(
  engine: { readDesign(schema: string): Promise<DesignSchema>; referencedBy(table: TableRef): Promise<ReferencingKey[]> },
  explainer: ErrorExplainer,
): EditExplaining {
  return {
    explainer,
    constraints: async (table) => {
      const design = await engine.readDesign(table.schema);
      const t = design.tables.find((x) => x.name === table.name);
      if (!t) return { checks: [], uniques: [], foreignKeys: [] };
      const names = (ids: string[]) => ids.map((id) => t.columns.find((c) => c.id === id)?.name ?? id);
      return {
        checks: t.checks.map((k) => ({ name: k.name, expression: k.expression })),
        uniques: t.uniques.map((u) => ({ name: u.name, columns: names(u.columns) })),
        foreignKeys: t.foreignKeys.map((k) => ({ name: k.name, columns: names(k.columns), refTable: k.refSchema === null ? (design.tables.find((p) => p.id === k.refTable)?.name ?? k.refTable) : k.refTable })),
      };
    },
    referencedBy: (table) => engine.referencedBy(table),
  };
}
