import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlChecksum } from '../../../features/migrations/core/checksum';
import { cli, dbmateFile, enginesUnderTest, migrationFolder, runCli } from '../../support/migrations';

/** The keys issue 4 fixes for `dbdesk migrate status --json`, in that order (issue 20 added a migration's note, a history's latest). */
const TOP_KEYS = ['format', 'migrations', 'lock', 'foreign'];
const MIGRATION_KEYS = ['version', 'name', 'state', 'statementsApplied', 'statementsTotal', 'error', 'note'];

interface StatusJson {
  format: string;
  migrations: Record<string, unknown>[];
  lock: null | Record<string, unknown>;
  foreign: unknown[];
}

const appVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/**
 * `status --json` is what CI scripts parse: every state it can report (applied, pending, failed,
 * edited, missing), the lock while a run holds it, and nothing beyond the documented keys.
 */
describe.each(enginesUnderTest)('dbdesk migrate status --json on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.create>>;
  const folder = migrationFolder();
  const run = (...args: string[]) => cli(['migrate', ...args, '--url', db.url, '--dir', folder.dir]);
  const status = async () => {
    const r = await run('status', '--json');
    return { code: r.code, json: JSON.parse(r.stdout) as StatusJson };
  };
  beforeAll(async () => {
    db = await engine.create();
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });

  it('reports every state with exactly the documented keys; the own history has its audit columns', async () => {
    const firstUp = 'CREATE TABLE first_t (id int);';
    folder.write('20240101000001_first.sql', dbmateFile(firstUp, 'DROP TABLE first_t;'));
    folder.write('20240101000002_second.sql', dbmateFile('CREATE TABLE second_t (id int);', 'DROP TABLE second_t;'));
    const up = await run('up');
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const clean = await status();
    expect(clean.code).toBe(0);
    expect(clean.json).toEqual({
      format: 'dbmate',
      migrations: [
        { version: '20240101000001', name: 'first', state: 'applied' },
        { version: '20240101000002', name: 'second', state: 'applied' },
      ],
      lock: null,
      // DB Desk keeps dbmate's own table in step, so dbmate itself still sees what was applied.
      foreign: [{ tool: 'dbmate', table: 'schema_migrations', applied: 2, latest: '20240101000002' }],
    });

    // The own history row: checksum of the normalised up text, progress, times, who, where, which version.
    const [row] = await db.query("SELECT * FROM dbdesk_migrations WHERE version = '20240101000001'");
    expect(row).toMatchObject({ name: 'first', action: 'up', status: 'applied', checksum: sqlChecksum(firstUp), os_user: userInfo().username, client_host: hostname(), app_version: appVersion });
    expect([Number(row!.statements_applied), Number(row!.statements_total)]).toEqual([1, 1]);
    expect(Number.isNaN(Date.parse(String(row!.started_at)))).toBe(false);
    expect(Date.parse(String(row!.finished_at))).toBeGreaterThanOrEqual(Date.parse(String(row!.started_at)));
    expect(Number(row!.duration_ms)).toBeGreaterThanOrEqual(0);
    if (engine.name !== 'sqlite') expect(String(row!.db_user)).toMatch(/^(postgres|root)/);

    // A failure at statement 2 of 3, then: the first file deleted, the second edited, a fourth added.
    folder.write('20240101000003_third.sql', dbmateFile(`CREATE TABLE third_t (id int);\n${engine.failing};\nCREATE TABLE third_u (id int);`));
    expect((await run('up')).code).toBe(1);
    folder.remove();
    folder.write('20240101000002_second.sql', dbmateFile('CREATE TABLE second_t (id int, extra int);', 'DROP TABLE second_t;'));
    folder.write('20240101000003_third.sql', dbmateFile(`CREATE TABLE third_t (id int);\n${engine.failing};\nCREATE TABLE third_u (id int);`));
    folder.write('20240101000004_fourth.sql', dbmateFile('CREATE TABLE fourth_t (id int);'));

    const { code, json } = await status();
    // Edited and failed migrations wait for a decision: the exit code says so.
    expect(code).toBe(1);
    expect(Object.keys(json)).toEqual(TOP_KEYS);
    for (const m of json.migrations) expect(MIGRATION_KEYS).toEqual(expect.arrayContaining(Object.keys(m)));
    expect(json.migrations.map((m) => [m.version, m.state])).toEqual([
      ['20240101000001', 'missing'],
      ['20240101000002', 'edited'],
      ['20240101000003', 'failed'],
      ['20240101000004', 'pending'],
    ]);
    expect(json.migrations[0]).toMatchObject({ name: 'first' });
    expect(json.migrations[2]).toMatchObject({ name: 'third', statementsApplied: engine.transactionalDdl ? 0 : 1, statementsTotal: 3, error: expect.stringMatching(/no_such_table/) });
    expect(json.migrations[3]).toEqual({ version: '20240101000004', name: 'fourth', state: 'pending' });
    expect(json.lock).toBeNull();
  });

  it('shows the lock as { holder, since } while another run holds it, and null after', async () => {
    const lockDb = await engine.create();
    const slow = migrationFolder({ '20240201000000_slow.sql': dbmateFile(`CREATE TABLE slow_t (id int);\n${engine.slow(3)};`) });
    try {
      let started!: () => void;
      const applying = new Promise<void>((r) => (started = r));
      const runner = runCli(['migrate', 'up', '--url', lockDb.url, '--dir', slow.dir], {}, (out) => out.includes('Applying 20240201000000') && started());
      await applying;
      const during = await cli(['migrate', 'status', '--json', '--url', lockDb.url, '--dir', slow.dir]);
      expect(during.code, during.stderr).toBe(0);
      const held = (JSON.parse(during.stdout) as StatusJson).lock;
      expect(held).not.toBeNull();
      expect(Object.keys(held!)).toEqual(['holder', 'since']);
      expect(held!.holder).toEqual(expect.stringContaining(`pid ${runner.pid}`));
      expect(Number.isNaN(Date.parse(String(held!.since)))).toBe(false);
      const done = await runner.done;
      expect(done.code, done.stdout + done.stderr).toBe(0);
      const after = JSON.parse((await cli(['migrate', 'status', '--json', '--url', lockDb.url, '--dir', slow.dir])).stdout) as StatusJson;
      expect(after.lock).toBeNull();
      expect(after.migrations.map((m) => m.state)).toEqual(['applied']);
    } finally {
      await lockDb.drop();
      slow.remove();
    }
  });
});

describe('dbdesk migrate status --json when the database cannot be reached', () => {
  it('prints the error as JSON on stdout and exits 1', async () => {
    const folder = migrationFolder({ '20240101000000_a.sql': dbmateFile('SELECT 1;') });
    try {
      const r = await cli(['migrate', 'status', '--json', '--url', 'postgres://postgres@127.0.0.1:1/nowhere', '--dir', folder.dir]);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.stringMatching(/ECONNREFUSED|connect/i) }) });
    } finally {
      folder.remove();
    }
  });
});
