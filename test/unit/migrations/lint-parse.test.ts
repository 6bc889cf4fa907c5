import { describe, expect, it } from 'vitest';
import { postgresLexRules } from '../../../electron/core/engines/postgres/postgres-sql-rules';
import { columnAction, normaliseName, parseStatement, splitTopLevel } from '../../../electron/core/migrations/lint/parse-statement';
import { splitStatements } from '../../../electron/core/migrations/sql/split-statements';

const parse = (sql: string) => parseStatement(splitStatements(sql, postgresLexRules)[0]!);

describe('statement shapes for lint', () => {
  it('names tables however they are quoted or qualified', () => {
    expect(normaliseName('public."Order Items"')).toBe('order items');
    expect(normaliseName('`shop`.`orders`')).toBe('orders');
    expect(normaliseName('[x]')).toBe('x');
    expect(parse('DROP TABLE IF EXISTS a, public.b CASCADE')).toMatchObject({ kind: 'drop-table', tables: ['a', 'b'] });
  });

  it('splits ALTER actions at top-level commas only', () => {
    expect(splitTopLevel("ADD COLUMN a numeric(10, 2) DEFAULT 0, DROP COLUMN b, ADD CONSTRAINT c CHECK (x IN (1, 2))")).toEqual([
      'ADD COLUMN a numeric(10, 2) DEFAULT 0',
      'DROP COLUMN b',
      'ADD CONSTRAINT c CHECK (x IN (1, 2))',
    ]);
    expect(parse('ALTER TABLE ONLY public.t ADD COLUMN a int, DROP b')).toMatchObject({ kind: 'alter-table', table: 't', actions: ['ADD COLUMN a int', 'DROP b'] });
  });

  it('tells column drops and adds from constraints, indexes and keys', () => {
    expect(columnAction('DROP b', 'DROP')?.column).toBe('b');
    expect(columnAction('DROP COLUMN IF EXISTS "B"', 'DROP')?.column).toBe('b');
    expect(columnAction('DROP CONSTRAINT c', 'DROP')).toBeNull();
    expect(columnAction('DROP PRIMARY KEY', 'DROP')).toBeNull();
    expect(columnAction('DROP INDEX i', 'DROP')).toBeNull();
    expect(columnAction('DROP FOREIGN KEY f', 'DROP')).toBeNull();
    expect(columnAction('ADD c int NOT NULL', 'ADD')).toEqual({ column: 'c', definition: 'int NOT NULL' });
    expect(columnAction('ADD UNIQUE (c)', 'ADD')).toBeNull();
    expect(columnAction('ADD CONSTRAINT k CHECK (c > 0)', 'ADD')).toBeNull();
  });

  it('finds the table of CREATE INDEX and whether it is concurrent', () => {
    expect(parse('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY s.t USING btree (a)')).toMatchObject({ kind: 'create-index', table: 't', concurrently: true });
    expect(parse('CREATE INDEX ON t (a)')).toMatchObject({ kind: 'create-index', table: 't', concurrently: false });
  });
});
