import { describe, expect, it } from 'vitest';
import { postgresLexRules } from '../../../shared/sql/lex-rules/postgres';
import { sqliteLexRules } from '../../../shared/sql/lex-rules/sqlite';
import { SqliteMigrationAdapter } from '../../../electron/core/engines/sqlite/sqlite-migrations';
import { PlanLinter } from '../../../features/migrations/core/lint/lint';
import { columnAction, normaliseName, parseStatement, splitTopLevel } from '../../../features/migrations/core/lint/parse-statement';
import { splitStatements } from '../../../shared/sql/split-statements';
import { mysqlIdentifiers } from '../../../electron/core/engines/mysql/mysql-identifiers';
import { postgresIdentifiers } from '../../../electron/core/engines/postgres/postgres-identifiers';
import { sqliteIdentifiers } from '../../../electron/core/engines/sqlite/sqlite-identifiers';

const parse = (sql: string) => parseStatement(splitStatements(sql, postgresLexRules)[0]!, postgresIdentifiers);
const pgColumn = (action: string, verb: 'ADD' | 'DROP') => columnAction(action, verb, postgresIdentifiers);

describe('statement shapes for lint', () => {
  it('names tables however they are quoted or qualified, as the engine stores them', () => {
    expect(normaliseName('public."Order Items"', postgresIdentifiers)).toBe('Order Items');
    expect(normaliseName('public.Customer', postgresIdentifiers)).toBe('customer');
    expect(normaliseName('shop.Customer', mysqlIdentifiers)).toBe('Customer');
    expect(normaliseName('`shop`.`Orders`', mysqlIdentifiers)).toBe('Orders');
    expect(normaliseName('[X]', sqliteIdentifiers)).toBe('X');
    expect(normaliseName('"a""b"', sqliteIdentifiers)).toBe('a"b');
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
    expect(pgColumn('DROP b', 'DROP')?.column).toBe('b');
    expect(pgColumn('DROP COLUMN IF EXISTS "B"', 'DROP')?.column).toBe('B');
    expect(pgColumn('DROP CONSTRAINT c', 'DROP')).toBeNull();
    expect(pgColumn('DROP PRIMARY KEY', 'DROP')).toBeNull();
    expect(pgColumn('DROP INDEX i', 'DROP')).toBeNull();
    expect(pgColumn('DROP FOREIGN KEY f', 'DROP')).toBeNull();
    expect(pgColumn('ADD c int NOT NULL', 'ADD')).toEqual({ column: 'c', definition: 'int NOT NULL' });
    expect(pgColumn('ADD UNIQUE (c)', 'ADD')).toBeNull();
    expect(pgColumn('ADD CONSTRAINT k CHECK (c > 0)', 'ADD')).toBeNull();
  });

  it('finds the table of CREATE INDEX and whether it is concurrent', () => {
    expect(parse('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY s.t USING btree (a)')).toMatchObject({ kind: 'create-index', table: 't', concurrently: true });
    expect(parse('CREATE INDEX ON t (a)')).toMatchObject({ kind: 'create-index', table: 't', concurrently: false });
  });
});

describe('a table rebuild in lint', () => {
  const target = { database: 'main', schema: null, serverVersion: '3.45.0', serverMajor: 3, dbUser: null, galera: null };
  const lintAll = (sql: string, columnsOf?: (t: string) => string[] | null) => {
    const linter = new PlanLinter(new SqliteMigrationAdapter(':memory:'), target, columnsOf);
    return splitStatements(sql, sqliteLexRules).flatMap((st) => linter.lint('1', st, st.startLine)).map((w) => `${w.statementIndex}:${w.rule}: ${w.message}`);
  };
  const rebuild = (copyTail = '') =>
    [
      'CREATE TABLE "_new_t" (id INTEGER PRIMARY KEY, name TEXT NOT NULL);',
      `INSERT INTO "_new_t" (rowid, "id", "name")\n  SELECT rowid, "id", "name" FROM "t"${copyTail};`,
      'DROP TABLE "t";',
      'ALTER TABLE "_new_t" RENAME TO "t";',
    ].join('\n');

  it('is a table copy, not a dropped table; columns left out are dropped when the old columns are known', () => {
    expect(lintAll(rebuild())).toEqual([expect.stringMatching(/^3:table-copy: Rebuilds t: every row is copied into _new_t \(columns id, name\)/)]);
    expect(lintAll(rebuild(), (t) => (t === 't' ? ['id', 'name', 'legacy'] : null))).toEqual([
      expect.stringMatching(/^3:table-copy: Rebuilds t/),
      '3:drop-column: Drops the column t.legacy and its data: the rebuild does not copy it.',
    ]);
  });

  it('follows renames, adds and drops made before the rebuild', () => {
    const sql = ['ALTER TABLE "t" RENAME COLUMN "label" TO "name";', 'ALTER TABLE t ADD COLUMN extra int;', 'ALTER TABLE t DROP COLUMN old;', rebuild()].join('\n');
    expect(lintAll(sql, (t) => (t === 't' ? ['id', 'label', 'old'] : null))).toEqual([
      '3:drop-column: Drops the column t.old and its data.',
      expect.stringMatching(/^6:table-copy: Rebuilds t/),
      '6:drop-column: Drops the column t.extra and its data: the rebuild does not copy it.',
    ]);
    // A renamed table is followed too.
    expect(lintAll(['ALTER TABLE s RENAME TO t;', rebuild()].join('\n'), (t) => (t === 's' ? ['id', 'name', 'gone'] : null))).toEqual([
      expect.stringMatching(/^4:table-copy: Rebuilds t/),
      '4:drop-column: Drops the column t.gone and its data: the rebuild does not copy it.',
    ]);
  });

  it('a partial copy, or a copy into a table that was already there, still drops the table', () => {
    expect(lintAll(rebuild(' WHERE "id" > 10'))).toEqual(['3:drop-table: Drops the table t and every row in it.']);
    expect(lintAll('INSERT INTO archive (id) SELECT id FROM t;\nDROP TABLE t;')).toEqual(['2:drop-table: Drops the table t and every row in it.']);
  });
});
