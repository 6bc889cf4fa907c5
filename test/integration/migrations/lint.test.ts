import { describe, expect, it } from 'vitest';
import type { MigrationPlan } from '../../../shared/model/migrations';
import { cli, dbmateFile, mariadbUnderTest, migrationFolder, postgresUnderTest, sqliteUnderTest, type EngineUnderTest } from '../../support/migrations';

/**
 * Each lint rule, in the plan of a real database: the table `accounts` exists before the plan
 * (an existing table), `fresh` is created by the plan itself (changes to it lock nothing).
 */
async function fullPlanOf(engine: EngineUnderTest, up: string, existing: string[] = ['CREATE TABLE accounts (id int PRIMARY KEY, name varchar(50), age int)']): Promise<MigrationPlan> {
  const db = await engine.create();
  const folder = migrationFolder({ '20240501000000_lint.sql': dbmateFile(up) });
  try {
    for (const sql of existing) await db.exec(sql);
    const r = await cli(['migrate', 'plan', '--json', '--url', db.url, '--dir', folder.dir]);
    return JSON.parse(r.stdout) as MigrationPlan;
  } finally {
    await db.drop();
    folder.remove();
  }
}

async function planOf(engine: EngineUnderTest, up: string) {
  return (await fullPlanOf(engine, up)).steps.flatMap((s) => s.lint);
}

const rules = (lint: { rule: string; statementIndex: number }[]) => lint.map((l) => `${l.statementIndex}:${l.rule}`);

describe.each([postgresUnderTest, mariadbUnderTest, sqliteUnderTest])('lint rules every dialect has, on $name', (engine) => {
  it('drop table, drop column, NOT NULL without a default — only on existing tables', async () => {
    const lint = await planOf(
      engine,
      [
        'DROP TABLE accounts;', // 1
        'ALTER TABLE accounts DROP COLUMN name;', // 2
        'ALTER TABLE accounts ADD COLUMN email varchar(100) NOT NULL;', // 3
        "ALTER TABLE accounts ADD COLUMN plan varchar(10) NOT NULL DEFAULT 'free';", // 4: has a default
        'CREATE TABLE fresh (id int);', // 5
        'ALTER TABLE fresh ADD COLUMN code varchar(5) NOT NULL;', // 6: new table
        'DROP TABLE fresh;', // 7: new table
        "INSERT INTO accounts (id, name) VALUES (1, 'DROP TABLE accounts');", // 8: only a string
        '-- dbdesk:nolint drop-column\nALTER TABLE accounts DROP COLUMN age;', // 9: suppressed
      ].join('\n'),
    );
    expect(rules(lint)).toEqual(['1:drop-table', '2:drop-column', '3:not-null-without-default']);
    expect(lint[0]!.message).toMatch(/accounts/);
    expect(lint[2]!.suggestion).toMatch(/DEFAULT/);
  });
});

describe('PostgreSQL lint rules', () => {
  it('index without CONCURRENTLY, type change rewrite, SET NOT NULL scan', async () => {
    const lint = await planOf(
      postgresUnderTest,
      [
        'CREATE INDEX accounts_name ON accounts (name);', // 1
        'CREATE INDEX CONCURRENTLY accounts_age ON accounts (age);', // 2: DB Desk runs it alone; dbmate would run it in the section's transaction
        'ALTER TABLE accounts ALTER COLUMN age TYPE bigint;', // 3
        'ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;', // 4
        'CREATE TABLE fresh (id int, v int);', // 5
        'CREATE INDEX fresh_v ON fresh (v);', // 6: new table
        'ALTER TABLE fresh ALTER COLUMN v SET DATA TYPE bigint;', // 7: new table
      ].join('\n'),
    );
    expect(rules(lint)).toEqual(['1:index-without-concurrently', '2:tool-incompatible', '3:type-rewrite', '4:set-not-null-scan']);
    expect(lint[1]!.message).toMatch(/dbmate runs this section in a transaction/);
    expect(lint[1]!.suggestion).toMatch(/transaction:false/);
  });
});

describe('MySQL/MariaDB lint rules', () => {
  it('a type change rebuilds the table; ALTERs that copy it are named with the ALGORITHM/LOCK advice', async () => {
    const lint = await planOf(
      mariadbUnderTest,
      [
        'ALTER TABLE accounts MODIFY COLUMN age bigint;', // 1
        'ALTER TABLE accounts CONVERT TO CHARACTER SET latin1;', // 2
        'ALTER TABLE accounts ENGINE=InnoDB;', // 3
        'ALTER TABLE accounts ADD INDEX accounts_age (age), ALGORITHM=COPY;', // 4
        'ALTER TABLE accounts CHANGE COLUMN age years int, ALGORITHM=INSTANT, LOCK=NONE;', // 5: the server refuses instead of copying
        'ALTER TABLE accounts ADD INDEX accounts_name (name), ALGORITHM=INPLACE, LOCK=NONE;', // 6
      ].join('\n'),
    );
    expect(rules(lint)).toEqual(['1:type-rewrite', '2:table-copy', '3:table-copy', '4:table-copy']);
    expect(lint.find((l) => l.rule === 'table-copy')!.suggestion).toMatch(/ALGORITHM=INSTANT \(or INPLACE\), LOCK=NONE/);
  });
});

describe('statements that cannot run in a transaction', () => {
  it('PostgreSQL: CREATE INDEX CONCURRENTLY runs alone, the plan says so, and it really runs', async () => {
    const db = await postgresUnderTest.create();
    const folder = migrationFolder({
      '20240601000000_idx.sql': dbmateFile('CREATE TABLE t (id int, v int);\nCREATE INDEX CONCURRENTLY t_v ON t (v);\nINSERT INTO t VALUES (1, 2);'),
    });
    try {
      const plan = JSON.parse((await cli(['migrate', 'plan', '--json', '--url', db.url, '--dir', folder.dir])).stdout) as MigrationPlan;
      expect(plan.steps[0]!.units.map((u) => [u.kind, u.statements.map((s) => s.index)])).toEqual([
        ['transaction', [1]],
        ['alone', [2]],
        ['transaction', [3]],
      ]);
      expect(plan.steps[0]!.units[1]!.statements[0]!.nonTransactional).toMatch(/cannot run inside a transaction block/);
      const up = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir]);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(await db.query("SELECT indexname FROM pg_indexes WHERE indexname = 't_v'")).toHaveLength(1);
    } finally {
      await db.drop();
      folder.remove();
    }
  });

  it('SQLite: PRAGMA foreign_keys and VACUUM run alone; BEGIN/COMMIT inside a transactional migration is refused', async () => {
    const db = await sqliteUnderTest.create();
    const folder = migrationFolder({ '20240601000000_a.sql': dbmateFile('PRAGMA foreign_keys = OFF;\nCREATE TABLE t (id int);\nPRAGMA foreign_keys = ON;\nVACUUM;') });
    try {
      const plan = JSON.parse((await cli(['migrate', 'plan', '--json', '--url', db.url, '--dir', folder.dir])).stdout) as MigrationPlan;
      expect(plan.steps[0]!.units.map((u) => u.kind)).toEqual(['alone', 'transaction', 'alone', 'alone']);
      expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
      folder.write('20240602000000_b.sql', dbmateFile('BEGIN;\nCREATE TABLE u (id int);\nCOMMIT;'));
      const r = await cli(['migrate', 'plan', '--url', db.url, '--dir', folder.dir]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/line 2: "BEGIN" controls a transaction/);
      // …unless the section says it runs without one.
      folder.write('20240602000000_b.sql', '-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE u (id int);\nCOMMIT;\n-- migrate:down\n');
      expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    } finally {
      await db.drop();
      folder.remove();
    }
  });
});

describe('table names in a plan, as the engine stores them (issue 17, item 8)', () => {
  it('MariaDB keeps the case of Customer: lint and the plan name it so, and its size is found', async () => {
    const plan = await fullPlanOf(mariadbUnderTest, 'ALTER TABLE Customer DROP COLUMN name;\nUPDATE `Customer` SET id = id;', [
      'CREATE TABLE Customer (id int PRIMARY KEY, name varchar(50))',
      "INSERT INTO Customer VALUES (1, 'a'), (2, 'b')",
      'ANALYZE TABLE Customer',
    ]);
    expect(plan.steps[0]!.lint.map((l) => l.message)).toEqual(['Drops the column Customer.name and its data.']);
    expect(plan.steps[0]!.tables).toEqual([{ name: 'Customer', rows: expect.any(Number), bytes: expect.any(Number), exists: true }]);
    expect(plan.steps[0]!.tables[0]!.bytes).toBeGreaterThan(0);
  });

  it('PostgreSQL folds unquoted names to lower case, never quoted ones: "Customer" is not customer', async () => {
    const plan = await fullPlanOf(postgresUnderTest, 'ALTER TABLE "Customer" DROP COLUMN name;\nALTER TABLE Orders ADD COLUMN note text;\nUPDATE Customer SET id = id;', [
      'CREATE TABLE "Customer" (id int PRIMARY KEY, name varchar(50))',
      'CREATE TABLE orders (id int PRIMARY KEY)',
    ]);
    expect(plan.steps[0]!.lint.map((l) => l.message)).toEqual(['Drops the column Customer.name and its data.']);
    expect(plan.steps[0]!.tables.map((t) => [t.name, t.exists])).toEqual([
      ['Customer', true],
      ['orders', true],
      ['customer', false],
    ]);
    expect(plan.steps[0]!.tables[0]!.bytes).toBeGreaterThan(0);
  });
});
