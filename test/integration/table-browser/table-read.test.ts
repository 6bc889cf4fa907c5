import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableQueryInput } from '../../../shared/model/table-query';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { createHostileTable, fixtures, HOSTILE_COLUMNS as C, HOSTILE_TABLE, HOSTILE_VALUES, type EngineFixture } from './fixtures';
import { columnOf, ids, readAllByKeyset, readAllByOffset } from './helpers';

describe.each(fixtures)('reading tables on $engine', ({ create }) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const table = () => ({ schema: f.schema, name: HOSTILE_TABLE });
  const view = (extra: Partial<TableQueryInput> = {}): TableQueryInput => ({ table: table(), ...extra });

  beforeAll(async () => {
    f = await create();
    await createHostileTable(f);
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, f.url);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await f?.drop();
  });

  it('reads the first window of a table with a hostile name, columns in order, values exact', async () => {
    const win = await w.client.call('table.window', { connectionId: id, query: view(), window: { offset: 0, limit: 10 } });
    expect(win.batch.columns.map((c) => c.name)).toEqual(Object.values(C));
    expect(ids([win])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // id 7 → HOSTILE_VALUES[7] = null, id 6 → '' : NULL and the empty string stay apart.
    expect(columnOf(win, C.spaced).slice(0, 8)).toEqual([HOSTILE_VALUES[1], HOSTILE_VALUES[2], HOSTILE_VALUES[3], HOSTILE_VALUES[4], HOSTILE_VALUES[5], '', null, HOSTILE_VALUES[0]]);
    expect(String(columnOf(win, C.quote)[0])).toMatch(/^1\.50*$/);
    expect(win.rowIds).toEqual([columnOf(win, C.id)]);
    expect(win.versions).toHaveLength(10);
    expect(win.keys).toEqual({ first: [columnOf(win, C.id)[0]], last: [columnOf(win, C.id)[9]] });
    expect(win.strategy).toBe('offset');
  });

  it('pages the whole table by offset and by keyset to the same rows, in the same order', async () => {
    const byOffset = ids(await readAllByOffset(w.client, id, view()));
    const byKeyset = ids(await readAllByKeyset(w.client, id, view()));
    expect(byOffset).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(byKeyset).toEqual(byOffset);
  });

  it('sorts on the server, several columns, with the key as tiebreak, keyset and offset agreeing', async () => {
    const query = view({ sort: [{ column: C.keyword, direction: 'desc' }, { column: C.unicode, direction: 'asc' }] });
    const byOffset = await readAllByOffset(w.client, id, query, 23);
    const rows = ids(byOffset).map((v, i) => ({ id: v as number, k: ids(byOffset, C.keyword)[i] as number, u: ids(byOffset, C.unicode)[i] as string }));
    const expected = [...rows].sort((a, b) => b.k - a.k || (a.u < b.u ? -1 : a.u > b.u ? 1 : 0) || a.id - b.id);
    expect(rows).toEqual(expected);
    expect(ids(await readAllByKeyset(w.client, id, query, 23))).toEqual(ids(byOffset));
  });

  it('counts exactly when the server manages within the limit, and marks the planner’s estimate when it does not', async () => {
    expect(await w.client.call('table.count', { connectionId: id, query: view(), timeoutMs: 10_000 })).toEqual({ value: 250, exact: true });
    if (f.engine === 'sqlite') return; // SQLite counts in the worker itself, always exactly
    // A raw WHERE that sleeps on every row: 250 rows take seconds, the limit is 100 ms.
    const where = f.engine === 'postgresql' ? 'pg_sleep(0.05) IS NOT NULL' : 'SLEEP(0.05) = 0';
    const started = Date.now();
    const count = await w.client.call('table.count', { connectionId: id, query: view({ where }), timeoutMs: 100 });
    expect(count.exact).toBe(false);
    expect(Number.isInteger(count.value) && count.value >= 0).toBe(true);
    // The count gave up at the limit instead of sleeping through every row (250 × 50 ms = 12.5 s).
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('reads windows from the end and before an anchor', async () => {
    const last = await w.client.call('table.window', { connectionId: id, query: view(), window: { offset: 0, limit: 5, fromEnd: true } });
    expect(ids([last])).toEqual([246, 247, 248, 249, 250]);
    const before = await w.client.call('table.window', { connectionId: id, query: view(), window: { offset: 0, limit: 3, anchor: { key: [100], direction: 'before' } } });
    expect(ids([before])).toEqual([97, 98, 99]);
    const skipped = await w.client.call('table.window', { connectionId: id, query: view(), window: { offset: 10, limit: 3, anchor: { key: [100], direction: 'after' } } });
    expect(ids([skipped])).toEqual([111, 112, 113]);
    expect(skipped.strategy).toBe('keyset+offset');
    // Every row's key on request, so one window can be cut into several cached blocks.
    const keyed = await w.client.call('table.window', { connectionId: id, query: view({ sort: [{ column: C.keyword, direction: 'desc' }] }), window: { offset: 40, limit: 4, rowKeys: true } });
    expect(keyed.rowKeys).toEqual([columnOf(keyed, C.keyword), columnOf(keyed, C.id)]);
    expect(keyed.keys).toEqual({ first: keyed.rowKeys!.map((k) => k[0]), last: keyed.rowKeys!.map((k) => k[3]) });
  });

  it('filters with every operator; hostile values are bound, never spliced', async () => {
    const count = async (conditions: unknown[], combinator: 'and' | 'or' = 'and') =>
      (await w.client.call('table.count', { connectionId: id, query: view({ filter: { kind: 'group', combinator, children: conditions as never } }) })).value;
    const n = HOSTILE_VALUES.length; // 8 values cycle over ids 1..250
    const withValue = (i: number) => Array.from({ length: 250 }, (_, k) => k + 1).filter((x) => x % n === i).length;
    expect(await count([{ kind: 'condition', column: C.spaced, operator: '=', value: "'; DROP TABLE x; --" }])).toBe(withValue(0));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: '=', value: "O'Reilly" }])).toBe(withValue(4));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: '=', value: 'back\\slash' }])).toBe(withValue(3));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: 'contains', value: '%' }])).toBe(withValue(1));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: 'contains', value: '_' }])).toBe(withValue(2));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: 'contains', value: '🎉' }])).toBe(withValue(5));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: 'like', value: 'O%' }])).toBe(withValue(4));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: 'is-null' }])).toBe(withValue(7));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: '=', value: '' }])).toBe(withValue(6));
    expect(await count([{ kind: 'condition', column: C.spaced, operator: 'is-not-null' }])).toBe(250 - withValue(7));
    expect(await count([{ kind: 'condition', column: C.id, operator: 'between', value: '10', to: 19 }])).toBe(10);
    expect(await count([{ kind: 'condition', column: C.id, operator: 'in', values: [1, '2', 3, 999] }])).toBe(3);
    expect(await count([{ kind: 'condition', column: C.id, operator: 'not-in', values: [1, 2] }])).toBe(248);
    expect(await count([{ kind: 'condition', column: C.id, operator: '>=', value: 240 }])).toBe(11);
    expect(await count([{ kind: 'condition', column: C.id, operator: '<>', value: 1 }])).toBe(249);
    expect(await count([{ kind: 'condition', column: C.quote, operator: '>', value: '300.25' }])).toBe(50);
    expect(await count([{ kind: 'condition', column: C.keyword, operator: '=', value: 0 }, { kind: 'condition', column: C.unicode, operator: '=', value: 'v0' }])).toBe(3);
    expect(
      await count(
        [
          { kind: 'condition', column: C.id, operator: '<', value: 3 },
          { kind: 'group', combinator: 'and', children: [{ kind: 'condition', column: C.id, operator: '>', value: 248 }, { kind: 'condition', column: C.keyword, operator: '<>', value: 99 }] },
        ],
        'or',
      ),
    ).toBe(4);
    // The hostile value did nothing to the table.
    expect((await w.client.call('table.count', { connectionId: id, query: view() })).value).toBe(250);
  });

  it('pages a filtered, sorted view by keyset', async () => {
    const query = view({ filter: { kind: 'group', combinator: 'and', children: [{ kind: 'condition', column: C.keyword, operator: 'in', values: [1, 2] }] }, sort: [{ column: C.unicode, direction: 'desc' }] });
    const all = await readAllByKeyset(w.client, id, query, 9);
    const got = ids(all);
    expect(got.length).toBe((await w.client.call('table.count', { connectionId: id, query })).value);
    expect(ids(all, C.keyword).every((k) => k === 1 || k === 2)).toBe(true);
    expect(got).toEqual(ids(await readAllByOffset(w.client, id, query, 9)));
  });

  it('runs a raw WHERE read-only and refuses one that writes or chains statements', async () => {
    const raw = `${f.q(C.keyword)} = 3 -- a trailing comment must not swallow the rest`;
    const win = await w.client.call('table.window', { connectionId: id, query: view({ where: raw }), window: { offset: 0, limit: 100 } });
    expect(columnOf(win, C.keyword).every((k) => k === 3)).toBe(true);
    expect(win.batch.rowCount).toBe(36);
    const smuggled = `1=1); DELETE FROM ${f.q(HOSTILE_TABLE)}; --`;
    await expect(w.client.call('table.window', { connectionId: id, query: view({ where: smuggled }), window: { offset: 0, limit: 5 } })).rejects.toThrow();
    await expect(w.client.call('table.count', { connectionId: id, query: view({ where: smuggled }) })).rejects.toThrow();
    expect((await w.client.call('table.count', { connectionId: id, query: view() })).value).toBe(250);
  });

  it('rejects unknown columns and malformed filters before any SQL runs', async () => {
    await expect(w.client.call('table.window', { connectionId: id, query: view({ sort: [{ column: 'nope', direction: 'asc' }] }), window: { offset: 0, limit: 5 } })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('nope'),
    });
    await expect(w.invoke('table.count', { connectionId: id, query: { table: table(), filter: { kind: 'group', combinator: 'and', children: [{ kind: 'condition', column: C.id, operator: 'in' }] } } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('reads one whole cell by row identity', async () => {
    const cell = await w.client.call('table.cell', { connectionId: id, table: table(), rowId: [5], column: C.spaced });
    expect(cell).toEqual({ value: 'emoji 🎉', size: Buffer.byteLength('emoji 🎉') });
    await expect(w.client.call('table.cell', { connectionId: id, table: table(), rowId: [9999], column: C.spaced })).rejects.toMatchObject({ code: 'not-found' });
  });
});
