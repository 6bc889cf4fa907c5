import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dbmateFile, enginesUnderTest, migrationFolder } from '../../support/migrations';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

const V = '20240301000000';
const CREATE = 'CREATE TABLE items (id int PRIMARY KEY, name varchar(40) NOT NULL, price int)';

/**
 * The guide's "table already exists": warned in the plan before anything runs, explained per engine
 * when it fails (MariaDB's DDL commits: no transaction was rolled back), and resolved by comparing the
 * table with what the migration creates, then marking it applied.
 */
describe.each(enginesUnderTest)('a migration whose table already exists on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.create>>;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const folder = migrationFolder({ [`${V}_items.sql`]: dbmateFile(`${CREATE};\nINSERT INTO items (id, name) VALUES (1, 'first');`, 'DROP TABLE items;') });
  const settings = () => ({ dir: folder.dir, lockTimeoutSeconds: 5, statementTimeoutSeconds: 0, lockWaitSeconds: 30 });

  beforeAll(async () => {
    db = await engine.create();
    // Made by hand before the migration ran.
    await db.exec(CREATE);
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, db.url);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
    folder.remove();
  });

  it('the plan says `items` already exists before anything runs', async () => {
    const r = await cli(['migrate', 'plan', '--json', '--url', db.url, '--dir', folder.dir]);
    const plan = JSON.parse(r.stdout) as { steps: { lint: { rule: string; statementIndex: number; message: string }[] }[] };
    expect(plan.steps[0]!.lint.filter((l) => l.rule === 'table-exists')).toEqual([{ rule: 'table-exists', statementIndex: 1, line: expect.any(Number), version: V, message: '`items` already exists in this database: this CREATE TABLE will fail.', suggestion: expect.stringMatching(/mark the migration applied/) }]);
  });

  it('fails saying what really happened on this engine, with the structured error and the next step', async () => {
    const r = await cli(['migrate', 'up', '--json', '--url', db.url, '--dir', folder.dir]);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as { message: string; failed: { explained?: { kind: string; table: string | null; evidence: { message: string } } } };
    expect(result.failed.explained).toMatchObject({ kind: 'already-exists', table: 'items', evidence: { message: expect.stringMatching(/already exists/) } });
    if (engine.transactionalDdl) expect(result.message).toContain(`Nothing of ${V} stayed applied (its transaction was rolled back).`);
    else {
      expect(result.message).toContain(`Nothing of ${V} stayed applied (MariaDB commits each DDL statement on its own, so there was no transaction to roll back`);
      expect(result.message).not.toMatch(/transaction was rolled back/);
    }
    expect(result.message).toMatch(/items already exists: if it is what this migration creates .*compare the two .*mark 20240301000000 applied/s);
  });

  it('the failed state offers the comparison: same columns → mark applied; a different column is named', async () => {
    const status = await w.client.call('migrations.status', { connectionId: id, dir: folder.dir, settings: settings() });
    const entry = status.migrations.find((m) => m.version === V)!;
    expect(entry).toMatchObject({ state: 'failed', failedCreateTable: 'items', resumable: false });
    expect(entry.note).toMatch(engine.transactionalDdl ? /its transaction was rolled back/ : /no transaction to roll back/);

    const same = await w.client.call('migrations.compareTable', { connectionId: id, dir: folder.dir, settings: settings(), version: V });
    expect(same).toMatchObject({ table: 'items', exists: true, match: true });
    expect(same.columns.map((c) => [c.name.toLowerCase(), c.same])).toEqual([
      ['id', true],
      ['name', true],
      ['price', true],
    ]);

    // The table by hand differs in one column: the comparison says which, and does not match.
    await db.exec('DROP TABLE items');
    await db.exec('CREATE TABLE items (id int PRIMARY KEY, name varchar(80) NOT NULL, price int)');
    const differs = await w.client.call('migrations.compareTable', { connectionId: id, dir: folder.dir, settings: settings(), version: V });
    expect(differs.match).toBe(false);
    expect(differs.columns.filter((c) => !c.same).map((c) => c.name.toLowerCase())).toEqual(['name']);

    const marked = await cli(['migrate', 'repair', '--mark-applied', V, '--url', db.url, '--dir', folder.dir]);
    expect(marked.code, marked.stdout + marked.stderr).toBe(0);
    const after = await w.client.call('migrations.status', { connectionId: id, dir: folder.dir, settings: settings() });
    expect(after.migrations.find((m) => m.version === V)!.state).toBe('applied');
  });
});
