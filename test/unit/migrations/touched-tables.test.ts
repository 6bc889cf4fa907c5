import { describe, expect, it } from 'vitest';
import { tablesTouched } from '../../../features/migrations/core/planner/touched-tables';
import { splitStatements } from '../../../shared/sql/split-statements';
import { mysqlLexRules } from '../../../shared/sql/lex-rules/mysql';
import { postgresLexRules } from '../../../shared/sql/lex-rules/postgres';
import { mysqlIdentifiers } from '../../../electron/core/engines/mysql/mysql-identifiers';
import { postgresIdentifiers } from '../../../electron/core/engines/postgres/postgres-identifiers';

const touched = (sql: string) => splitStatements(sql, mysqlLexRules).map((s) => tablesTouched(s, mysqlIdentifiers));
const touchedPg = (sql: string) => splitStatements(sql, postgresLexRules).map((s) => tablesTouched(s, postgresIdentifiers));

describe('the tables a migration statement changes (for their sizes in the plan)', () => {
  it('reads DDL and data changes, unqualified, named as MySQL/MariaDB store them (case kept)', () => {
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
    ).toEqual([['Orders'], ['a', 'B c'], ['items'], ['customers'], ['sessions'], ['log'], ['kv'], ['tmp'], ['old1', 'old2'], ['big'], [], []]);
  });

  it('folds unquoted names to lower case on PostgreSQL, never quoted ones', () => {
    expect(touchedPg('ALTER TABLE shop.Customer ADD note text; UPDATE "Customer" SET x = 1; TRUNCATE public."Order ""Items""";')).toEqual([['customer'], ['Customer'], ['Order "Items"']]);
  });

  it('ignores what is inside strings and comments', () => {
    expect(touched(`SELECT 'ALTER TABLE x ADD y int'; -- DROP TABLE z\nDO 1;`)).toEqual([[], []]);
  });
});
