import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, enginesUnderTest, migrationFolder, type EngineUnderTest } from '../../support/migrations';
import { alembic, alembicCurrent, sqlalchemyUrl, writeAlembicProject, type AlembicRevision } from '../../support/team-tools';

type Db = Awaited<ReturnType<EngineUnderTest['create']>>;

interface StatusJson {
  format: string;
  migrations: { version: string; state: string }[];
  foreign: { tool: string; applied: number | null; latest: string | null }[];
}

const REVISIONS: AlembicRevision[] = [
  { revision: '1a2b3c4d5e6f', parents: [], slug: 'create_accounts', upgrade: 'CREATE TABLE accounts (id integer PRIMARY KEY)', downgrade: 'DROP TABLE accounts' },
  { revision: '2b3c4d5e6f70', parents: ['1a2b3c4d5e6f'], slug: 'create_invoices', upgrade: 'CREATE TABLE invoices (id integer PRIMARY KEY)', downgrade: 'DROP TABLE invoices' },
  { revision: '3c4d5e6f7081', parents: ['2b3c4d5e6f70'], slug: 'create_payments', upgrade: 'CREATE TABLE payments (id integer PRIMARY KEY)', downgrade: 'DROP TABLE payments' },
];
const [R1, R2, R3] = REVISIONS.map((r) => r.revision) as [string, string, string];

/**
 * Real Alembic (Debian's python3-alembic) upgrades and downgrades a project's revisions; after each
 * step DB Desk shows the folder as Alembic's, with alembic_version's head as `alembic current`
 * prints it and every revision up to it applied — and refuses to run Python migrations itself.
 */
describe.concurrent.each(enginesUnderTest)('Alembic and DB Desk on $name', (engine) => {
  let db: Db;
  let url: string;
  const folder = migrationFolder();
  const status = async () => {
    const r = await cli(['migrate', 'status', '--json', '--url', db.url, '--dir', folder.dir]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as StatusJson;
  };
  /** DB Desk's report and `alembic current` say the same, and the revisions up to the head are applied. */
  const agree = async (applied: string[]) => {
    const [current, s] = await Promise.all([alembicCurrent(folder.dir, url), status()]);
    expect(s.format).toBe('alembic');
    expect(s.migrations.map((m) => [m.version, m.state])).toEqual(REVISIONS.map((r) => [r.revision, applied.includes(r.revision) ? 'applied' : 'pending']));
    const table = s.foreign.find((f) => f.tool === 'alembic');
    expect(table?.latest ?? null).toBe(current.length > 0 ? current.join(', ') : null);
    // alembic_version holds heads, not a count.
    if (table) expect(table.applied).toBeNull();
    return current;
  };
  const ok = (r: { code: number | null; stderr: string }) => expect(r.code, r.stderr).toBe(0);

  beforeAll(async () => {
    db = await engine.create();
    url = sqlalchemyUrl(engine.name, db);
    writeAlembicProject(folder.dir, REVISIONS);
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });

  it('follows alembic upgrade and downgrade, and leaves running them to Alembic', async () => {
    expect(await agree([])).toEqual([]);
    ok(await alembic(folder.dir, url, 'upgrade', R2));
    expect(await agree([R1, R2])).toEqual([R2]);
    ok(await alembic(folder.dir, url, 'upgrade', 'head'));
    expect(await agree([R1, R2, R3])).toEqual([R3]);
    ok(await alembic(folder.dir, url, 'downgrade', '-1'));
    expect(await agree([R1, R2])).toEqual([R2]);

    // DB Desk does not run Python revisions: refused, nothing changed, and it says what to run.
    const up = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir]);
    expect(up.code).toBe(1);
    expect(up.stdout).toMatch(/Nothing was run[\s\S]*Alembic migrations \(Python revisions\)[\s\S]*alembic upgrade head/);
    expect(await agree([R1, R2])).toEqual([R2]);

    ok(await alembic(folder.dir, url, 'downgrade', 'base'));
    expect(await agree([])).toEqual([]);
  }, 240_000);
});
