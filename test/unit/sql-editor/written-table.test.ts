import { describe, expect, it } from 'vitest';
import { writtenBy, writtenTable, writtenTableRef } from '../../../shared/sql/written-table';

describe('the table a statement writes', () => {
  it('reads INSERT, UPDATE, DELETE and REPLACE targets in any quoting', () => {
    expect(writtenTable('INSERT INTO items (a) VALUES (1)')).toBe('items');
    expect(writtenTable('insert into "public"."Odd ""name""" values (1)')).toBe('Odd "name"');
    expect(writtenTable('UPDATE `db`.`t``x` SET a = 1')).toBe('t`x');
    expect(writtenTable('DELETE FROM [main].[t] WHERE 1')).toBe('t');
    expect(writtenTable('INSERT OR REPLACE INTO t VALUES (1)')).toBe('t');
    expect(writtenTable('REPLACE INTO t VALUES (1)')).toBe('t');
    expect(writtenTable('SELECT 1')).toBeNull();
    expect(writtenBy('delete from t where id = 1')).toEqual({ table: 't', action: 'delete' });
    expect(writtenBy('REPLACE INTO t VALUES (1)')).toEqual({ table: 't', action: 'insert' });
    expect(writtenBy('SELECT 1')).toEqual({});
  });
});

describe('the table a statement writes, with its schema', () => {
  const fold = { unquoted: 'fold-lower', caseInsensitive: false } as const;
  const keep = { unquoted: 'as-written', caseInsensitive: true } as const;
  it('names the schema only where the statement does', () => {
    expect(writtenTableRef('INSERT INTO items (a) VALUES (1)')).toEqual({ schema: null, name: 'items' });
    expect(writtenTableRef('UPDATE `db`.`t``x` SET a = 1')).toEqual({ schema: 'db', name: 't`x' });
    expect(writtenTableRef('DELETE FROM "Sales" . "Orders" WHERE 1')).toEqual({ schema: 'Sales', name: 'Orders' });
    expect(writtenTableRef('SELECT 1')).toBeNull();
  });
  it("gives an unquoted name as the engine stores it, a quoted one as written", () => {
    expect(writtenTableRef('INSERT INTO Sales.Orders VALUES (1)', fold)).toEqual({ schema: 'sales', name: 'orders' });
    expect(writtenTableRef('INSERT INTO "Sales".Orders VALUES (1)', fold)).toEqual({ schema: 'Sales', name: 'orders' });
    expect(writtenTableRef('INSERT INTO Sales.Orders VALUES (1)', keep)).toEqual({ schema: 'Sales', name: 'Orders' });
  });
});
