import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../electron/core/engines';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { checkDrift } from '../../../features/migrations/core/shadow/drift';
import type { DriftReport, RehearsalReport } from '../../../features/migrations/shared/shadow-model';
import { ConnectionFields } from '../../../shared/model/connection';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import { defaultMigrationSettings, type MigrationProgress } from '../../../shared/model/migrations';
import { cli, dbmateFile, enginesUnderTest, scratchDatabases, type EngineUnderTest } from '../../support/migrations';
import { mariadbExec, postgresExec } from '../../support/servers';

function configFor(url: string): EngineConfig {
  const parsed = parseConnectionUrl(url);
  return { ...ConnectionFields.parse(parsed.fields), poolSize: 2 };
}

/** Whether a shadow (database name, or file path for SQLite) still exists on the server or disk. */
async function shadowExists(engine: EngineUnderTest['name'], name: string): Promise<boolean> {
  if (engine === 'postgresql') return (await postgresExec('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (engine === 'mariadb') return ((await mariadbExec('test', 'SHOW DATABASES LIKE ?', [name])) as unknown[]).length === 1;
  return existsSync(name);
}

/** The shadow's name, from the progress line "Shadow: temporary database X" / "temporary file X". */
function shadowNameIn(text: string): string {
  const m = /Shadow: temporary (?:database|file) (\S+)/.exec(text);
  if (!m) throw new Error(`no shadow named in:\n${text}`);
  return m[1]!;
}

const USERS = 'CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL);\nCREATE INDEX users_email ON users (email);';
const ORDERS = 'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));';
const autoKey: Record<EngineUnderTest['name'], string> = {
  postgresql: 'id serial PRIMARY KEY',
  mariadb: 'id int AUTO_INCREMENT PRIMARY KEY',
  sqlite: 'id integer PRIMARY KEY',
};
const dropIndex: Record<EngineUnderTest['name'], string> = {
  postgresql: 'DROP INDEX users_email',
  mariadb: 'DROP INDEX users_email ON users',
  sqlite: 'DROP INDEX users_email',
};

describe.each(enginesUnderTest)('drift and rehearsal on $name', (engine) => {
  const scratch = scratchDatabases(engine);
  afterAll(() => scratch.cleanup());

  const applied = () =>
    scratch.fresh({
      '20240101000000_users.sql': dbmateFile(USERS, 'DROP TABLE users;'),
      '20240102000000_orders.sql': dbmateFile(ORDERS, 'DROP TABLE orders;'),
    });

  it('no drift: exit 0, and the shadow is gone afterwards', async () => {
    const { db, folder } = await applied();
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    const r = await cli(['migrate', 'drift', '--url', db.url, '--dir', folder.dir, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.drift).toBe(false);
    expect(report.applied).toEqual(['20240101000000', '20240102000000']);
    expect(report.same).toBeGreaterThanOrEqual(2);
    expect(report.shadow.dropped).toBe(true);
    expect(await shadowExists(engine.name, shadowNameIn(r.stderr))).toBe(false);
  });

  it('drift: a column added by hand and an index dropped are listed; exit 1', async () => {
    const { db, folder } = await applied();
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    await db.exec('ALTER TABLE users ADD COLUMN phone varchar(20)');
    await db.exec(dropIndex[engine.name]);
    await db.exec('CREATE TABLE hotfix (id int)');
    const r = await cli(['migrate', 'drift', '--url', db.url, '--dir', folder.dir, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.drift).toBe(true);
    const users = report.items.find((i) => i.name === 'users')!;
    expect(users.status).toBe('changed');
    expect(users.details.join('\n')).toMatch(/phone/);
    expect(users.details.join('\n')).toMatch(/users_email/);
    expect(report.items.find((i) => i.name === 'hotfix')?.status).toBe('added');
    expect(report.items.some((i) => i.name === 'orders')).toBe(false);
    expect(report.migration?.up.statements.join('\n')).toMatch(/phone/);
    expect(await shadowExists(engine.name, shadowNameIn(r.stderr))).toBe(false);
    // The text for a person says the same.
    const text = await cli(['migrate', 'drift', '--url', db.url, '--dir', folder.dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/Changed outside the migrations:[\s\S]*table users[\s\S]*phone/);
    expect(text.stdout).toMatch(/Made outside the migrations[\s\S]*table hotfix/);
  });

  it('an applied migration that no longer builds: the check fails (exit 2) and the shadow is dropped', async () => {
    const { db, folder } = await applied();
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    folder.write('20240102000000_orders.sql', dbmateFile(`${ORDERS}\n${engine.failing};`, 'DROP TABLE orders;'));
    const r = await cli(['migrate', 'drift', '--url', db.url, '--dir', folder.dir]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/do not build in the shadow/);
    expect(r.stderr).toMatch(/20240102000000/);
    expect(await shadowExists(engine.name, shadowNameIn(r.stdout))).toBe(false);
  });

  it('cancelled while the shadow is being built: the shadow is dropped', async () => {
    const { db, folder } = await applied();
    folder.write('20240103000000_slow.sql', dbmateFile(`${engine.slow(1)};`));
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    const engineOpen = await openEngine(configFor(db.url));
    const controller = new AbortController();
    const seen: MigrationProgress[] = [];
    try {
      const run = checkDrift({
        live: { config: configFor(db.url), engine: engineOpen, adapter: engineOpen.migrations(), label: 'live' },
        shadowConfig: null,
        dir: folder.dir,
        settings: { ...defaultMigrationSettings, dir: folder.dir },
        runId: 'cancel-test-run',
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.kind === 'migration-started' && p.version === '20240103000000') controller.abort();
        },
      });
      await expect(run).rejects.toThrow(/cancel/i);
    } finally {
      await engineOpen.close();
    }
    const text = seen.map((p) => p.message).join('\n');
    expect(text).toMatch(/Shadow dropped/);
    expect(await shadowExists(engine.name, shadowNameIn(text))).toBe(false);
  });

  it('rehearse: a unique index over duplicate rows fails only with the rows copied, at its statement; production untouched', async () => {
    const { db, folder } = await applied();
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    await db.exec("INSERT INTO users (id, email) VALUES (1, 'a@example.com'), (2, 'a@example.com'), (3, 'b@example.com')");
    folder.write('20240103000000_unique_email.sql', dbmateFile('CREATE TABLE audit (id int);\n\nCREATE UNIQUE INDEX users_email_unique\n  ON users (email);', 'DROP INDEX users_email_unique;\nDROP TABLE audit;'));

    const schemaOnly = await cli(['migrate', 'up', '--rehearse', '--url', db.url, '--dir', folder.dir, '--json']);
    expect(schemaOnly.code, schemaOnly.stdout + schemaOnly.stderr).toBe(0);
    expect((JSON.parse(schemaOnly.stdout) as RehearsalReport).outcome).toBe('would-succeed');

    const r = await cli(['migrate', 'up', '--rehearse', '--with-rows', '--url', db.url, '--dir', folder.dir, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as RehearsalReport;
    expect(report.outcome).toBe('would-fail');
    expect(report.rows.copied).toContainEqual({ table: 'users', rows: 3 });
    expect(report.failed).toMatchObject({ version: '20240103000000', statementIndex: 2, statementsTotal: 2, line: 4, file: '20240103000000_unique_email.sql' });
    expect(report.failed!.sql).toMatch(/CREATE UNIQUE INDEX users_email_unique/);
    expect(report.failed!.explained?.kind).toBeDefined();
    expect(report.shadow?.dropped).toBe(true);
    expect(await shadowExists(engine.name, shadowNameIn(r.stderr))).toBe(false);

    // A threshold under the table's rows leaves it empty in the shadow: the failure is not reached, and that is said.
    const small = await cli(['migrate', 'up', '--rehearse', '--small-rows', '2', '--url', db.url, '--dir', folder.dir, '--json']);
    const smallReport = JSON.parse(small.stdout) as RehearsalReport;
    expect(smallReport.outcome).toBe('would-succeed');
    expect(smallReport.rows.skipped).toContain('users');
    expect(smallReport.warnings.join('\n')).toMatch(/more than 2 rows/);

    // Production untouched: still pending, nothing created, the rows as they were.
    const status = await cli(['migrate', 'status', '--url', db.url, '--dir', folder.dir, '--json']);
    expect(status.stdout).toMatch(/"pending"/);
    await expect(db.query('SELECT * FROM audit')).rejects.toThrow();
    expect(await db.query('SELECT id FROM users')).toHaveLength(3);
  });

  it('rehearse with rows: a pending INSERT gets the next key after the copied rows, as on the live database', async () => {
    const { db, folder } = await applied();
    folder.write('20240103000000_counters.sql', dbmateFile(`CREATE TABLE counters (${autoKey[engine.name]}, name varchar(20));\nINSERT INTO counters (name) VALUES ('a');\nINSERT INTO counters (name) VALUES ('b');`, 'DROP TABLE counters;'));
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    folder.write('20240104000000_more.sql', dbmateFile("INSERT INTO counters (name) VALUES ('c');", "DELETE FROM counters WHERE name = 'c';"));
    const r = await cli(['migrate', 'up', '--rehearse', '--with-rows', '--url', db.url, '--dir', folder.dir, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as RehearsalReport;
    expect(report.outcome).toBe('would-succeed');
    expect(report.rows.copied).toContainEqual({ table: 'counters', rows: 2 });
  });

  it('rehearse: a table that already exists fails at the right statement, with the text for a person', async () => {
    const { db, folder } = await applied();
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    folder.write('20240103000000_more.sql', dbmateFile('CREATE TABLE notes (id int);', 'DROP TABLE notes;'));
    folder.write('20240104000000_again.sql', dbmateFile('CREATE TABLE tags (id int);\nCREATE TABLE orders (id int);', 'DROP TABLE tags;'));
    const r = await cli(['migrate', 'up', '--rehearse', '--url', db.url, '--dir', folder.dir]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/ok +20240103000000 more/);
    expect(r.stdout).toMatch(/FAIL +20240104000000 again, statement 2 of 2 \(20240104000000_again.sql line 3\)/);
    expect(r.stdout).toMatch(/orders/);
    expect(r.stdout).toMatch(/Production was not touched/);
    await expect(db.query('SELECT * FROM notes')).rejects.toThrow();
    // Nothing pending: exit 0 and said so.
    const { db: db2, folder: f2 } = await applied();
    expect((await cli(['migrate', 'up', '--url', db2.url, '--dir', f2.dir])).code).toBe(0);
    const none = await cli(['migrate', 'up', '--rehearse', '--url', db2.url, '--dir', f2.dir]);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/Nothing to rehearse/);
  });
});
