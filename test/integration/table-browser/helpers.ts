import type { DbDeskClient } from '../../../shared/ipc/client';
import type { TableQueryInput, TableWindow } from '../../../shared/model/table-query';
import type { CellValue } from '../../../shared/model/values';

/** Every value of one column of a window, by name. */
export function columnOf(w: TableWindow, name: string): CellValue[] {
  const i = w.batch.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`no column ${name} in ${w.batch.columns.map((c) => c.name).join(', ')}`);
  return w.batch.values[i]!;
}

/** Reads a whole view window by window with plain offsets. */
export async function readAllByOffset(client: DbDeskClient, connectionId: string, query: TableQueryInput, limit = 37): Promise<TableWindow[]> {
  const out: TableWindow[] = [];
  for (let offset = 0; ; offset += limit) {
    const w = await client.call('table.window', { connectionId, query, window: { offset, limit } });
    out.push(w);
    if (w.batch.rowCount < limit) return out;
  }
}

/** Reads a whole view by keyset: each window starts after the previous window's last key. */
export async function readAllByKeyset(client: DbDeskClient, connectionId: string, query: TableQueryInput, limit = 37): Promise<TableWindow[]> {
  const out: TableWindow[] = [await client.call('table.window', { connectionId, query, window: { offset: 0, limit } })];
  for (;;) {
    const prev = out[out.length - 1]!;
    if (prev.batch.rowCount < limit) return out;
    if (!prev.keys) throw new Error('the view gave no keys');
    out.push(await client.call('table.window', { connectionId, query, window: { offset: 0, limit, anchor: { key: prev.keys.last, direction: 'after' } } }));
  }
}

/** One column over several windows; integer text (bigint keys arrive as exact strings) as numbers for comparing. */
export function ids(windows: TableWindow[], column = 'id'): CellValue[] {
  return windows.flatMap((w) => columnOf(w, column)).map((v) => (typeof v === 'string' && /^-?\d{1,15}$/.test(v) ? Number(v) : v));
}
