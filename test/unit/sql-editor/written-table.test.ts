import { describe, expect, it } from 'vitest';
import { writtenBy, writtenTable } from '../../../shared/sql/written-table';

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
