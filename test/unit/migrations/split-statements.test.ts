import { describe, expect, it } from 'vitest';
import { mysqlLexRules } from '../../../electron/core/engines/mysql/mysql-sql-rules';
import { postgresLexRules } from '../../../electron/core/engines/postgres/postgres-sql-rules';
import { sqliteLexRules } from '../../../electron/core/engines/sqlite/sqlite-sql-rules';
import { SqlSplitError, splitStatements } from '../../../electron/core/migrations/sql/split-statements';

const pg = (s: string) => splitStatements(s, postgresLexRules).map((x) => x.sql);
const my = (s: string) => splitStatements(s, mysqlLexRules).map((x) => x.sql);
const lite = (s: string) => splitStatements(s, sqliteLexRules).map((x) => x.sql);

describe('PostgreSQL splitting', () => {
  it('keeps $$ and $tag$ bodies whole, including ; and other tags inside', () => {
    const sql = `CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
DO $body$ BEGIN PERFORM 'a;b'; EXECUTE $q$SELECT 1; SELECT 2$q$; END $body$;
SELECT 3`;
    expect(pg(sql)).toEqual([
      'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql',
      `DO $body$ BEGIN PERFORM 'a;b'; EXECUTE $q$SELECT 1; SELECT 2$q$; END $body$`,
      'SELECT 3',
    ]);
  });

  it('does not take $1 parameters or identifiers with $ for dollar quotes', () => {
    expect(pg('PREPARE p AS SELECT $1 + a$b FROM t; SELECT 2;')).toEqual(['PREPARE p AS SELECT $1 + a$b FROM t', 'SELECT 2']);
  });

  it('treats backslashes as literal in standard strings but as escapes in E strings', () => {
    expect(pg(`SELECT 'C:\\'; SELECT E'it\\'s;'; SELECT 'it''s;'`)).toEqual([`SELECT 'C:\\'`, `SELECT E'it\\'s;'`, `SELECT 'it''s;'`]);
  });

  it('skips ; in nested block comments, line comments and quoted names', () => {
    const sql = `/* outer /* inner; */ still comment; */ SELECT 1 AS "a;b"; -- trailing; comment
SELECT 2`;
    const out = splitStatements(sql, postgresLexRules);
    expect(out.map((s) => s.sql)).toEqual(['SELECT 1 AS "a;b"', 'SELECT 2']);
    expect(out[0]!.leadingComments).toEqual(['/* outer /* inner; */ still comment; */']);
    expect(out[1]!.leadingComments).toEqual(['-- trailing; comment']);
    expect(out[1]!.skeleton).toBe('SELECT 2');
  });

  it('keeps BEGIN ATOMIC bodies (with CASE … END inside) in one statement, and BEGIN; as its own', () => {
    const sql = `BEGIN;
CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;
  SELECT 1;
END;
COMMIT;`;
    expect(pg(sql)).toEqual([
      'BEGIN',
      'CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;\n  SELECT 1;\nEND',
      'COMMIT',
    ]);
  });

  it('reports line numbers and makes skeletons without literals or comments', () => {
    const out = splitStatements(`\n\nINSERT INTO t VALUES ('DROP TABLE x'); /* DROP TABLE y */\n\nALTER TABLE t\n  DROP COLUMN c;`, postgresLexRules);
    expect(out.map((s) => [s.startLine, s.endLine])).toEqual([
      [3, 3],
      [5, 6],
    ]);
    expect(out[0]!.skeleton).toBe("INSERT INTO t VALUES ('?')");
    expect(out[1]!.leadingComments).toEqual(['/* DROP TABLE y */']);
  });

  it('fails with the line of an unterminated dollar quote, string or comment', () => {
    expect(() => pg('SELECT 1;\nDO $x$ BEGIN')).toThrowError(SqlSplitError);
    expect(() => pg('SELECT 1;\nDO $x$ BEGIN')).toThrowError(/\$x\$ is never closed \(line 2\)/);
    expect(() => pg("SELECT 'abc")).toThrowError(/never closed \(line 1\)/);
    expect(() => pg('SELECT 1 /* /* */')).toThrowError(/never closed/);
  });

  it('drops empty statements and comment-only tails', () => {
    expect(pg(';;SELECT 1;;\n-- the end\n')).toEqual(['SELECT 1']);
  });
});

describe('MySQL/MariaDB splitting', () => {
  it('follows DELIMITER changes, including routine bodies full of ;', () => {
    const sql = `CREATE TABLE t (id int);
DELIMITER //
CREATE PROCEDURE p()
BEGIN
  INSERT INTO t VALUES (1);
  SELECT 'a;b';
END //
DELIMITER ;
INSERT INTO t VALUES (2);`;
    expect(my(sql)).toEqual([
      'CREATE TABLE t (id int)',
      "CREATE PROCEDURE p()\nBEGIN\n  INSERT INTO t VALUES (1);\n  SELECT 'a;b';\nEND",
      'INSERT INTO t VALUES (2)',
    ]);
  });

  it('accepts $$ as a custom delimiter', () => {
    expect(my('DELIMITER $$\nCREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END$$\nDELIMITER ;\nSELECT 1;')).toEqual([
      'CREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END',
      'SELECT 1',
    ]);
  });

  it('splits routines written without DELIMITER at the END of their outer block', () => {
    const sql = `CREATE DEFINER=\`root\`@\`%\` PROCEDURE p(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  IF n > 0 THEN
    SET i = CASE WHEN n > 10 THEN 10 ELSE n END;
  ELSEIF n < 0 THEN SET i = 0;
  END IF;
  lbl: LOOP
    SET i = i - 1;
    IF i <= 0 THEN LEAVE lbl; END IF;
  END LOOP lbl;
  WHILE i < 3 DO SET i = i + 1; END WHILE;
  REPEAT SET i = i - 1; UNTIL i = 0 END REPEAT;
  CASE i WHEN 0 THEN SELECT IF(i = 0, 'zero', 'other'); ELSE BEGIN END; END CASE;
  DROP TEMPORARY TABLE IF EXISTS tmp;
END;
CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.id = IF(NEW.id IS NULL, 0, NEW.id);
SELECT 2`;
    const out = my(sql);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^CREATE DEFINER=.*END$/s);
    expect(out[1]).toMatch(/^CREATE TRIGGER trg/);
    expect(out[2]).toBe('SELECT 2');
  });

  it('tells BEGIN (transaction) from BEGIN NOT ATOMIC (compound statement)', () => {
    expect(my('BEGIN; INSERT INTO t VALUES (1); COMMIT;')).toEqual(['BEGIN', 'INSERT INTO t VALUES (1)', 'COMMIT']);
    expect(my('BEGIN NOT ATOMIC DECLARE x INT; SET x = 1; END; SELECT 1;')).toEqual(['BEGIN NOT ATOMIC DECLARE x INT; SET x = 1; END', 'SELECT 1']);
    expect(my('IF (SELECT 1) THEN SELECT 2; ELSE SELECT 3; END IF; SELECT 4')).toEqual(['IF (SELECT 1) THEN SELECT 2; ELSE SELECT 3; END IF', 'SELECT 4']);
  });

  it('honours backslash escapes in both quote kinds, doubled quotes and backticks', () => {
    const sql = `INSERT INTO t VALUES ('it\\'s; fine', "say \\"hi;\\"", 'a''b;'); SELECT \`we;ird\` FROM t;`;
    expect(my(sql)).toEqual([`INSERT INTO t VALUES ('it\\'s; fine', "say \\"hi;\\"", 'a''b;')`, 'SELECT `we;ird` FROM t']);
  });

  it('knows # comments, -- only with a space, and executable /*! */ comments', () => {
    const sql = `# a hash comment; with a semicolon
SELECT 5--1;
-- a real comment;
/*!40101 SET NAMES utf8mb4 */;
/* plain; */ SELECT 2;`;
    const out = splitStatements(sql, mysqlLexRules);
    expect(out.map((s) => s.sql)).toEqual(['SELECT 5--1', '/*!40101 SET NAMES utf8mb4 */', 'SELECT 2']);
    expect(out[1]!.skeleton).toBe('SET NAMES utf8mb4');
    expect(out[0]!.leadingComments).toEqual(['# a hash comment; with a semicolon']);
  });

  it('refuses an empty DELIMITER and reports a block that never ENDs', () => {
    expect(() => my('DELIMITER\nSELECT 1')).toThrowError(/DELIMITER needs/);
    expect(() => my('CREATE PROCEDURE p() BEGIN SELECT 1;')).toThrowError(/its END is missing \(line 1\)/);
  });
});

describe('SQLite splitting', () => {
  it('keeps trigger bodies whole and has no backslash escapes', () => {
    const sql = `CREATE TABLE "a;b" ([x;y] TEXT, \`z\` TEXT);
CREATE TRIGGER tr AFTER INSERT ON "a;b" WHEN CASE WHEN 1 THEN 1 END BEGIN
  UPDATE "a;b" SET [x;y] = 'C:\\' ;
  INSERT INTO log VALUES (CASE WHEN new.z IS NULL THEN 'n;' ELSE 'v' END);
END;
INSERT INTO "a;b" VALUES ('it''s', 'x');`;
    expect(lite(sql)).toEqual([
      'CREATE TABLE "a;b" ([x;y] TEXT, `z` TEXT)',
      `CREATE TRIGGER tr AFTER INSERT ON "a;b" WHEN CASE WHEN 1 THEN 1 END BEGIN\n  UPDATE "a;b" SET [x;y] = 'C:\\' ;\n  INSERT INTO log VALUES (CASE WHEN new.z IS NULL THEN 'n;' ELSE 'v' END);\nEND`,
      `INSERT INTO "a;b" VALUES ('it''s', 'x')`,
    ]);
  });

  it('treats BEGIN outside a trigger as a transaction statement', () => {
    expect(lite('BEGIN; CREATE TABLE x (a); END;')).toEqual(['BEGIN', 'CREATE TABLE x (a)', 'END']);
  });
});
