import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMigrationSettings, type MigrationPlan, type MigrationProgress } from '../../../shared/model/migrations';
import { cli, dbmateFile, enginesUnderTest, migrationFolder, runCli } from '../../support/migrations';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

const VERSIONS = ['20240101000001', '20240101000002', '20240101000003', '20240101000004'];

describe.each(enginesUnderTest)('targets on $name: up to, down N, down to, baseline', (engine) => {
  let db: Awaited<ReturnType<typeof engine.create>>;
  const folder = migrationFolder();
  beforeAll(async () => {
    db = await engine.create();
    VERSIONS.forEach((v, i) => folder.write(`${v}_t${i + 1}.sql`, dbmateFile(`CREATE TABLE t${i + 1} (id int);`, `DROP TABLE t${i + 1};`)));
  });
  afterAll(async () => {
    await db?.drop();
    folder.remove();
  });
  const run = (...args: string[]) => cli(['migrate', ...args, '--url', db.url, '--dir', folder.dir]);
  const states = async () => (JSON.parse((await run('status', '--json')).stdout) as { migrations: { state: string }[] }).migrations.map((m) => m.state);

  it('up --to applies up to and including that version', async () => {
    expect((await run('up', '--to', VERSIONS[1]!)).code).toBe(0);
    expect(await states()).toEqual(['applied', 'applied', 'pending', 'pending']);
  });

  it('down (one step by default) and down --steps N revert the newest first', async () => {
    expect((await run('up')).code).toBe(0);
    expect((await run('down')).code).toBe(0);
    expect(await states()).toEqual(['applied', 'applied', 'applied', 'pending']);
    const r = await run('down', '--steps', '2');
    expect(r.code).toBe(0);
    expect(r.stdout.indexOf('Reverting 20240101000003')).toBeLessThan(r.stdout.indexOf('Reverting 20240101000002'));
    expect(await states()).toEqual(['applied', 'pending', 'pending', 'pending']);
    await expect(db.query('SELECT * FROM t2')).rejects.toThrow();
  });

  it('plan --down shows the down sections down would run, newest first, and runs nothing', async () => {
    expect((await run('up')).code).toBe(0);
    const r = await run('plan', '--down', '--steps', '2', '--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as MigrationPlan;
    expect(plan.action).toBe('down');
    expect(plan.steps.map((s) => [s.version, s.direction])).toEqual([[VERSIONS[3], 'down'], [VERSIONS[2], 'down']]);
    expect(plan.steps[0]!.units.flatMap((u) => u.statements.map((st) => st.sql))).toEqual([expect.stringMatching(/^DROP TABLE t4\b/)]);
    expect(await states()).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect((await run('plan', '--down', '--to', VERSIONS[0]!)).stdout).toMatch(/20240101000002/);
    expect((await run('up', '--down')).code).toBe(2);
  });

  it('down --to keeps that version applied; --to 0 reverts everything', async () => {
    expect((await run('up')).code).toBe(0);
    expect((await run('down', '--to', VERSIONS[2]!)).code).toBe(0);
    expect(await states()).toEqual(['applied', 'applied', 'applied', 'pending']);
    expect((await run('down', '--to', '0')).code).toBe(0);
    expect(await states()).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('baseline records an existing database as applied up to a version without running anything', async () => {
    await db.exec('CREATE TABLE t1 (id int); CREATE TABLE t2 (id int);');
    const b = await run('baseline', '--to', VERSIONS[1]!);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    expect(b.stdout).toMatch(/2 migrations recorded as applied \(baseline\)/);
    expect(await states()).toEqual(['applied', 'applied', 'pending', 'pending']);
    expect((await run('up')).code).toBe(0);
    const rows = await db.query("SELECT version, action FROM dbdesk_migrations WHERE action = 'baseline' ORDER BY id");
    expect(rows.map((r) => r.version)).toEqual(VERSIONS.slice(0, 2));
  });

  it('bad arguments exit with 2', async () => {
    expect((await run('up', '--steps', '2')).code).toBe(2);
    expect((await run('baseline')).code).toBe(2);
    expect((await run('repair')).code).toBe(2);
    expect((await run('repair', '--forget', '1', '--resume', '1')).code).toBe(2);
    expect((await run('down', '--steps', '0')).code).toBe(2);
    expect((await cli(['migrate', 'up', '--dir', folder.dir])).code).toBe(2);
    expect((await cli(['migrate', 'sideways', '--url', db.url, '--dir', folder.dir])).code).toBe(2);
    const noFolder = await cli(['migrate', 'status', '--url', db.url, '--dir', `${folder.dir}/no-such-folder`]);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toMatch(/--dir names no folder/);
    // A version the folder does not have, or one not written as a version at all: exit 2, found
    // before connecting (the URL below names a server that is not there).
    const unknown = await run('up', '--to', '99999999999999');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--to 99999999999999: there is no migration 99999999999999/);
    const nowhere = 'postgres://nobody@127.0.0.1:1/none';
    for (const args of [['up', '--to', 'not-a-version'], ['down', '--to', '1.2'], ['repair', '--resume', '20990101000000'], ['repair', '--forget', 'x']]) {
      const r = await cli(['migrate', ...args, '--url', nowhere, '--dir', folder.dir]);
      expect([args.join(' '), r.code, r.stderr]).toEqual([args.join(' '), 2, expect.stringMatching(/is not a dbmate version|there is no migration/)]);
    }
  });
});

describe.each(enginesUnderTest)('cancel between statements on $name', (engine) => {
  let db: Awaited<ReturnType<typeof engine.create>>;
  let t: TestCore;
  let w: TestWindow;
  let id: string;
  const folder = migrationFolder();
  beforeAll(async () => {
    db = await engine.create();
    folder.write('20240201000000_slow.sql', dbmateFile(['CREATE TABLE s1 (id int);', `${engine.slow(1)};`, 'CREATE TABLE s2 (id int);', `${engine.slow(1)};`, 'CREATE TABLE s3 (id int);'].join('\n')));
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

  it('the GUI gets progress per statement, and cancel stops before the next statement', async () => {
    const settings = { ...defaultMigrationSettings, dir: folder.dir };
    const runId = `cancel-${engine.name}-run`;
    const started = new Promise<void>((resolve) => {
      const off = setInterval(() => {
        const ev = w.events.filter((e) => e.name === 'migration.progress').map((e) => e.payload as MigrationProgress);
        if (ev.some((e) => e.runId === runId && e.kind === 'statement-started' && e.statementIndex === 2)) {
          clearInterval(off);
          resolve();
        }
      }, 20);
    });
    const controller = new AbortController();
    const applying = w.client.call('migrations.apply', { connectionId: id, dir: folder.dir, settings, request: { action: 'up' }, runId }, { signal: controller.signal });
    await started;
    controller.abort();
    const result = await applying;
    expect(result.outcome).toBe('cancelled');
    expect(result.failed).toMatchObject({ statementIndex: 3, statementsTotal: 5, error: 'Cancelled by the user between statements.' });
    const kinds = w.events.filter((e) => e.name === 'migration.progress').map((e) => e.payload as MigrationProgress).filter((e) => e.runId === runId);
    expect(kinds.filter((e) => e.kind === 'statement-started').map((e) => e.statementIndex)).toEqual([1, 2]);
    expect(kinds.at(-1)?.kind).toBe('run-finished');
    // Statement 3 never ran.
    await expect(db.query('SELECT * FROM s2')).rejects.toThrow();
    if (engine.transactionalDdl) {
      await expect(db.query('SELECT * FROM s1')).rejects.toThrow();
      const status = await w.client.call('migrations.status', { connectionId: id, dir: folder.dir, settings });
      expect(status.migrations[0]).toMatchObject({ state: 'failed', resumable: false });
    } else {
      expect(await db.query('SELECT * FROM s1')).toHaveLength(0);
      const status = await w.client.call('migrations.status', { connectionId: id, dir: folder.dir, settings });
      expect(status.migrations[0]).toMatchObject({ state: 'failed', statementsApplied: 2, resumable: true });
      const resumed = await w.client.call('migrations.repair', { connectionId: id, dir: folder.dir, settings, action: 'resume', version: '20240201000000', runId: `resume-${engine.name}-run` });
      expect(resumed.outcome).toBe('success');
    }
  });

  it.runIf(engine.name === 'postgresql')('the CLI stops between statements on Ctrl+C and exits 1', async () => {
    const p = runCli(['migrate', 'up', '--url', db.url, '--dir', folder.dir], {}, () => undefined);
    const deadline = Date.now() + 20_000;
    // Wait until statement 2 runs, then interrupt.
    for (;;) {
      const rows = await db.query("SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND datname = current_database()");
      if (Number(rows[0]!.n) > 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(p.pid, 'SIGINT');
    const r = await p.done;
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/Stopping after the current statement/);
    expect(r.stdout).toMatch(/Cancelled before statement 3/);
  });
});
