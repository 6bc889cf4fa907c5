import type { TableQueryInput, TableWindow } from '../../../../shared/model/table-query';
import type { CellValue } from '../../../../shared/model/values';
import type { GridColumn, GridDataSource, RowCountInfo, WindowFetch, WindowResult } from '../../ui/data-grid/core/types';
import { client } from '../../ipc/client';

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

  async count(): Promise<RowCountInfo> {
    return client.call('table.count', { connectionId: this.connectionId, query: this.query });
  }

  async fetch(request: WindowFetch): Promise<WindowResult> {
    const window = request.anchor
      ? { offset: request.anchor.skip, limit: request.count, anchor: { key: request.anchor.key as CellValue[], direction: request.anchor.direction } }
      : request.offsetFromEnd !== undefined
        ? { offset: request.offsetFromEnd, limit: request.count, fromEnd: true }
        : { offset: request.start, limit: request.count };
    const w = await client.call('table.window', { connectionId: this.connectionId, query: this.query, window });
    this.lastStrategy = w.strategy;
    const extra: TableWindowExtra = { rowIds: w.rowIds, versions: w.versions, strategy: w.strategy };
    return { batch: w.batch, keys: w.keys, truncated: w.truncated, extra };
  }
}
