import type { RowDataPacket } from 'mysql2/promise';
import type { EditBatchLimit, EditRequest, EditValue, RowChange } from '../../../../../shared/model/table-query';
import type { Queryable } from './galera-status';

/**
 * Galera's limits on one transaction's write set (galera.md; MariaDB system variables):
 * wsrep_max_ws_rows (0 = no limit) and wsrep_max_ws_size (bytes, at most 2 GiB). A transaction past
 * either is refused — by the row that crosses wsrep_max_ws_rows ("wsrep_max_ws_rows exceeded",
 * 1180) or at COMMIT ("Maximum writeset size exceeded", 1105) — and rolled back whole.
 */
export interface WritesetLimits {
  maxRows: number;
  maxBytes: number;
}

/** The limits of the node this connection talks to; null when it is not a Galera node (wsrep_on off). */
export async function readWritesetLimits(q: Queryable): Promise<WritesetLimits | null> {
  const [rows] = await q.query<RowDataPacket[]>("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_max_ws_rows', 'wsrep_max_ws_size')");
  const v = new Map(rows.map((r) => [String(r.Variable_name).toLowerCase(), String(r.Value)]));
  if ((v.get('wsrep_on') ?? '').toUpperCase() !== 'ON') return null;
  return { maxRows: Number(v.get('wsrep_max_ws_rows') ?? 0) || 0, maxBytes: Number(v.get('wsrep_max_ws_size') ?? 2 ** 31 - 1) || 2 ** 31 - 1 };
}

/** Bytes per row besides its values: keys, row event headers, the write set's own framing (measured: ~300). */
const ROW_OVERHEAD = 300;
/**
 * A split aims below the size limit by this share: the size is an estimate. Measured on MariaDB 10.11
 * with binlog_row_image=FULL: an insert replicates its values about 2–3 times over (3 for BLOBs), an
 * update the whole row before and after, a delete the row once.
 */
const SIZE_HEADROOM = 0.9;

function valueBytes(v: EditValue): number {
  if (v === null) return 0;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (typeof v === 'number') return 8;
  if (typeof v === 'boolean') return 1;
  return v.hex.length / 2;
}

/** What one change adds to the write set: an estimate, and the bytes it carries at the very least (its own values). */
export function changeBytes(change: RowChange, rowBytes: number): { estimate: number; minimum: number } {
  const values = change.kind === 'delete' ? 0 : change.values.reduce((n, c) => n + valueBytes(c.value), 0);
  switch (change.kind) {
    case 'insert':
      return { estimate: 3 * values + ROW_OVERHEAD, minimum: values };
    case 'update':
      return { estimate: 2 * rowBytes + 3 * values + ROW_OVERHEAD, minimum: values };
    case 'delete':
      return { estimate: rowBytes + ROW_OVERHEAD, minimum: 0 };
  }
}

function bytesText(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * Splits a batch, in order, into transactions that each stay within the limits (greedy: as many
 * changes per transaction as fit). A change too big on its own gets a transaction of its own.
 */
export function splitChanges(changes: RowChange[], limits: WritesetLimits, rowBytes: number): string[][] {
  const budget = limits.maxBytes * SIZE_HEADROOM;
  const out: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const c of changes) {
    const { estimate } = changeBytes(c, rowBytes);
    const full = (limits.maxRows > 0 && current.length >= limits.maxRows) || (current.length > 0 && bytes + estimate > budget);
    if (full) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(c.id);
    bytes += estimate;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Whether a staged batch (or each of the transactions the user agreed to split it into) fits one
 * Galera transaction; null when it does. When it does not: the reason, and a split that fits — or
 * none, when a single change carries more than the size limit by itself (refused, nothing runs).
 */
export function checkEditBatch(request: EditRequest, limits: WritesetLimits, rowBytes: number): EditBatchLimit | null {
  const byId = new Map(request.changes.map((c) => [c.id, c]));
  const groups = request.transactions ?? [request.changes.map((c) => c.id)];
  const budget = limits.maxBytes * SIZE_HEADROOM;
  const tooBig = request.changes.find((c) => changeBytes(c, rowBytes).minimum > limits.maxBytes);
  if (tooBig) {
    const min = changeBytes(tooBig, rowBytes).minimum;
    return {
      variable: 'wsrep_max_ws_size',
      value: limits.maxBytes,
      batch: min,
      estimated: false,
      reason: `One change alone writes ${bytesText(min)} of values, more than this Galera cluster lets one transaction replicate (wsrep_max_ws_size = ${bytesText(limits.maxBytes)}). It cannot be applied here, in one transaction or several; nothing was run. The DBA can raise wsrep_max_ws_size (at most 2 GiB), or the value can be written in smaller pieces.`,
      split: null,
    };
  }
  for (const ids of groups) {
    const changes = ids.map((id) => byId.get(id)!);
    const rows = changes.length;
    const bytes = changes.reduce((n, c) => n + changeBytes(c, rowBytes).estimate, 0);
    const rowsOver = limits.maxRows > 0 && rows > limits.maxRows;
    // A single change is never split further: if the estimate is over, the server has the last word.
    const sizeOver = rows > 1 && bytes > budget;
    if (!rowsOver && !sizeOver) continue;
    const split = splitChanges(request.changes, limits, rowBytes);
    const what = request.transactions ? `One of the ${groups.length} transactions chosen` : `These ${rows} changes in one transaction`;
    const n = split.length;
    const sizes = split.map((s) => s.length);
    const splitText = `It can be applied as ${n} separate transactions instead (${sizes.length <= 6 ? sizes.join(' + ') : `${sizes[0]} each`} changes), each committed on its own: not all or nothing — if one fails, the ones before it stay applied and the rest do not run.`;
    if (rowsOver) {
      return {
        variable: 'wsrep_max_ws_rows',
        value: limits.maxRows,
        batch: rows,
        estimated: false,
        reason: `${what} would write ${rows} rows, but this Galera cluster refuses a transaction of more than ${limits.maxRows} rows (wsrep_max_ws_rows = ${limits.maxRows}) and rolls all of it back. ${splitText}`,
        split,
      };
    }
    return {
      variable: 'wsrep_max_ws_size',
      value: limits.maxBytes,
      batch: bytes,
      estimated: true,
      reason: `${what} would replicate about ${bytesText(bytes)} (an estimate), more than this Galera cluster accepts in one transaction (wsrep_max_ws_size = ${bytesText(limits.maxBytes)}): it would refuse the COMMIT and roll all of it back. ${splitText}`,
      split,
    };
  }
  return null;
}

/** The server's own refusal of a write set, explained (the estimate missed: triggers, cascades, wide rows). */
export function explainWritesetRefusal(message: string): string {
  if (/wsrep_max_ws_rows exceeded/i.test(message)) {
    return `${message} — the transaction wrote more rows than this Galera cluster allows in one (wsrep_max_ws_rows); triggers or cascading foreign keys may have added rows. Nothing was applied.`;
  }
  if (/Maximum writeset size exceeded/i.test(message)) {
    return `${message} — the transaction replicated more than this Galera cluster allows in one (wsrep_max_ws_size). Nothing was applied. Apply fewer changes at a time.`;
  }
  return message;
}
