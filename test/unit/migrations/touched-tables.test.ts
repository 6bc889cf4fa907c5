import { describe, expect, it } from 'vitest';
import { tablesTouched } from '../../../features/migrations/core/planner/touched-tables';
import { splitStatements } from '../../../shared/sql/split-statements';
import { mysqlLexRules } from '../../../shared/sql/lex-rules/mysql';

const touched = (sql: string) => splitStatements(sql, mysqlLexRules).map((s) => tablesTouched(s));

describe('the tables a migration statement changes (for their sizes in the plan)', () => {
  it('reads DDL and data changes, unqualified and lower case', () => {
    expect(
      touched(`
        ALTER TABLE shop.Orders ADD COLUMN note text;
        DROP TABLE IF EXISTS a, \`B c\`;
        CREATE UNIQUE INDEX ix ON items (sku);
        UPDATE LOW_PRIORITY customers SET x = 1;
        DELETE FROM sessions WHERE expired;
        INSERT IGNORE INTO log (m) VALUES ('x');
        REPLACE INTO kv VALUES (1, 2);
        TRUNCATE TABLE tmp;
        RENAME TABLE old1 TO new1, old2 TO new2;
        OPTIMIZE TABLE big;
        CREATE TABLE fresh (id int);
        SELECT * FROM nothing_changes;
      `),
    ).toEqual([['orders'], ['a', 'b c'], ['items'], ['customers'], ['sessions'], ['log'], ['kv'], ['tmp'], ['old1', 'old2'], ['big'], [], []]);
  });

  it('ignores what is inside strings and comments', () => {
    expect(touched(`SELECT 'ALTER TABLE x ADD y int'; -- DROP TABLE z\nDO 1;`)).toEqual([[], []]);
  });
});
