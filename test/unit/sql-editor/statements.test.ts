import { describe, expect, it } from 'vitest';
import { mysqlLexRules } from '../../../shared/sql/lex-rules/mysql';
import { postgresLexRules } from '../../../shared/sql/lex-rules/postgres';
import { sqliteLexRules } from '../../../shared/sql/lex-rules/sqlite';
import { lineColumn, statementsToRun } from '../../../shared/sql/statement-at';
import { mayWrite } from '../../../shared/sql/statement-kind';
import { splitStatements } from '../../../shared/sql/split-statements';

const text = `SELECT 1;
SELECT 'a;b' AS x;

-- next
UPDATE t SET a = 1;`;
const at = (needle: string, after = 0) => text.indexOf(needle) + after;
const run = (cursor: number, mode: 'cursor' | 'all' = 'cursor', to = cursor) => statementsToRun(text, { from: cursor, to }, mode, postgresLexRules).map((s) => s.sql);

describe('which statements Ctrl/Cmd+Enter runs', () => {
  it('the statement the cursor is in', () => {
    expect(run(at('SELECT 1', 3))).toEqual(['SELECT 1']);
    expect(run(at("'a;b'", 2))).toEqual(["SELECT 'a;b' AS x"]);
    expect(run(at('UPDATE'))).toEqual(['UPDATE t SET a = 1']);
  });

  it('the statement just ended when the cursor sits after its semicolon', () => {
    expect(run(at('SELECT 1;', 9))).toEqual(['SELECT 1']);
    expect(run(text.length)).toEqual(['UPDATE t SET a = 1']);
  });

  it('the next statement after a blank line', () => {
    expect(run(at('\n\n-- next', 1))).toEqual(['UPDATE t SET a = 1']);
  });

  it('the selection, split into its statements, with offsets in the whole text', () => {
    const picked = statementsToRun(text, { from: at('SELECT 1'), to: at('AS x;', 5) }, 'cursor', postgresLexRules);
    expect(picked.map((p) => p.sql)).toEqual(['SELECT 1', "SELECT 'a;b' AS x"]);
    for (const p of picked) expect(text.slice(p.from, p.to)).toBe(p.sql);
  });

  it('everything', () => {
    expect(run(0, 'all')).toHaveLength(3);
  });

  it('keeps offsets exact through comments, dollar quotes and DELIMITER', () => {
    const pg = `/* c */ SELECT $$;$$;\n  SELECT 2;`;
    for (const s of splitStatements(pg, postgresLexRules)) expect(pg.slice(s.from, s.to)).toBe(s.sql);
    const my = `DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;\nSELECT 2;`;
    const parts = splitStatements(my, mysqlLexRules);
    expect(parts.map((p) => p.sql)).toEqual(['CREATE PROCEDURE p() BEGIN SELECT 1; END', 'SELECT 2']);
    for (const s of parts) expect(my.slice(s.from, s.to)).toBe(s.sql);
  });

  it('says where a line and column are', () => {
    expect(lineColumn(text, at('UPDATE'))).toEqual({ line: 5, column: 1 });
    expect(lineColumn(text, at("'a;b'"))).toEqual({ line: 2, column: 8 });
  });
});

describe('the production confirmation cue', () => {
  it('lets reads and session settings pass', () => {
    for (const sql of ['SELECT 1', 'select * from t where x = \'DELETE\'', 'WITH a AS (SELECT 1) SELECT * FROM a', 'SHOW TABLES', 'EXPLAIN SELECT 1', 'SET search_path = x', 'BEGIN', 'COMMIT', 'PRAGMA table_info(t)', '-- just a comment\nSELECT 2']) {
      expect(mayWrite(sql, postgresLexRules), sql).toBe(false);
    }
  });

  it('asks for anything that may write, hidden or unknown', () => {
    for (const sql of ['INSERT INTO t VALUES (1)', 'update t set a=1', 'WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'SELECT * INTO new_t FROM t', 'CREATE TABLE x (id int)', 'DROP TABLE x', 'TRUNCATE t', 'GRANT ALL ON t TO u', 'CALL p()', 'EXPLAIN ANALYZE DELETE FROM t', 'SET GLOBAL max_connections = 10', 'PRAGMA journal_mode = WAL', 'VACUUM', 'frobnicate everything']) {
      expect(mayWrite(sql, sql.startsWith('PRAGMA') ? sqliteLexRules : postgresLexRules), sql).toBe(true);
    }
  });
});
