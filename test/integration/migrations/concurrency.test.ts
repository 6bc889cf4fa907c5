import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dbmateFile, enginesUnderTest, migrationFolder, runCli } from '../../support/migrations';

/**
 * Two `dbdesk migrate up` processes against the same database at the same time. Each migration
 * logs itself into applied_log, so a migration applied twice shows up as two rows.
 */
describe.each(enginesUnderTest)('two runners at once on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.create>>;
  const folder = migrationFolder();

  beforeAll(async () => {
    db = await engine.create();
    await db.exec('CREATE TABLE applied_log (migration varchar(50) NOT NULL)');
    for (let i = 1; i <= 3; i++) {
      folder.write(`2024010100000${i}_step_${i}.sql`, dbmateFile(`CREATE TABLE t${i} (id int);\nINSERT INTO applied_log VALUES ('m${i}');\n${engine.slow(1)};`, `DROP TABLE t${i};`));
    }
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });

  it('exactly one applies each migration; the other waits, naming the holder, then finds nothing to do', async () => {
    const args = ['migrate', 'up', '--url', db.url, '--dir', folder.dir];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    expect([a.code, b.code], `${a.stdout}${a.stderr}\n---\n${b.stdout}${b.stderr}`).toEqual([0, 0]);

    const log = await db.query('SELECT migration FROM applied_log ORDER BY migration');
    expect(log.map((r) => r.migration)).toEqual(['m1', 'm2', 'm3']);
    const history = await db.query("SELECT version, action, status FROM dbdesk_migrations WHERE action = 'up' ORDER BY id");
    expect(history.map((r) => [r.version, r.status])).toEqual([
      ['20240101000001', 'applied'],
      ['20240101000002', 'applied'],
      ['20240101000003', 'applied'],
    ]);

    const [winner, loser] = a.stdout.includes('3 migrations applied') ? [a, b] : [b, a];
    expect(winner.stdout).toContain('3 migrations applied');
    expect(loser.stdout).toMatch(/Waiting for the migration lock, held by .*pid \d+/);
    expect(loser.stdout).toContain('Nothing to do');
  });

  it('a runner told not to wait reports who holds the lock and runs nothing', async () => {
    folder.write('20240101000004_step_4.sql', dbmateFile(`INSERT INTO applied_log VALUES ('m4');\n${engine.slow(3)};`));
    let release!: () => void;
    const locked = new Promise<void>((r) => (release = r));
    const a = runCli(['migrate', 'up', '--url', db.url, '--dir', folder.dir], {}, (out) => out.includes('Applying 20240101000004') && release());
    await locked;
    const b = await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir, '--wait', '0']);
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(new RegExp(`The migration lock is held by .*pid ${a.pid}[^\\d]`));
    expect(b.stdout).toContain('Nothing was run');
    const ra = await a.done;
    expect(ra.code, ra.stdout + ra.stderr).toBe(0);
    const m4 = await db.query("SELECT migration FROM applied_log WHERE migration = 'm4'");
    expect(m4).toHaveLength(1);
  });
});
