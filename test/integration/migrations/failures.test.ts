import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dbmateFile, enginesUnderTest, mariadbUnderTest, migrationFolder } from '../../support/migrations';

const status = async (url: string, dir: string) => {
  const r = await cli(['migrate', 'status', '--json', '--url', url, '--dir', dir]);
  return JSON.parse(r.stdout) as { migrations: { version: string; state: string; statementsApplied?: number; statementsTotal?: number; error?: string }[] };
};

const FAILING = (engine: { failing: string }) =>
  dbmateFile(['CREATE TABLE items (id int PRIMARY KEY);', "INSERT INTO items VALUES (1);", `${engine.failing};`, 'INSERT INTO items VALUES (2);', 'CREATE TABLE after_fail (id int);'].join('\n'), 'DROP TABLE after_fail;\nDROP TABLE items;');

describe.each(enginesUnderTest)('a failure in the middle of a migration on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.create>>;
  const folder = migrationFolder({ '20240201000000_items.sql': '' });
  const url = () => db.url;

  beforeAll(async () => {
    db = await engine.create();
    folder.write('20240201000000_items.sql', FAILING(engine));
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });

  it('stops at statement 3 with the server error and records the attempt as failed', async () => {
    const r = await cli(['migrate', 'up', '--url', url(), '--dir', folder.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failed at statement 3 of 5: .*no_such_table/);
    const s = await status(url(), folder.dir);
    expect(s.migrations[0]).toMatchObject({ version: '20240201000000', state: 'failed', statementsTotal: 5, error: expect.stringMatching(/no_such_table/) });
    const rows = await db.query("SELECT action, status, statements_applied, error_statement, error_sql FROM dbdesk_migrations");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'up', status: 'failed' });
    expect(Number(rows[0]!.error_statement)).toBe(3);
    expect(String(rows[0]!.error_sql)).toContain('no_such_table');
    if (engine.transactionalDdl) {
      expect(Number(rows[0]!.statements_applied)).toBe(0);
      expect(s.migrations[0]!.statementsApplied).toBe(0);
      // Nothing of it is applied: the table of statement 1 does not exist.
      await expect(db.query('SELECT * FROM items')).rejects.toThrow();
    } else {
      expect(Number(rows[0]!.statements_applied)).toBe(2);
      expect(s.migrations[0]!.statementsApplied).toBe(2);
      expect((await db.query('SELECT id FROM items')).map((x) => Number(x.id))).toEqual([1]);
    }
  });

  it.runIf(engine.transactionalDdl)('PostgreSQL/SQLite: up tries the rolled-back migration again once the cause is fixed', async () => {
    await db.exec('CREATE TABLE no_such_table (id int)');
    const r = await cli(['migrate', 'up', '--url', url(), '--dir', folder.dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await db.query('SELECT id FROM items ORDER BY id')).map((x) => Number(x.id))).toEqual([1, 2]);
    expect((await status(url(), folder.dir)).migrations[0]!.state).toBe('applied');
  });

  it.runIf(!engine.transactionalDdl)('MariaDB: nothing more runs until a decision; resume then applies the rest exactly once', async () => {
    const blocked = await cli(['migrate', 'up', '--url', url(), '--dir', folder.dir]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/Nothing was run/);
    expect(blocked.stdout).toMatch(/failed at statement 3 of 5.*2 statement\(s\) before it stayed applied/);
    expect((await db.query('SELECT id FROM items')).map((x) => Number(x.id))).toEqual([1]);

    // Still failing: resume stops at the same statement and nothing is applied twice.
    const again = await cli(['migrate', 'repair', '--resume', '20240201000000', '--url', url(), '--dir', folder.dir]);
    expect(again.code).toBe(1);
    expect((await db.query('SELECT id FROM items')).map((x) => Number(x.id))).toEqual([1]);

    await db.exec('CREATE TABLE no_such_table (id int)');
    const resumed = await cli(['migrate', 'repair', '--resume', '20240201000000', '--url', url(), '--dir', folder.dir]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('[3/5]');
    expect(resumed.stdout).not.toContain('[1/5]');
    expect((await db.query('SELECT id FROM items ORDER BY id')).map((x) => Number(x.id))).toEqual([1, 2]);
    expect(await db.query('SELECT id FROM no_such_table')).toHaveLength(1);
    expect(await db.query('SELECT * FROM after_fail')).toHaveLength(0);
    expect((await status(url(), folder.dir)).migrations[0]!.state).toBe('applied');

    const nothing = await cli(['migrate', 'up', '--url', url(), '--dir', folder.dir]);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('Nothing to do');
    const history = await db.query('SELECT action, status, statements_applied, note FROM dbdesk_migrations ORDER BY id');
    expect(history.map((h) => [h.status, Number(h.statements_applied)])).toEqual([
      ['failed', 2],
      ['failed', 2],
      ['applied', 5],
    ]);
  });
});

describe('MariaDB: the other decisions about a half-applied migration', () => {
  let db: Awaited<ReturnType<typeof mariadbUnderTest.create>>;
  const folder = migrationFolder();
  beforeAll(async () => {
    db = await mariadbUnderTest.create();
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });
  const run = (...args: string[]) => cli(['migrate', ...args, '--url', db.url, '--dir', folder.dir]);

  it('refuses to resume when a statement that already ran was edited', async () => {
    folder.write('20240301000000_a.sql', dbmateFile('CREATE TABLE a1 (id int);\nINSERT INTO missing VALUES (1);\nCREATE TABLE a2 (id int);'));
    expect((await run('up')).code).toBe(1);
    folder.write('20240301000000_a.sql', dbmateFile('CREATE TABLE a1 (id int, extra int);\nINSERT INTO missing VALUES (1);\nCREATE TABLE a2 (id int);'));
    const r = await run('repair', '--resume', '20240301000000');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/statement 1 changed since it ran/);
  });

  it('forget: after undoing by hand the attempt is discarded and up runs the fixed migration from the start', async () => {
    await db.exec('DROP TABLE a1');
    folder.write('20240301000000_a.sql', dbmateFile('CREATE TABLE a1 (id int);\nCREATE TABLE a2 (id int);'));
    const f = await run('repair', '--forget', '20240301000000');
    expect(f.code, f.stdout + f.stderr).toBe(0);
    expect((await status(db.url, folder.dir)).migrations[0]!.state).toBe('pending');
    const up = await run('up');
    expect(up.code, up.stdout).toBe(0);
    expect(await db.query('SELECT * FROM a2')).toHaveLength(0);
  });

  it('mark applied: the admin finished it by hand; nothing runs and it counts as applied', async () => {
    folder.write('20240302000000_b.sql', dbmateFile('CREATE TABLE b1 (id int);\nINSERT INTO missing VALUES (1);\nCREATE TABLE b2 (id int);'));
    expect((await run('up')).code).toBe(1);
    await db.exec('CREATE TABLE b2 (id int)');
    const m = await run('repair', '--mark-applied', '20240302000000');
    expect(m.code, m.stdout + m.stderr).toBe(0);
    const s = await status(db.url, folder.dir);
    expect(s.migrations.map((x) => x.state)).toEqual(['applied', 'applied']);
    const last = await db.query('SELECT action, status FROM dbdesk_migrations ORDER BY id DESC LIMIT 1');
    expect(last[0]).toMatchObject({ action: 'mark-applied', status: 'done' });
  });

  it('says so when there is nothing to decide about', async () => {
    const r = await run('repair', '--forget', '20240302000000');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no failed attempt/);
  });
});
