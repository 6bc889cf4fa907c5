import { afterAll, describe, expect, it } from 'vitest';
import type { DriftReport, RehearsalReport } from '../../../features/migrations/shared/shadow-model';
import { cli, dbmateFile, mariadbUnderTest, migrationFolder, postgresUnderTest } from '../../support/migrations';
import { postgresExec } from '../../support/servers';

/**
 * A migration that names the live schema outright (`public.audit`, `shop.audit`) while the shadow's
 * schema has another name: with a PostgreSQL shadow database URL it lands beside the shadow, and the
 * result says so; on MySQL/MariaDB (the shadow is a database of the live server) it would reach the live
 * database, so it is not run, and the result says why.
 */
describe('PostgreSQL with a shadow database URL: a migration naming public', () => {
  const made: { drop(): Promise<void> }[] = [];
  const folders: { remove(): void }[] = [];
  afterAll(async () => {
    for (const m of made) await m.drop();
    for (const f of folders) f.remove();
  });

  it('rehearse and drift say the statements ran outside the shadow schema; without the URL there is nothing to say', async () => {
    const [live, shadowDb] = await Promise.all([postgresUnderTest.create(), postgresUnderTest.create()]);
    made.push(live, shadowDb);
    const folder = migrationFolder({
      '20240101000000_users.sql': dbmateFile('CREATE TABLE public.users (id int PRIMARY KEY);', 'DROP TABLE public.users;'),
    });
    folders.push(folder);
    expect((await cli(['migrate', 'up', '--url', live.url, '--dir', folder.dir])).code).toBe(0);
    folder.write('20240102000000_audit.sql', dbmateFile('CREATE TABLE "public".audit (id int);\n-- public.nothing in a comment\nINSERT INTO users VALUES (1);', 'DROP TABLE audit;'));

    const r = await cli(['migrate', 'up', '--rehearse', '--url', live.url, '--shadow-url', shadowDb.url, '--dir', folder.dir, '--json']);
    const report = JSON.parse(r.stdout) as RehearsalReport;
    expect(report.outcome, r.stdout).toBe('would-succeed');
    expect(report.shadow?.description).toMatch(/^schema dbdesk_shadow_\w+ in the shadow database/);
    const warning = report.warnings.find((w) => /names the schema public/.test(w));
    expect(warning, r.stdout).toMatch(/^A statement names the schema public outright \(CREATE TABLE "public"\.audit \(id int\)\)\. The shadow is the schema dbdesk_shadow_\w+ in the shadow database/);
    expect(warning).toMatch(/worked on the schema public of that database, outside the shadow/);
    expect(warning).toMatch(/without a shadow database URL/);
    // It did land there, and stays (as said) — so the next rehearsal fails on it, and says that may be false.
    expect((await postgresExec(shadowDb.name, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit'")).rowCount).toBe(1);
    const text = await cli(['migrate', 'up', '--rehearse', '--url', live.url, '--shadow-url', shadowDb.url, '--dir', folder.dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/would fail at statement 1 of 2 .*already exists/);
    expect(text.stdout).toMatch(/This may be false: a statement names the schema public outright and ran outside the shadow \(see the note\)/);
    expect(text.stdout).toMatch(/Note: A statement names the schema public outright/);
    await postgresExec(shadowDb.name, 'DROP TABLE public.audit');

    // The drift check replays the applied one, which names public too.
    const d = await cli(['migrate', 'drift', '--url', live.url, '--shadow-url', shadowDb.url, '--dir', folder.dir, '--json']);
    const drift = JSON.parse(d.stdout) as DriftReport;
    expect(drift.warnings.join('\n')).toMatch(/names the schema public outright \(CREATE TABLE public\.users/);

    // A temporary shadow database has its own public: nothing lands outside, nothing to say.
    const own = JSON.parse((await cli(['migrate', 'up', '--rehearse', '--url', live.url, '--dir', folder.dir, '--json'])).stdout) as RehearsalReport;
    expect(own.outcome).toBe('would-succeed');
    expect(own.warnings.join('\n')).not.toMatch(/names the schema/);
  });
});

describe('MariaDB: a migration naming the live database', () => {
  const made: { drop(): Promise<void> }[] = [];
  const folders: { remove(): void }[] = [];
  afterAll(async () => {
    for (const m of made) await m.drop();
    for (const f of folders) f.remove();
  });

  it('is not run in the shadow (it would change the live database): the rehearsal fails there and says why; production untouched', async () => {
    const live = await mariadbUnderTest.create();
    made.push(live);
    const folder = migrationFolder({ '20240101000000_users.sql': dbmateFile('CREATE TABLE users (id int PRIMARY KEY);', 'DROP TABLE users;') });
    folders.push(folder);
    expect((await cli(['migrate', 'up', '--url', live.url, '--dir', folder.dir])).code).toBe(0);
    folder.write('20240102000000_audit.sql', dbmateFile(`CREATE TABLE notes (id int);\n\nCREATE TABLE \`${live.name}\`.audit (id int);`, 'DROP TABLE audit;'));

    const r = await cli(['migrate', 'up', '--rehearse', '--url', live.url, '--dir', folder.dir, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as RehearsalReport;
    expect(report.outcome).toBe('would-fail');
    expect(report.failed).toMatchObject({ version: '20240102000000', statementIndex: 2, line: 4 });
    expect(report.failed!.error).toMatch(new RegExp(`names the live database ${live.name}.*would change the live database itself, so the rehearsal did not run it`));
    expect(report.shadow?.dropped).toBe(true);
    // Production untouched: neither table is there.
    await expect(live.query('SELECT * FROM audit')).rejects.toThrow();
    await expect(live.query('SELECT * FROM notes')).rejects.toThrow();

    // USE moves the session into the live database: not run either.
    folder.write('20240102000000_audit.sql', dbmateFile(`USE ${live.name};\nCREATE TABLE audit (id int);`, 'DROP TABLE audit;'));
    const use = JSON.parse((await cli(['migrate', 'up', '--rehearse', '--url', live.url, '--dir', folder.dir, '--json'])).stdout) as RehearsalReport;
    expect(use.failed).toMatchObject({ statementIndex: 1 });
    expect(use.failed!.error).toMatch(/names the live database/);
    await expect(live.query('SELECT * FROM audit')).rejects.toThrow();
  });
});
