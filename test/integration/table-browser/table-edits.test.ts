import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RowChange } from '../../../shared/model/table-query';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { fixtures, type EngineFixture } from './fixtures';
import { columnOf } from './helpers';

describe.each(fixtures)('staged edits on $engine', ({ engine, create }) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const table = () => ({ schema: f.schema, name: 'people' });
  const rowsNow = async () =>
    (await f.exec(`SELECT id, name, qty FROM people ORDER BY id`)).map((r) => ({ id: Number(r.id), name: r.name, qty: r.qty === null ? null : Number(r.qty) }));
  const read = async () => w.client.call('table.window', { connectionId: id, query: { table: table() }, window: { offset: 0, limit: 100 } });
  /** The version the grid read for a row, as the renderer would send it back. */
  const versionOf = (win: Awaited<ReturnType<typeof read>>, rowId: number) => win.versions![columnOf(win, 'id').findIndex((v) => Number(v) === rowId)]!;
  const apply = (changes: RowChange[], extra: { connectionId?: string; confirmDatabase?: string } = {}) =>
    w.client.call('table.applyEdits', { connectionId: extra.connectionId ?? id, edits: { table: table(), changes }, ...(extra.confirmDatabase !== undefined ? { confirmDatabase: extra.confirmDatabase } : {}) });

  beforeAll(async () => {
    f = await create();
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, f.url);
    await w.client.call('connections.open', { id });
  });
  beforeEach(async () => {
    await f.exec('DROP TABLE IF EXISTS people');
    await f.exec(`CREATE TABLE people (id ${f.types.bigint} PRIMARY KEY, name ${f.engine === 'mariadb' ? 'varchar(100)' : f.types.text} NOT NULL UNIQUE, qty ${f.types.int})`);
    for (const [i, name] of ['ada', 'grace', 'alan', 'edsger', 'barbara'].entries()) await f.exec('INSERT INTO people VALUES (?, ?, ?)', [i + 1, name, (i + 1) * 10]);
    await w.client.call('schema.table', { connectionId: id, table: table() });
  });
  afterAll(async () => {
    await t?.close();
    await f?.drop();
  });

  it('previews exactly the statements Apply runs: BEGIN, a check per row, the writes with bound values, COMMIT', async () => {
    const win = await read();
    const { statements, confirmationName } = await w.client.call('table.previewEdits', {
      connectionId: id,
      edits: { table: table(), changes: [{ kind: 'update', id: 'u1', rowId: [1], version: versionOf(win, 1), values: [{ column: 'name', value: "O'Brien; DROP TABLE people" }] }] },
    });
    expect(confirmationName).toBeNull();
    expect(statements.map((s) => s.purpose)).toEqual(['begin', 'check', 'update', 'commit']);
    const update = statements[2]!;
    expect(update.sql).not.toContain("O'Brien");
    expect(update.params).toEqual(["O'Brien; DROP TABLE people", 1]);
    expect(statements[1]!.sql).toMatch(engine === 'sqlite' ? /^SELECT .* WHERE "id" = \?$/ : /FOR UPDATE$/);
    expect(statements[0]!.sql).toBe(engine === 'sqlite' ? 'BEGIN IMMEDIATE' : engine === 'mariadb' ? 'START TRANSACTION' : 'BEGIN');
  });

  it('applies updates, inserts and deletes in one transaction', async () => {
    const win = await read();
    const result = await apply([
      { kind: 'update', id: 'u', rowId: [2], version: versionOf(win, 2), values: [{ column: 'qty', value: '21' }, { column: 'name', value: 'Grace Hopper' }] },
      { kind: 'insert', id: 'i', values: [{ column: 'id', value: '6' }, { column: 'name', value: 'katherine' }, { column: 'qty', value: null }] },
      { kind: 'delete', id: 'd', rowId: [3], version: versionOf(win, 3) },
    ]);
    expect(result).toEqual({ applied: true, rowsAffected: 3, problems: [] });
    expect(await rowsNow()).toEqual([
      { id: 1, name: 'ada', qty: 10 },
      { id: 2, name: 'Grace Hopper', qty: 21 },
      { id: 4, name: 'edsger', qty: 40 },
      { id: 5, name: 'barbara', qty: 50 },
      { id: 6, name: 'katherine', qty: null },
    ]);
  });

  it('reports a row changed by someone else since it was read as a conflict and applies nothing', async () => {
    const win = await read();
    await f.exec('UPDATE people SET qty = 99 WHERE id = 2');
    const before = await rowsNow();
    const result = await apply([
      { kind: 'update', id: 'first', rowId: [1], version: versionOf(win, 1), values: [{ column: 'qty', value: 11 }] },
      { kind: 'update', id: 'second', rowId: [2], version: versionOf(win, 2), values: [{ column: 'qty', value: 22 }] },
    ]);
    expect(result.applied).toBe(false);
    expect(result.problems).toEqual([{ changeId: 'second', kind: 'conflict', message: expect.stringContaining('changed by someone else') }]);
    expect(await rowsNow()).toEqual(before);
  });

  it('applies a batch as the separate transactions the user agreed to, in order, stopping at the first that fails', async () => {
    const win = await read();
    await f.exec('UPDATE people SET qty = 99 WHERE id = 4'); // the change to row 4 will conflict
    const changes: RowChange[] = [1, 2, 3, 4, 5].map((n) => ({ kind: 'update', id: `u${n}`, rowId: [n], version: versionOf(win, n), values: [{ column: 'qty', value: n }] }));
    const transactions = [['u1', 'u2'], ['u3', 'u4'], ['u5']];
    // Review SQL shows each transaction with its own BEGIN … COMMIT.
    const preview = await w.client.call('table.previewEdits', { connectionId: id, edits: { table: table(), changes, transactions } });
    expect(preview.statements.map((s) => s.purpose).join(' ')).toBe('begin check update check update commit begin check update check update commit begin check update commit');
    expect(preview.limit).toBeNull(); // no write set limit off Galera
    const result = await w.client.call('table.applyEdits', { connectionId: id, edits: { table: table(), changes, transactions } });
    expect(result).toMatchObject({ applied: false, rowsAffected: 2 });
    expect(result.transactions).toEqual([
      { changeIds: ['u1', 'u2'], applied: true, rowsAffected: 2, ran: true },
      { changeIds: ['u3', 'u4'], applied: false, rowsAffected: 0, ran: true },
      { changeIds: ['u5'], applied: false, rowsAffected: 0, ran: false },
    ]);
    expect(result.problems).toEqual([{ changeId: 'u4', kind: 'conflict', message: expect.stringContaining('changed by someone else') }]);
    // The first transaction stayed, the second was rolled back whole (u3 too), the third never ran.
    expect((await rowsNow()).map((r) => r.qty)).toEqual([1, 2, 30, 99, 50]);
    // A split must name every change once, in order.
    await expect(w.client.call('table.applyEdits', { connectionId: id, edits: { table: table(), changes, transactions: [['u2', 'u1'], ['u3', 'u4', 'u5']] } })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(w.client.call('table.applyEdits', { connectionId: id, edits: { table: table(), changes, transactions: [['u1'], ['u2']] } })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it.skipIf(engine === 'sqlite')('a connection killed while changes are applied: an error that says nothing was committed, not a problem with one change', async () => {
    await f.exec('DROP TABLE IF EXISTS slowpoke');
    if (engine === 'postgresql') {
      await f.exec('CREATE TABLE slowpoke (id int PRIMARY KEY)');
      await f.exec('CREATE OR REPLACE FUNCTION slowpoke_nap() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN NEW; END $$ LANGUAGE plpgsql');
      await f.exec('CREATE TRIGGER slowpoke_nap BEFORE INSERT ON slowpoke FOR EACH ROW EXECUTE FUNCTION slowpoke_nap()');
    } else {
      await f.exec('CREATE TABLE slowpoke (id int PRIMARY KEY, slept int NULL)');
      await f.exec('CREATE TRIGGER slowpoke_nap BEFORE INSERT ON slowpoke FOR EACH ROW SET NEW.slept = SLEEP(0.02)');
    }
    const changes: RowChange[] = Array.from({ length: 200 }, (_, i) => ({ kind: 'insert', id: `i${i}`, values: [{ column: 'id', value: i + 1 }] }));
    const applying = w.client.call('table.applyEdits', { connectionId: id, edits: { table: { schema: f.schema, name: 'slowpoke' }, changes } }).then(
      (r) => r,
      (e: unknown) => e as { code?: string; message?: string; detail?: Record<string, unknown> },
    );
    // Find the session that is applying them, and end it from the outside (as a server restart would).
    let killed = false;
    for (let i = 0; i < 100 && !killed; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const sessions =
        engine === 'postgresql'
          ? await f.exec("SELECT pid AS id FROM pg_stat_activity WHERE query LIKE 'INSERT INTO%slowpoke%' AND pid <> pg_backend_pid()")
          : await f.exec("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO%slowpoke%'");
      for (const s of sessions) {
        await f.exec(engine === 'postgresql' ? `SELECT pg_terminate_backend(${Number(s.id)})` : `KILL CONNECTION ${Number(s.id)}`);
        killed = true;
      }
    }
    expect(killed).toBe(true);
    const outcome = await applying;
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ code: 'connection-failed', detail: { committed: 'no' } });
    expect((outcome as { message: string }).message).toMatch(/^The connection to the server was lost while the changes were being applied \(.+\)\. They had not been committed, so nothing was applied; they are still staged\.$/);
    expect(await f.exec('SELECT COUNT(*) AS c FROM slowpoke')).toEqual([{ c: expect.anything() }]);
    expect(Number((await f.exec('SELECT COUNT(*) AS c FROM slowpoke'))[0]!.c)).toBe(0);
    // The connection's pool recovers: the next apply works.
    const again = await w.client.call('table.applyEdits', { connectionId: id, edits: { table: { schema: f.schema, name: 'slowpoke' }, changes: changes.slice(0, 3) } });
    expect(again).toMatchObject({ applied: true, rowsAffected: 3 });
  });

  it('reports a row deleted since it was read as a conflict', async () => {
    const win = await read();
    await f.exec('DELETE FROM people WHERE id = 4');
    const result = await apply([
      { kind: 'delete', id: 'gone', rowId: [4], version: versionOf(win, 4) },
      { kind: 'delete', id: 'here', rowId: [5], version: versionOf(win, 5) },
    ]);
    expect(result).toMatchObject({ applied: false, problems: [{ changeId: 'gone', kind: 'conflict', message: expect.stringContaining('deleted') }] });
    expect((await rowsNow()).map((r) => r.id)).toEqual([1, 2, 3, 5]);
  });

  it('rolls everything back when one statement fails, and names the change with the server’s message', async () => {
    const win = await read();
    const before = await rowsNow();
    const result = await apply([
      { kind: 'update', id: 'fine', rowId: [1], version: versionOf(win, 1), values: [{ column: 'qty', value: 12345 }] },
      { kind: 'insert', id: 'dup', values: [{ column: 'id', value: 7 }, { column: 'name', value: 'ada' }] },
      { kind: 'insert', id: 'never', values: [{ column: 'id', value: 8 }, { column: 'name', value: 'x' }] },
    ]);
    expect(result.applied).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ changeId: 'dup', kind: 'error' });
    expect(result.problems[0]!.message).toMatch(/unique|duplicate/i);
    expect(await rowsNow()).toEqual(before);
  });

  it('refuses edits on a read-only connection, with the reason', async () => {
    const roId = await saveProfileFromUrl(w.client, f.url, { readOnly: true, name: 'read only' });
    await w.client.call('connections.open', { id: roId });
    const win = await w.client.call('table.window', { connectionId: roId, query: { table: table() }, window: { offset: 0, limit: 5 } });
    const change: RowChange = { kind: 'update', id: 'x', rowId: [1], version: versionOf(win, 1), values: [{ column: 'qty', value: 1 }] };
    await expect(w.client.call('table.previewEdits', { connectionId: roId, edits: { table: table(), changes: [change] } })).rejects.toMatchObject({ code: 'read-only' });
    await expect(apply([change], { connectionId: roId })).rejects.toMatchObject({ code: 'read-only', message: expect.stringContaining('read-only') });
    expect((await rowsNow())[0]!.qty).toBe(10);
    await w.client.call('connections.close', { id: roId });
  });

  it('asks for the database name before applying on a production connection', async () => {
    const prodId = await saveProfileFromUrl(w.client, f.url, { production: true, name: 'prod' });
    const open = await w.client.call('connections.open', { id: prodId });
    const expectedName = engine === 'sqlite' ? 'test.db' : open.serverInfo.currentDatabase!;
    const win = await w.client.call('table.window', { connectionId: prodId, query: { table: table() }, window: { offset: 0, limit: 5 } });
    const change: RowChange = { kind: 'update', id: 'x', rowId: [1], version: versionOf(win, 1), values: [{ column: 'qty', value: 77 }] };
    const preview = await w.client.call('table.previewEdits', { connectionId: prodId, edits: { table: table(), changes: [change] } });
    expect(preview.confirmationName).toBe(expectedName);
    await expect(apply([change], { connectionId: prodId })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining(expectedName) });
    await expect(apply([change], { connectionId: prodId, confirmDatabase: 'wrong' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await rowsNow())[0]!.qty).toBe(10);
    expect(await apply([change], { connectionId: prodId, confirmDatabase: expectedName })).toMatchObject({ applied: true });
    expect((await rowsNow())[0]!.qty).toBe(77);
    await w.client.call('connections.close', { id: prodId });
  });

  it('edits a table without a primary key the way the engine allows', async () => {
    await f.exec('DROP TABLE IF EXISTS loose');
    await f.exec(`CREATE TABLE loose (label ${f.engine === 'mariadb' ? 'varchar(20)' : f.types.text}, n ${f.types.int})`);
    await f.exec("INSERT INTO loose VALUES ('a', 1), ('a', 1), ('b', 2)");
    const ref = { schema: f.schema, name: 'loose' };
    const detail = await w.client.call('schema.table', { connectionId: id, table: ref });
    const win = await w.client.call('table.window', { connectionId: id, query: { table: ref }, window: { offset: 0, limit: 10 } });
    expect(win.batch.rowCount).toBe(3);
    if (engine === 'mariadb') {
      expect(detail.rowIdentity).toMatchObject({ kind: 'none', reason: expect.stringContaining('primary key') });
      expect(win.rowIds).toBeNull();
      await expect(
        w.client.call('table.applyEdits', { connectionId: id, edits: { table: ref, changes: [{ kind: 'insert', id: 'i', values: [{ column: 'n', value: 3 }] }] } }),
      ).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('primary key') });
      return;
    }
    expect(detail.rowIdentity.kind).toBe(engine === 'sqlite' ? 'rowid' : 'ctid');
    if (detail.rowIdentity.kind === 'ctid') expect(detail.rowIdentity.warning).toMatch(/ctid/);
    // Two identical rows: only the second one changes, found by its rowid/ctid.
    const second = win.rowIds!.map((col) => col[1]!);
    const result = await w.client.call('table.applyEdits', {
      connectionId: id,
      edits: { table: ref, changes: [{ kind: 'update', id: 'u', rowId: second, version: win.versions![1]!, values: [{ column: 'n', value: 10 }] }] },
    });
    expect(result).toEqual({ applied: true, rowsAffected: 1, problems: [] });
    expect((await f.exec('SELECT n FROM loose ORDER BY n')).map((r) => Number(r.n))).toEqual([1, 2, 10]);
  });
});
