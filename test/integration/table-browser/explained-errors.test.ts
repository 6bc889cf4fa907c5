import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExplainedError } from '../../../shared/model/explained-error';
import type { RowChange } from '../../../shared/model/table-query';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { fixtures, type EngineFixture } from './fixtures';
import { columnOf } from './helpers';

/**
 * Constraint and limit violations on Apply, through the real apply path on each engine: the
 * dialect's explainer plus the catalog say what broke, where (table, column, constraint, its
 * definition, the key) and keep the engine's text as evidence. SQLite enforces neither length nor
 * range: Review SQL's declared-type warning speaks for it, and Apply stores the value.
 */
describe.each(fixtures)('explained Apply errors on $engine', ({ engine, create }) => {
  let f: EngineFixture;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const items = () => ({ schema: f.schema, name: 'items' });
  const read = async (name = 'items') =>
    w.client.call('table.window', { connectionId: id, query: { table: { schema: f.schema, name } }, window: { offset: 0, limit: 100 } });
  const versionOf = (win: Awaited<ReturnType<typeof read>>, rowId: number) => win.versions![columnOf(win, 'id').findIndex((v) => Number(v) === rowId)]!;
  const apply = (changes: RowChange[], name = 'items') => w.client.call('table.applyEdits', { connectionId: id, edits: { table: { schema: f.schema, name }, changes } });
  /** Applies one change, expects it refused, and returns its explanation. */
  const refused = async (change: RowChange, name = 'items'): Promise<ExplainedError> => {
    const r = await apply([change], name);
    expect(r.applied).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ changeId: change.id, kind: 'error' });
    const e = r.problems[0]!.explained;
    if (!e) throw new Error(`not explained: ${r.problems[0]!.message}`);
    expect(r.problems[0]!.message).toContain(e.summary);
    expect(e.evidence.message.length).toBeGreaterThan(0);
    return e;
  };
  const update = async (rowId: number, values: { column: string; value: unknown }[]): Promise<RowChange> =>
    ({ kind: 'update', id: `u${rowId}`, rowId: [rowId], version: versionOf(await read(), rowId), values }) as RowChange;

  beforeAll(async () => {
    f = await create();
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, f.url);
    await w.client.call('connections.open', { id });
  });
  beforeEach(async () => {
    await f.exec('DROP TABLE IF EXISTS items');
    await f.exec('DROP TABLE IF EXISTS parent');
    const pk = f.engine === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'int PRIMARY KEY';
    await f.exec(`CREATE TABLE parent (id ${pk}, label varchar(20))`);
    await f.exec(
      `CREATE TABLE items (id ${pk}, email varchar(40) NOT NULL, code varchar(5), small smallint, qty int, parent_id int,` +
        ` CONSTRAINT items_email_unique UNIQUE (email), CONSTRAINT qty_positive CHECK (qty > 0),` +
        ` CONSTRAINT items_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id))`,
    );
    await f.exec(`INSERT INTO parent VALUES (1, 'one'), (2, 'two')`);
    await f.exec(`INSERT INTO items VALUES (1, 'ada@example.com', 'A1', 1, 5, 1), (2, 'grace@example.com', 'G2', 2, 6, 2)`);
    await w.client.call('schema.table', { connectionId: id, table: items() });
    await w.client.call('schema.table', { connectionId: id, table: { schema: f.schema, name: 'parent' } });
  });
  afterAll(async () => {
    await t?.close();
    await f?.drop();
  });

  it('unique: names the column, the constraint, its definition and the existing key', async () => {
    const e = await refused(await update(2, [{ column: 'email', value: 'ada@example.com' }]));
    expect(e).toMatchObject({ kind: 'unique', table: 'items', column: 'email', columns: ['email'], constraint: 'items_email_unique', definition: 'UNIQUE (email)' });
    expect(e.key).toEqual({ columns: ['email'], values: ['ada@example.com'] });
    expect(e.summary).toContain('ada@example.com');
    if (engine === 'postgresql') expect(e.evidence.detail).toBe('Key (email)=(ada@example.com) already exists.');
  });

  it('unique on an insert of an existing primary key', async () => {
    const e = await refused({ kind: 'insert', id: 'i1', values: [{ column: 'id', value: 1 }, { column: 'email', value: 'new@example.com' }] });
    expect(e).toMatchObject({ kind: 'unique', column: 'id', columns: ['id'], definition: 'PRIMARY KEY (id)' });
    expect(e.key).toEqual({ columns: ['id'], values: ['1'] });
  });

  it('foreign key, missing: the key that is not in the referenced table, and which table that is', async () => {
    const e = await refused({ kind: 'insert', id: 'i2', values: [{ column: 'id', value: 3 }, { column: 'email', value: 'x@example.com' }, { column: 'parent_id', value: 999 }] });
    expect(e).toMatchObject({
      kind: 'foreign-key',
      direction: 'missing',
      column: 'parent_id',
      constraint: 'items_parent_fk',
      definition: 'FOREIGN KEY (parent_id) REFERENCES parent (id)',
      otherTable: { name: 'parent', columns: ['id'] },
    });
    expect(e.key).toEqual({ columns: ['parent_id'], values: ['999'] });
    if (engine === 'postgresql') expect(e.evidence.detail).toMatch(/Key \(parent_id\)=\(999\) is not present in table "parent"/);
  });

  it('foreign key, referenced: a parent row other rows still point at cannot be deleted', async () => {
    const win = await read('parent');
    const e = await refused({ kind: 'delete', id: 'd1', rowId: [1], version: versionOf(win, 1) }, 'parent');
    expect(e).toMatchObject({ kind: 'foreign-key', direction: 'referenced', table: 'parent', constraint: 'items_parent_fk', otherTable: { name: 'items', columns: ['parent_id'] } });
    expect(e.key).toEqual({ columns: ['id'], values: ['1'] });
  });

  it('NOT NULL: the column that needs a value', async () => {
    const e = await refused(await update(1, [{ column: 'email', value: null }]));
    expect(e).toMatchObject({ kind: 'not-null', column: 'email', columns: ['email'] });
    expect(e.definition).toMatch(/^email varchar\(40\) NOT NULL$|^email character varying\(40\) NOT NULL$/i);
  });

  it('CHECK: the constraint, its expression and the column it reads', async () => {
    const e = await refused(await update(1, [{ column: 'qty', value: -1 }]));
    expect(e).toMatchObject({ kind: 'check', constraint: 'qty_positive', column: 'qty' });
    expect(e.definition).toMatch(/^CHECK \(.*qty.*>\s*0.*\)$/);
  });

  if (engine === 'sqlite') {
    it('too long and out of range: SQLite stores them; Review SQL warns before Apply', async () => {
      const change = await update(1, [
        { column: 'code', value: 'TOOLONG1' },
        { column: 'small', value: 99999 },
      ]);
      const preview = await w.client.call('table.previewEdits', { connectionId: id, edits: { table: items(), changes: [change] } });
      expect(preview.warnings.map((x) => x.column).sort()).toEqual(['code', 'small']);
      expect((await apply([change])).applied).toBe(true);
    });
  } else {
    it('too long: the column, its declared type, and the grid row instead of the statement’s', async () => {
      const e = await refused(await update(1, [{ column: 'code', value: 'TOOLONG1' }]));
      expect(e).toMatchObject({ kind: 'too-long', column: 'code', columns: ['code'] });
      expect(e.definition).toMatch(/^code (varchar|character varying)\(5\)$/);
      if (engine === 'mariadb') expect(e.statementRow).toBe(1);
    });

    it('out of range: the column and its type', async () => {
      const e = await refused(await update(2, [{ column: 'small', value: 99999 }]));
      expect(e).toMatchObject({ kind: 'out-of-range', column: 'small', columns: ['small'] });
      expect(e.definition).toMatch(/^small smallint(\(6\))?$/);
      expect(e.summary).toContain('99999');
    });
  }
});
