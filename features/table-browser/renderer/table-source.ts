import type { TableQueryInput, TableWindow } from '../../../shared/model/table-query';
import type { CellValue } from '../../../shared/model/values';
import type { GridColumn, GridDataSource, RowCountInfo, WindowFetch, WindowResult } from '../../../renderer/src/ui/data-grid/core/types';
import { client } from '../../../renderer/src/ipc/client';

/** What the table source keeps per window besides the rows: identities and fingerprints for edits. */
export interface TableWindowExtra {
  rowIds: TableWindow['rowIds'];
  versions: TableWindow['versions'];
  strategy: TableWindow['strategy'];
}

/** A table view (filter, raw WHERE, sort) as a grid data source over `table.window` and `table.count`. */
export class TableSource implements GridDataSource {
  /** How the last window was found, for the status line. */
  lastStrategy: TableWindow['strategy'] | null = null;

  constructor(
    readonly connectionId: string,
    readonly query: TableQueryInput,
    readonly columns: GridColumn[],
  ) {}

  /** `signal`: a count nobody waits for any more (the view changed) is stopped on the server too. */
  async count(signal?: AbortSignal): Promise<RowCountInfo> {
    return client.call('table.count', { connectionId: this.connectionId, query: this.query }, { signal });
  }

  async fetch(request: WindowFetch): Promise<WindowResult> {
    const rowKeys = request.splitInto !== undefined && request.splitInto < request.count;
    const window = request.anchor
      ? { offset: request.anchor.skip, limit: request.count, anchor: { key: request.anchor.key as CellValue[], direction: request.anchor.direction }, rowKeys }
      : request.offsetFromEnd !== undefined
        ? { offset: request.offsetFromEnd, limit: request.count, fromEnd: true, rowKeys }
        : { offset: request.start, limit: request.count, rowKeys };
    // A window scrolled past is aborted by the grid: the signal cancels its query on the server.
    const w = await client.call('table.window', { connectionId: this.connectionId, query: this.query, window }, { signal: request.signal });
    this.lastStrategy = w.strategy;
    const extra: TableWindowExtra = { rowIds: w.rowIds, versions: w.versions, strategy: w.strategy };
    const keyColumns = w.rowKeys;
    return {
      batch: w.batch,
      keys: w.keys,
      truncated: w.truncated,
      extra,
      ...(keyColumns ? { keyAt: (r: number) => keyColumns.map((col) => col[r]!) } : {}),
    };
  }

  slice(result: WindowResult, start: number, end: number): WindowResult {
    const extra = result.extra as TableWindowExtra;
    const batch = { columns: result.batch.columns, values: result.batch.values.map((col) => col.slice(start, end)), rowCount: end - start };
    const truncated = (result.truncated ?? []).filter(([, r]) => r >= start && r < end).map(([c, r]) => [c, r - start] as const);
    const part: TableWindowExtra = { rowIds: extra.rowIds?.map((col) => col.slice(start, end)) ?? null, versions: extra.versions?.slice(start, end) ?? null, strategy: extra.strategy };
    return { batch, keys: null, truncated, extra: part };
  }
}
