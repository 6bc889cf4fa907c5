import { describe, expect, it } from 'vitest';
import type { TableDetail } from '../../../shared/model/schema';
import { explainFromCatalog, type EditExplaining } from '../../../electron/core/engines/table-data/explain-edit-failure';
import type { TableDataDriver } from '../../../electron/core/engines/table-data/table-data-driver';
import type { ResolvedTable } from '../../../electron/core/engines/table-data/table-sql';
import { mysqlExplainer } from '../../../electron/core/engines/mysql/mysql-explained-errors';

const detail: TableDetail = {
  schema: 'shop',
  name: 'seats',
  kind: 'table',
  estimatedRows: 0,
  columns: [
    { name: 'id', dataType: 'int(11)', nullable: false, defaultValue: null, primaryKeyPosition: 1, autoIncrement: false, generated: false, comment: null, kind: 'integer' },
    { name: 'hall', dataType: 'varchar(10)', nullable: false, defaultValue: null, primaryKeyPosition: null, autoIncrement: false, generated: false, comment: null, kind: 'text' },
    { name: 'seat', dataType: 'varchar(10)', nullable: false, defaultValue: null, primaryKeyPosition: null, autoIncrement: false, generated: false, comment: null, kind: 'text' },
  ],
  primaryKey: ['id'],
  foreignKeys: [],
  indexes: [
    { name: 'PRIMARY', columns: ['id'], unique: true, primary: true, method: 'BTREE', definition: null },
    { name: 'hall_seat', columns: ['hall', 'seat'], unique: true, primary: false, method: 'BTREE', definition: 'UNIQUE KEY `hall_seat` (`hall`,`seat`)' },
  ],
  rowCount: null,
  rowIdentity: { kind: 'primary-key', columns: ['id'] },
};
const t = { detail } as unknown as ResolvedTable;
const explaining: EditExplaining = { explainer: mysqlExplainer, constraints: async () => ({ checks: [], uniques: [], foreignKeys: [] }) };
const driver = {} as TableDataDriver;
const duplicate = (entry: string, key: string) => mysqlExplainer.explain({ errno: 1062, sqlState: '23000', message: `Duplicate entry '${entry}' for key '${key}'` }, { table: 'seats' })!;
const fromEditor = (e: ReturnType<typeof duplicate>) => explainFromCatalog(driver, t, explaining, e, { sent: [], row: null, context: { schema: 'shop', table: 'seats' } });

/** The SQL editor knows only the server's words: MySQL's one-text key is laid onto the index's columns where that is certain. */
describe('a refused statement explained from the catalog, nothing sent known', () => {
  it("MySQL's Duplicate entry: the index's columns, and the values split where no part can hold a '-'", async () => {
    const e = await fromEditor(duplicate('A-12', 'hall_seat'));
    expect(e).toMatchObject({ schema: 'shop', table: 'seats', columns: ['hall', 'seat'], constraint: 'hall_seat', definition: 'UNIQUE (hall, seat)', key: { columns: ['hall', 'seat'], values: ['A', '12'] } });
    expect(e.summary).toContain('(hall, seat) = (A, 12)');
  });
  it('an entry that splits into more parts than the key has columns stays as the server printed it', async () => {
    const e = await fromEditor(duplicate('A-1-2', 'hall_seat'));
    expect(e.key).toEqual({ columns: [], values: ['A-1-2'] });
    expect(e.definition).toBe('UNIQUE (hall, seat)');
  });
  it('a one-column key takes the whole entry; a cut entry (64 characters and more) is not trusted', async () => {
    expect((await fromEditor(duplicate('7', 'PRIMARY'))).key).toEqual({ columns: ['id'], values: ['7'] });
    const long = 'x'.repeat(64);
    expect((await fromEditor(duplicate(long, 'PRIMARY'))).key).toEqual({ columns: [], values: [long] });
  });
});
