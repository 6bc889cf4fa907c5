import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dbmateFile, enginesUnderTest, migrationFolder, postgresUnderTest, sqliteUnderTest, type EngineUnderTest } from '../../support/migrations';
import { dbmate, dbmateStatus, dbmateUrl } from '../../support/team-tools';

type Db = Awaited<ReturnType<EngineUnderTest['create']>>;

interface StatusJson {
  migrations: { version: string; state: string; note?: string }[];
  foreign: { tool: string; applied: number | null }[];
}

const M1 = '20240101000001';
const M2 = '20240101000002';
const M3 = '20240101000003';
const files: Record<string, string> = {
  [`${M1}_users.sql`]: dbmateFile('CREATE TABLE users (id int PRIMARY KEY);', 'DROP TABLE users;'),
  // Each later migration needs the one before it: applying one whose predecessor is missing fails.
  [`${M2}_orders.sql`]: dbmateFile('CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));', 'DROP TABLE orders;'),
  [`${M3}_order_notes.sql`]: dbmateFile('ALTER TABLE orders ADD COLUMN notes varchar(100);', 'ALTER TABLE orders DROP COLUMN notes;'),
};

/**
 * dbmate and DB Desk take turns on one database — applying, rolling back, each undoing what the
 * other did — and after every step `dbmate status` and `dbdesk migrate status --json` agree on
 * every migration. dbmate's schema_migrations decides; DB Desk says in words when its own history
 * disagrees.
 */
// The three engines take turns at the same time: each has its own database and folder.
describe.concurrent.each(enginesUnderTest)('dbmate and DB Desk in turn on $name', (engine) => {
  let db: Db;
  let url: string;
  const folder = migrationFolder();
  const dbdesk = (...args: string[]) => cli(['migrate', ...args, '--url', db.url, '--dir', folder.dir]);
  const dbdeskStatus = async () => {
    const r = await dbdesk('status', '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as StatusJson;
  };
  /** Both tools' view of every migration: the same, step after step. */
  const agree = async (expected: Record<string, boolean>) => {
    const [theirs, ours] = await Promise.all([dbmateStatus(url, folder.dir), dbdeskStatus()]);
    expect(theirs).toEqual(expected);
    expect(Object.fromEntries(ours.migrations.map((m) => [m.version, m.state]))).toEqual(Object.fromEntries(Object.entries(expected).map(([v, applied]) => [v, applied ? 'applied' : 'pending'])));
    return ours;
  };
  const ok = (r: { code: number | null; stdout: string; stderr: string }) => expect(r.code, r.stdout + r.stderr).toBe(0);

  beforeAll(async () => {
    db = await engine.create();
    url = dbmateUrl(engine.name, db);
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });

  it('agrees after every apply and rollback, whoever did it', async () => {
    folder.write(`${M1}_users.sql`, files[`${M1}_users.sql`]!);
    ok(await dbmate(url, folder.dir, 'up'));
    await agree({ [M1]: true });

    folder.write(`${M2}_orders.sql`, files[`${M2}_orders.sql`]!);
    ok(await dbdesk('up'));
    await agree({ [M1]: true, [M2]: true });

    // dbmate rolls back what DB Desk applied: DB Desk follows dbmate's table and says why.
    ok(await dbmate(url, folder.dir, 'rollback'));
    const rolledBack = await agree({ [M1]: true, [M2]: false });
    expect(rolledBack.migrations[1]!.note).toMatch(/^Rolled back by dbmate after DB Desk applied it on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    // up applies it again (the next one needs it), not only the new one.
    folder.write(`${M3}_order_notes.sql`, files[`${M3}_order_notes.sql`]!);
    const up = await dbdesk('up');
    ok(up);
    expect(up.stdout).toContain('2 migrations applied.');
    await agree({ [M1]: true, [M2]: true, [M3]: true });

    // DB Desk reverts; dbmate applies again; DB Desk's down then reverts what dbmate applied.
    ok(await dbdesk('down'));
    await agree({ [M1]: true, [M2]: true, [M3]: false });
    ok(await dbmate(url, folder.dir, 'up'));
    const reapplied = await agree({ [M1]: true, [M2]: true, [M3]: true });
    expect(reapplied.migrations[2]!.note).toMatch(/^Applied again by dbmate after DB Desk reverted it on /);
    ok(await dbdesk('down', '--steps', '2'));
    await agree({ [M1]: true, [M2]: false, [M3]: false });

    // dbmate's rollback takes the newest applied, which DB Desk left: the first.
    ok(await dbmate(url, folder.dir, 'rollback'));
    await agree({ [M1]: false, [M2]: false, [M3]: false });

    ok(await dbdesk('up'));
    const last = await agree({ [M1]: true, [M2]: true, [M3]: true });
    expect(last.foreign).toEqual([expect.objectContaining({ tool: 'dbmate', applied: 3 })]);
    // Nothing pending for dbmate either.
    ok(await dbmate(url, folder.dir, 'status', '--exit-code'));
  }, 240_000);
});

/** Files dbmate refuses: DB Desk blocks the folder with dbmate's own words. */
const refused: { name: string; text: string; says: RegExp }[] = [
  { name: 'no_directive', text: 'CREATE TABLE a (id int);\n', says: /define an up block with '-- migrate:up'/ },
  { name: 'no_down', text: '-- migrate:up\nCREATE TABLE a (id int);\n', says: /define a down block with '-- migrate:down'/ },
  { name: 'two_ups', text: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n', says: /define a down block with '-- migrate:down'/ },
  { name: 'sql_first', text: 'CREATE TABLE a (id int);\n-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\n', says: /statements preceding the '-- migrate:up' block/ },
  { name: 'two_downs', text: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n-- migrate:down\nDROP TABLE a;\n', says: /every '-- migrate:down' to be preceded by a '-- migrate:up'/ },
  // dbmate parses several pairs, then fails recording the version a second time.
  { name: 'two_pairs', text: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n', says: /UNIQUE constraint failed: schema_migrations\.version/ },
];

describe('files dbmate refuses are refused by DB Desk too (SQLite)', () => {
  let db: Db;
  beforeAll(async () => (db = await sqliteUnderTest.create()));
  afterAll(async () => db?.drop());

  it.each(refused)('$name', async ({ name, text, says }) => {
    const folder = migrationFolder({ [`20240201000000_${name}.sql`]: text });
    try {
      const theirs = await dbmate(dbmateUrl('sqlite', db), folder.dir, 'up');
      expect(theirs.code).not.toBe(0);
      expect(theirs.stderr).toMatch(says);
      const ours = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir]);
      expect(ours.code).toBe(1);
      expect(ours.stdout).toMatch(/Nothing was run/);
      expect(ours.stdout).toMatch(name === 'two_pairs' ? /dbmate cannot apply a file with 2 up\/down pairs/ : says);
    } finally {
      folder.remove();
      await db.exec('DROP TABLE IF EXISTS a; DROP TABLE IF EXISTS b; DROP TABLE IF EXISTS schema_migrations; DROP TABLE IF EXISTS dbdesk_migrations');
    }
  });
});

describe('where DB Desk is more lenient than dbmate, the plan says dbmate would fail (PostgreSQL)', () => {
  it('CREATE INDEX CONCURRENTLY in a section dbmate runs in a transaction', async () => {
    const db = await postgresUnderTest.create();
    const folder = migrationFolder({
      [`${M1}_users.sql`]: files[`${M1}_users.sql`]!,
      '20240101000002_users_index.sql': dbmateFile('CREATE INDEX CONCURRENTLY users_id ON users (id);', 'DROP INDEX users_id;'),
    });
    try {
      const plan = await cli(['migrate', 'plan', '--url', db.url, '--dir', folder.dir]);
      expect(plan.stdout).toMatch(/! tool-incompatible \(statement 1, line 2\): dbmate runs this section in a transaction/);
      expect(plan.stdout).toMatch(/→ .*transaction:false/);
      // DB Desk runs it alone and succeeds; dbmate, on a fresh database, stops at that file.
      expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
      await db.exec('DROP TABLE users; DROP TABLE schema_migrations; DROP TABLE dbdesk_migrations;');
      const theirs = await dbmate(dbmateUrl('postgresql', db), folder.dir, 'up');
      expect(theirs.code).not.toBe(0);
      expect(theirs.stderr).toMatch(/CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
    } finally {
      folder.remove();
      await db.drop();
    }
  });
});
