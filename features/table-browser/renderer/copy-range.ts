import type { TableRef } from '../../../shared/model/schema';
import type { CellValue } from '../../../shared/model/values';
import { client } from '../../../renderer/src/ipc/client';
import { formatSelection, type CopyFormat } from '../../../renderer/src/ui/data-grid/core/clipboard-format';
import type { CellRange } from '../../../renderer/src/ui/data-grid/core/selection';
import type { GridColumn } from '../../../renderer/src/ui/data-grid/core/types';
import type { WindowController } from '../../../renderer/src/ui/data-grid/core/window-controller';
import { toast } from '../../../renderer/src/ui/toasts';
import { errorOf } from '../../connections/renderer/connection-actions';
import type { TableRows } from './table-rows';

const MAX_COPY_ROWS = 100_000;
const MAX_WHOLE_VALUES = 200;

export async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Without clipboard permission (an insecure origin, a headless browser): the old way.
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/**
 * Copies a selection as TSV, CSV, JSON or Markdown. Rows not in the cache are read (by key,
 * window after window); values the grid shows cut are fetched whole, so what lands on the
 * clipboard is exactly what is stored.
 */
export async function copyRange(
  controller: WindowController,
  rows: TableRows,
  columns: GridColumn[],
  range: CellRange,
  format: CopyFormat,
  shownValue: (row: number, col: number) => { value: CellValue; truncated: boolean } | null,
  ctx: { connectionId: string; table: TableRef },
): Promise<void> {
  const n = range.bottom - range.top + 1;
  if (n > MAX_COPY_ROWS) {
    toast({ level: 'warning', title: `Copy takes at most ${MAX_COPY_ROWS.toLocaleString('en-US')} rows`, message: 'Export larger selections to a file instead.' });
    return;
  }
  try {
    // Make sure every row of the range is readable: fetch what the cache lacks.
    const ins = rows.insertCount;
    const dataStart = Math.max(range.top, ins) - ins;
    const dataEnd = range.bottom + 1 - ins;
    let fetched: Map<number, ReturnType<typeof controller.row>> | null = null;
    const missing = dataEnd > dataStart && Array.from({ length: dataEnd - dataStart }, (_, k) => controller.blockOf(dataStart + k)).some((b) => b === null);
    if (missing) {
      const views = await controller.readRange(dataStart, dataEnd, new AbortController().signal);
      fetched = new Map(views.map((v, k) => [dataStart + k, { status: 'ready' as const, row: v }]));
    }
    const out: CellValue[][] = [];
    const whole: { r: number; c: number; rowId: CellValue[] }[] = [];
    let unreachable = 0;
    for (let r = range.top; r <= range.bottom; r++) {
      const line: CellValue[] = [];
      for (let c = range.left; c <= range.right; c++) {
        let shown = shownValue(r, c);
        if (!shown && fetched) {
          const state = fetched.get(r - ins);
          if (state?.status === 'ready') shown = { value: state.row.cell(c), truncated: state.row.isTruncated(c) };
        }
        line.push(shown?.value ?? null);
        if (shown?.truncated) {
          const info = rows.info(r);
          if (info.kind === 'data' && info.ref) whole.push({ r: out.length, c: c - range.left, rowId: info.ref.rowId });
          else unreachable++;
        }
      }
      out.push(line);
    }
    if (whole.length > MAX_WHOLE_VALUES || unreachable > 0) {
      toast({ level: 'warning', title: 'Too many long values to copy whole', message: 'Export the rows to a file to get every value in full.' });
      return;
    }
    for (const w of whole) {
      const cell = await client.call('table.cell', { connectionId: ctx.connectionId, table: ctx.table, rowId: w.rowId, column: columns[range.left + w.c]!.name });
      out[w.r]![w.c] = cell.value;
    }
    const text = formatSelection(
      format,
      columns.slice(range.left, range.right + 1).map((c) => c.name),
      out,
    );
    await writeClipboard(text);
    toast({ level: 'success', title: `Copied ${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'} × ${range.right - range.left + 1} as ${format.toUpperCase()}` });
  } catch (err) {
    toast({ level: 'error', title: 'Could not copy', message: errorOf(err).message });
  }
}
