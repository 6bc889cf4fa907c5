import { describe, expect, it } from 'vitest';
import { changeBytes, checkEditBatch, explainWritesetRefusal, splitChanges } from '../../../electron/core/engines/mysql/galera/writeset-limits';
import type { EditRequest, RowChange } from '../../../shared/model/table-query';

const table = { schema: 'testdb', name: 't' };
const update = (i: number, text = 'x'): RowChange => ({ kind: 'update', id: `u:${i}`, rowId: [i], version: 'v', values: [{ column: 'v', value: text }] });
const insert = (i: number, bytes: number): RowChange => ({ kind: 'insert', id: `i:${i}`, values: [{ column: 'v', value: 'y'.repeat(bytes) }] });
const batch = (changes: RowChange[], transactions?: string[][]): EditRequest => ({ table, changes, ...(transactions ? { transactions } : {}) });
const unlimited = { maxRows: 0, maxBytes: 2 ** 31 - 1 };

describe('staged edits against Galera’s write set limits', () => {
  it('a batch within both limits passes', () => {
    expect(checkEditBatch(batch([update(1), update(2)]), unlimited, 100)).toBeNull();
    expect(checkEditBatch(batch([update(1), update(2)]), { maxRows: 2, maxBytes: 2 ** 31 - 1 }, 100)).toBeNull();
  });

  it('more rows than wsrep_max_ws_rows: refused with the reason and a split into transactions of at most that many rows, in order', () => {
    const changes = Array.from({ length: 12 }, (_, i) => update(i + 1));
    const limit = checkEditBatch(batch(changes), { maxRows: 5, maxBytes: 2 ** 31 - 1 }, 100)!;
    expect(limit).toMatchObject({ variable: 'wsrep_max_ws_rows', value: 5, batch: 12, estimated: false });
    expect(limit.split).toEqual([changes.slice(0, 5).map((c) => c.id), changes.slice(5, 10).map((c) => c.id), changes.slice(10).map((c) => c.id)]);
    expect(limit.reason).toContain('These 12 changes in one transaction would write 12 rows, but this Galera cluster refuses a transaction of more than 5 rows (wsrep_max_ws_rows = 5)');
    expect(limit.reason).toContain('as 3 separate transactions instead (5 + 5 + 2 changes)');
    expect(limit.reason).toContain('not all or nothing');
    // The split the user agreed to fits: nothing more to say.
    expect(checkEditBatch(batch(changes, limit.split!), { maxRows: 5, maxBytes: 2 ** 31 - 1 }, 100)).toBeNull();
    // A split of the user's own that does not fit is refused again.
    const bad = checkEditBatch(batch(changes, [changes.slice(0, 6).map((c) => c.id), changes.slice(6).map((c) => c.id)]), { maxRows: 5, maxBytes: 2 ** 31 - 1 }, 100)!;
    expect(bad.reason).toMatch(/^One of the 2 transactions chosen would write 6 rows/);
  });

  it('an estimated write set over wsrep_max_ws_size: split by size, the estimate said to be one', () => {
    const changes = Array.from({ length: 10 }, (_, i) => insert(i + 1, 1000));
    const limit = checkEditBatch(batch(changes), { maxRows: 0, maxBytes: 8192 }, 0)!;
    expect(limit).toMatchObject({ variable: 'wsrep_max_ws_size', value: 8192, estimated: true });
    expect(limit.reason).toContain('would replicate about 32 KiB (an estimate)');
    expect(limit.reason).toContain('wsrep_max_ws_size = 8.0 KiB');
    // 3 × 1000 + 300 per insert; 90 % of 8192 leaves room for two at a time.
    expect(limit.split!.map((g) => g.length)).toEqual([2, 2, 2, 2, 2]);
    expect(limit.split!.flat()).toEqual(changes.map((c) => c.id));
  });

  it('a change that alone carries more values than wsrep_max_ws_size: refused outright, no split', () => {
    const limit = checkEditBatch(batch([update(1), insert(2, 5000)]), { maxRows: 0, maxBytes: 4096 }, 100)!;
    expect(limit).toMatchObject({ variable: 'wsrep_max_ws_size', split: null, estimated: false, batch: 5000 });
    expect(limit.reason).toMatch(/^One change alone writes 4\.9 KiB of values, more than this Galera cluster lets one transaction replicate/);
  });

  it('a single change whose estimate is over the size limit, but not its values, is left to the server', () => {
    expect(checkEditBatch(batch([insert(1, 3000)]), { maxRows: 0, maxBytes: 4096 }, 0)).toBeNull();
    expect(splitChanges([insert(1, 3000), insert(2, 3000)], { maxRows: 0, maxBytes: 4096 }, 0)).toEqual([['i:1'], ['i:2']]);
  });

  it('estimates updates and deletes from the table’s row length, inserts from their values', () => {
    expect(changeBytes(insert(1, 500), 2000)).toEqual({ estimate: 1800, minimum: 500 });
    expect(changeBytes(update(1, 'é'), 1000)).toEqual({ estimate: 2000 + 6 + 300, minimum: 2 });
    expect(changeBytes({ kind: 'delete', id: 'd', rowId: [1], version: 'v' }, 1000)).toEqual({ estimate: 1300, minimum: 0 });
  });

  it('explains the server’s own refusal', () => {
    expect(explainWritesetRefusal('wsrep_max_ws_rows exceeded')).toMatch(/triggers or cascading foreign keys may have added rows\. Nothing was applied\.$/);
    expect(explainWritesetRefusal('Maximum writeset size exceeded')).toContain('(wsrep_max_ws_size)');
    expect(explainWritesetRefusal('Duplicate entry')).toBe('Duplicate entry');
  });
});
