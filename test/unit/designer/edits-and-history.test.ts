import { describe, expect, it } from 'vitest';
import {
  addCheck,
  addColumn,
  addForeignKey,
  addIndex,
  addTable,
  addUnique,
  connectColumns,
  DesignError,
  dropColumn,
  dropTable,
  renameTable,
  setPrimaryKey,
  updateColumn,
  updateForeignKey,
} from '../../../features/designer/shared/edits';
import { canRedo, canUndo, record, redo, startHistory, undo } from '../../../features/designer/shared/history';
import { DesignSchema, rekeyByName } from '../../../features/designer/shared/model';
import { shop } from './fixtures';

describe('design edits', () => {
  it('adds a table with an engine-appropriate key column', () => {
    const pg = addTable(shop(), 'invoices');
    const t = pg.design.tables.find((x) => x.id === pg.tableId)!;
    expect(t.columns[0]).toMatchObject({ name: 'id', type: 'bigint', autoIncrement: true, nullable: false });
    expect(t.primaryKey).toMatchObject({ name: 'invoices_pkey' });
    const lite = addTable(shop('sqlite', 'main'), 'invoices');
    expect(lite.design.tables.at(-1)!.columns[0]).toMatchObject({ type: 'INTEGER', autoIncrement: false });
    // The result still satisfies the model's schema (what travels over IPC).
    expect(DesignSchema.safeParse(pg.design).success).toBe(true);
  });

  it('renames the keys and indexes it named after a table or column when that is renamed, but not those already in the database', () => {
    const added = addTable(shop(), undefined);
    let d = added.design;
    const id = added.tableId;
    d = addColumn(d, id, { name: 'code' }).design;
    const code = d.tables.find((t) => t.id === id)!.columns[1]!.id;
    d = addUnique(d, id, [code]).design;
    d = addCheck(d, id, 'length(code) > 1').design;
    d = addUnique(d, id, [code, d.tables.find((t) => t.id === id)!.columns[0]!.id], 'my_own_name').design;
    const names = (x: DesignSchema) => {
      const t = x.tables.find((t) => t.id === id)!;
      return [t.primaryKey?.name, ...t.checks.map((k) => k.name), ...t.uniques.map((u) => u.name)];
    };
    expect(names(d)).toEqual(['new_table_pkey', 'new_table_check', 'new_table_code_key', 'my_own_name']);
    d = renameTable(d, id, 'tr_dup', shop());
    expect(names(d)).toEqual(['tr_dup_pkey', 'tr_dup_check', 'tr_dup_code_key', 'my_own_name']);
    d = updateColumn(d, id, code, { name: 'sku' }, shop());
    expect(names(d)).toEqual(['tr_dup_pkey', 'tr_dup_check', 'tr_dup_sku_key', 'my_own_name']);
    // A name the designer numbered to keep it unique follows too.
    const twice = addTable(addTable(shop(), 'a').design, 'b');
    const clash = { ...twice.design, tables: twice.design.tables.map((t) => (t.name === 'b' ? { ...t, primaryKey: { ...t.primaryKey!, name: 'b_pkey_2' } } : t)) };
    expect(renameTable(clash, twice.tableId, 'c', shop()).tables.find((t) => t.id === twice.tableId)!.primaryKey!.name).toBe('c_pkey');
    // orders is in the database: its constraints keep the names the database has.
    const base = shop();
    const orders = renameTable(base, 't:orders', 'purchases', base).tables.find((t) => t.id === 't:orders')!;
    expect(orders.primaryKey!.name).toBe('orders_pkey');
    expect(orders.foreignKeys[0]!.name).toBe('orders_customer_id_fkey');
    expect(orders.indexes[0]!.name).toBe('orders_total_idx');
  });

  it('refuses duplicate, empty and over-long names, leaving the design as it was', () => {
    const d = shop();
    expect(() => addTable(d, 'Customers')).toThrow(DesignError);
    expect(() => renameTable(d, 't:orders', '  ')).toThrow(/needs a name/);
    expect(() => renameTable(d, 't:orders', 'x'.repeat(64))).toThrow(/63 bytes/);
    expect(() => addColumn(d, 't:orders', { name: 'TOTAL' })).toThrow(/already has a column/);
    expect(d).toEqual(shop());
  });

  it('refuses a default or type that would smuggle in another statement', () => {
    const d = shop();
    expect(() => updateColumn(d, 't:orders', 'c:total', { default: '0; DROP TABLE customers' })).toThrow(/one expression only/);
    expect(() => updateColumn(d, 't:orders', 'c:total', { type: 'int -- x' })).toThrow(/--/);
    expect(() => addCheck(d, 't:orders', "total > 0) OR (1 = 1")).toThrow(/without its/);
    expect(updateColumn(d, 't:orders', 'c:total', { default: "'a;b'" }).tables[1]!.columns[2]!.default).toBe("'a;b'");
  });

  it('dropping a column takes the keys, indexes, checks and references that use it', () => {
    let d = shop();
    d = addCheck(d, 't:orders', 'total >= 0').design;
    d = dropColumn(d, 't:orders', 'c:total');
    const orders = d.tables[1]!;
    expect(orders.indexes).toEqual([]);
    expect(orders.checks).toEqual([]);
    // Dropping the referenced key column drops the foreign key pointing at it.
    d = addColumn(d, 't:customers', { name: 'email' }).design;
    d = dropColumn(d, 't:customers', 'c:id');
    expect(d.tables[0]!.primaryKey).toBeNull();
    expect(d.tables[1]!.foreignKeys).toEqual([]);
  });

  it('dropping a table drops the foreign keys that point at it', () => {
    const d = dropTable(shop(), 't:customers');
    expect(d.tables.map((t) => t.name)).toEqual(['orders']);
    expect(d.tables[0]!.foreignKeys).toEqual([]);
  });

  it('keeps primary key columns NOT NULL', () => {
    let d = addColumn(shop(), 't:orders', { name: 'code' }).design;
    const code = d.tables[1]!.columns.at(-1)!;
    d = setPrimaryKey(d, 't:orders', ['c:id', code.id]);
    expect(d.tables[1]!.columns.at(-1)!.nullable).toBe(false);
    expect(() => updateColumn(d, 't:orders', code.id, { nullable: true })).toThrow(/primary key/);
  });

  it('foreign keys must reference a key, pair their columns, and SET NULL needs nullable columns', () => {
    let d = shop();
    expect(() => addForeignKey(d, 't:orders', { columns: ['c:customer_id'], refTableId: 't:customers', refColumns: ['c:name'] })).toThrow(/neither the primary key/);
    d = addUnique(d, 't:customers', ['c:name']).design;
    d = addColumn(d, 't:orders', { name: 'customer_name', type: 'text', nullable: false }).design;
    const cn = d.tables[1]!.columns.at(-1)!.id;
    expect(() => addForeignKey(d, 't:orders', { columns: [cn], refTableId: 't:customers', refColumns: ['c:name'], onDelete: 'SET NULL' })).toThrow(/SET NULL/);
    const r = addForeignKey(d, 't:orders', { columns: [cn], refTableId: 't:customers', refColumns: ['c:name'], onDelete: 'CASCADE' });
    expect(r.design.tables[1]!.foreignKeys.at(-1)).toMatchObject({ name: 'orders_customer_name_fkey', onDelete: 'CASCADE' });
    expect(() => updateForeignKey(r.design, 't:orders', r.foreignKeyId, { onDelete: 'SET NULL' })).toThrow(/nullable/);
  });

  it('dragging between columns makes the non-key column reference the key, whichever way it was dragged', () => {
    let d = addColumn(shop(), 't:orders', { name: 'referrer_id', type: 'bigint' }).design;
    const ref = d.tables[1]!.columns.at(-1)!.id;
    // Dragged from the customers key onto the new column: the roles swap.
    const r = connectColumns(d, { tableId: 't:customers', columnId: 'c:id' }, { tableId: 't:orders', columnId: ref }, { onDelete: 'SET NULL' });
    expect(r.tableId).toBe('t:orders');
    d = r.design;
    expect(d.tables[1]!.foreignKeys.at(-1)).toMatchObject({ columns: [ref], refTable: 't:customers', refColumns: ['c:id'], onDelete: 'SET NULL' });
    expect(() => connectColumns(d, { tableId: 't:orders', columnId: 'c:total' }, { tableId: 't:orders', columnId: 'c:total' })).toThrow(/itself/);
  });

  it('names indexes and constraints uniquely in the schema', () => {
    let d = addIndex(shop(), 't:orders', ['c:total']).design;
    expect(d.tables[1]!.indexes.map((i) => i.name)).toEqual(['orders_total_idx', 'orders_total_idx_2']);
    expect(() => addIndex(d, 't:orders', ['c:total'], { name: 'ORDERS_TOTAL_IDX' })).toThrow(/already used/);
    d = addCheck(d, 't:orders', 'total >= 0').design;
    expect(d.tables[1]!.checks[0]!.name).toBe('orders_check');
  });

  it('rekeys by name so two reads of one schema compare equal', () => {
    const d = addTable(shop(), 'invoices').design;
    const r = rekeyByName(d);
    expect(r.tables.at(-1)!.id).toBe('t:invoices');
    expect(r.tables.at(-1)!.primaryKey!.columns).toEqual(['c:id']);
    expect(rekeyByName(r)).toEqual(r);
  });
});

describe('undo and redo', () => {
  it('steps back and forth through edits and forgets the redo branch on a new edit', () => {
    let h = startHistory(shop());
    const a = addTable(h.present, 'a').design;
    h = record(h, a, 'Add table a');
    const b = addTable(h.present, 'b').design;
    h = record(h, b, 'Add table b');
    expect(canUndo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe(a);
    expect(h.presentLabel).toBe('Add table a');
    h = undo(h);
    expect(h.present.tables.length).toBe(2);
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    expect(h.present).toBe(a);
    expect(canRedo(h)).toBe(true);
    h = record(h, renameTable(h.present, a.tables.at(-1)!.id, 'z'), 'Rename');
    expect(canRedo(h)).toBe(false);
    expect(undo(undo(h)).present.tables.length).toBe(2);
  });

  it('does not record an edit that changed nothing', () => {
    const h = startHistory(shop());
    expect(record(h, h.present, 'nothing')).toBe(h);
  });
});
