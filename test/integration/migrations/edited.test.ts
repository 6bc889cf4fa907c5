import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, dbmateFile, enginesUnderTest, migrationFolder } from '../../support/migrations';

describe.each(enginesUnderTest)('a migration edited after it was applied on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.create>>;
  const folder = migrationFolder();
  const original = dbmateFile('CREATE TABLE notes (id int);', 'DROP TABLE notes;');
  beforeAll(async () => {
    db = await engine.create();
    folder.write('20240401000000_notes.sql', original);
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });
  const run = (...args: string[]) => cli(['migrate', ...args, '--url', db.url, '--dir', folder.dir]);
  const states = async () => (JSON.parse((await run('status', '--json')).stdout) as { migrations: { state: string }[] }).migrations.map((m) => m.state);

  it('is detected, and blocks up (even of other migrations) until it is resolved', async () => {
    expect((await run('up')).code).toBe(0);
    // Whitespace and line ends do not count as an edit…
    folder.write('20240401000000_notes.sql', original.replace(/\n/g, '\r\n') + '\n\n');
    expect(await states()).toEqual(['applied']);
    // …a change to the SQL does.
    folder.write('20240401000000_notes.sql', dbmateFile('CREATE TABLE notes (id int, body text);', 'DROP TABLE notes;'));
    folder.write('20240402000000_more.sql', dbmateFile('CREATE TABLE more_notes (id int);'));
    expect(await states()).toEqual(['edited', 'pending']);
    const status = await run('status');
    expect(status.code).toBe(1);
    const up = await run('up');
    expect(up.code).toBe(1);
    expect(up.stdout).toMatch(/20240401000000 \(20240401000000_notes\.sql\) was edited after it was applied/);
    await expect(db.query('SELECT * FROM more_notes')).rejects.toThrow();
  });

  it('restoring the file resolves it', async () => {
    folder.write('20240401000000_notes.sql', original);
    expect(await states()).toEqual(['applied', 'pending']);
    folder.write('20240401000000_notes.sql', dbmateFile('CREATE TABLE notes (id int, body text);', 'DROP TABLE notes;'));
  });

  it('accepting the new checksum resolves it (the admin says the database matches), then up proceeds', async () => {
    const accept = await run('repair', '--accept-checksum', '20240401000000');
    expect(accept.code, accept.stdout + accept.stderr).toBe(0);
    expect(await states()).toEqual(['applied', 'pending']);
    const up = await run('up');
    expect(up.code, up.stdout).toBe(0);
    expect(await db.query('SELECT * FROM more_notes')).toHaveLength(0);
    const actions = await db.query('SELECT action FROM dbdesk_migrations ORDER BY id');
    expect(actions.map((a) => a.action)).toEqual(['up', 'accept-checksum', 'up']);
  });
});
