import mysql from 'mysql2';
import { describe, expect, it } from 'vitest';
import { readRowsFromWire, stopReadingFromWire } from '../../../electron/core/engines/mysql/mysql2-internals';

describe('the hook into mysql2’s Query', () => {
  it('takes over the row parser of a real mysql2 query, keeps it when mysql2 assigns its own, and gives it back', () => {
    // A query object as conn.query() makes it; it is never sent.
    const query = (mysql as unknown as { Connection: { createQuery(sql: string, values: unknown, cb: unknown, config: unknown): Record<string, unknown> } }).Connection.createQuery('SELECT 1', undefined, undefined, {});
    const read = () => 'row';
    expect(readRowsFromWire(query, read)).toBe(true);
    query._rowParser = { next: () => 'mysql2’s row' };
    expect((query._rowParser as { next(): unknown }).next()).toBe('row');
    stopReadingFromWire(query);
    expect(query._rowParser).toBeNull();
    query._rowParser = { next: () => 'mysql2’s row' };
    expect((query._rowParser as { next(): unknown }).next()).toBe('mysql2’s row');
  });

  it('leaves alone an object that does not look like mysql2 3.x’s Query', () => {
    const notAQuery: Record<string, unknown> = { row: () => undefined };
    expect(readRowsFromWire(notAQuery, () => 'row')).toBe(false);
    expect(Object.getOwnPropertyDescriptor(notAQuery, '_rowParser')).toBeUndefined();
    const noRowState = { _rowParser: null };
    expect(readRowsFromWire(noRowState, () => 'row')).toBe(false);
    expect(noRowState._rowParser).toBeNull();
  });
});
