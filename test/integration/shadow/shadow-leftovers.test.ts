import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../electron/core/engines';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { checkDrift } from '../../../features/migrations/core/shadow/drift';
import { shadowCreatedAt, shadowName } from '../../../features/migrations/core/shadow/sweep';
import { ConnectionFields } from '../../../shared/model/connection';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import { defaultMigrationSettings, type MigrationProgress } from '../../../shared/model/migrations';
import { cli, dbmateFile, enginesUnderTest, mariadbUnderTest, postgresUnderTest, runCli, scratchDatabases, type EngineUnderTest } from '../../support/migrations';
import { mariadbExec, postgresExec } from '../../support/servers';
import { createTestCore, saveProfileFromUrl } from '../../support/test-core';

/** Whether a shadow database still exists on the server. */
async function databaseExists(engine: EngineUnderTest['name'], name: string): Promise<boolean> {
  if (engine === 'postgresql') return (await postgresExec('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  return ((await mariadbExec('test', 'SHOW DATABASES LIKE ?', [name.replace(/_/g, '\\_')])) as unknown[]).length === 1;
}

function configFor(url: string): EngineConfig {
  const parsed = parseConnectionUrl(url);
  return { ...ConnectionFields.parse(parsed.fields), poolSize: 2 };
}

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each([postgresUnderTest, mariadbUnderTest])('shadows left behind on $name', (engine) => {
  const scratch = scratchDatabases(engine);
  afterAll(() => scratch.cleanup());

  /**
   * A window closed (or its socket gone) in the middle of a rehearsal: its run is cancelled and drops its
   * shadow — after the statement it is in when that ends soon, and from the worker when it does not.
   */
  it.each([
    { when: 'between statements', seconds: 1, statements: 3 },
    { when: 'in a 30 s statement', seconds: 30, statements: 1 },
  ])('a window closed during a rehearsal drops its shadow ($when)', async ({ seconds, statements }) => {
    const { db, folder } = await scratch.fresh({ '20240101000000_a.sql': dbmateFile('CREATE TABLE a (id int);', 'DROP TABLE a;') });
    const core = createTestCore();
    try {
      const w = core.openWindow();
      const id = await saveProfileFromUrl(w.client, db.url);
      await w.client.call('connections.open', { id });
      const settings = { ...defaultMigrationSettings, dir: folder.dir };
      await w.client.call('migrations.apply', { connectionId: id, dir: folder.dir, settings, request: { action: 'up' }, runId: 'apply-first' });
      folder.write('20240102000000_slow.sql', dbmateFile(Array.from({ length: statements }, () => `${engine.slow(seconds)};`).join('\n')));

      const answer = w.client.call('migrations.rehearse', { connectionId: id, dir: folder.dir, settings, runId: 'rehearse-slow', copyRowsUpTo: null }).catch((e: unknown) => e);
      const progress = () => w.events.filter((e) => e.name === 'migration.progress').map((e) => e.payload as MigrationProgress);
      const shadow = await until('the shadow', () => progress().map((p) => /Shadow: temporary database (\S+)/.exec(p.message)?.[1]).find(Boolean));
      await until('the slow migration', () => progress().find((p) => p.kind === 'statement-started' && p.version === '20240102000000'));
      expect(await databaseExists(engine.name, shadow)).toBe(true);

      const closing = Date.now();
      await w.close();
      const closeMs = Date.now() - closing;
      expect(await databaseExists(engine.name, shadow)).toBe(false);
      expect(closeMs).toBeLessThan(10_000);
      await answer;
    } finally {
      await core.close();
    }
  });
});

/** Whether a shadow (database name, or file path for SQLite) exists. */
async function shadowExists(engine: EngineUnderTest['name'], name: string): Promise<boolean> {
  return engine === 'sqlite' ? existsSync(name) : databaseExists(engine, name);
}

/** Makes a shadow-like database (or SQLite file) by hand, as if a run had left it. */
async function makeLeftover(engine: EngineUnderTest['name'], name: string, pid: number): Promise<string> {
  if (engine === 'postgresql') await postgresExec('postgres', `CREATE DATABASE ${name}`);
  else if (engine === 'mariadb') await mariadbExec('test', `CREATE DATABASE ${name}`);
  else {
    const path = join(tmpdir(), `${name}_p${pid}.sqlite`);
    writeFileSync(path, '');
    return path;
  }
  return name;
}

async function dropLeftover(engine: EngineUnderTest['name'], name: string): Promise<void> {
  if (engine === 'postgresql') await postgresExec('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  else if (engine === 'mariadb') await mariadbExec('test', `DROP DATABASE IF EXISTS ${name}`);
  else rmSync(name, { force: true });
}

/** A `dbdesk migrate up --rehearse` child, once it is inside the slow pending migration: its shadow's name. */
async function rehearsingChild(url: string, dir: string): Promise<{ child: ReturnType<typeof runCli>; shadow: string }> {
  let out = '';
  const child = runCli(['migrate', 'up', '--rehearse', '--url', url, '--dir', dir], {}, (text) => (out = text));
  const shadow = await until('the child in its slow migration', () => (/\[1\/\d+\] /.test(out) ? /Shadow: temporary (?:database|file) (\S+)/.exec(out)?.[1] : undefined), 60_000);
  return { child, shadow };
}

describe.each(enginesUnderTest)('the sweep on $name', (engine) => {
  const scratch = scratchDatabases(engine);
  const made: string[] = [];
  afterAll(async () => {
    for (const name of made) await dropLeftover(engine.name, name).catch(() => undefined);
    await scratch.cleanup();
  });

  it('drops the shadow a SIGKILLed run left, not a fresh one, not one a live run holds, not a look-alike', async () => {
    const { db, folder } = await scratch.fresh({ '20240101000000_a.sql': dbmateFile('CREATE TABLE a (id int);', 'DROP TABLE a;') });
    expect((await cli(['migrate', 'up', '--url', db.url, '--dir', folder.dir])).code).toBe(0);
    folder.write('20240102000000_slow.sql', dbmateFile(Array.from({ length: 40 }, () => `${engine.slow(1)};`).join('\n')));

    // A run killed outright in the middle of its rehearsal leaves its shadow.
    const killed = await rehearsingChild(db.url, folder.dir);
    made.push(killed.shadow);
    killed.child.kill();
    await killed.child.done;
    expect(await shadowExists(engine.name, killed.shadow)).toBe(true);

    // Another run is still rehearsing: its shadow is held.
    const holding = await rehearsingChild(db.url, folder.dir);
    made.push(holding.shadow);
    const live = await openEngine(configFor(db.url));
    try {
      const port = await live.dialect.shadow();
      /** The shadow's generated name: a database's name, or a file's without its folder and `_p<pid>.sqlite`. */
      const nameOf = (shadow: string) => shadow.replace(/^.*\/|_p\d+\.sqlite$/g, '');
      // The killed run's sessions end once the server notices (after the statement it was in).
      await until('the killed run’s sessions gone', async () => {
        const left = await port.leftShadows(configFor(db.url), () => live.migrations().openConnection());
        return left.some((l) => l.name === nameOf(killed.shadow) && !l.held) ? true : undefined;
      });
      // Both are older than the sweep's age below (6 s); a fresh one (made just now, held by no run) is
      // not, and a look-alike with an old time in its name is not a name of ours.
      const ageOf = (shadow: string) => Date.now() - shadowCreatedAt(nameOf(shadow))!.getTime();
      await until('both runs older than 8 s', () => (ageOf(holding.shadow) > 8000 ? true : undefined), 30_000);
      const fresh = await makeLeftover(engine.name, shadowName(), killed.child.pid);
      made.push(fresh);
      const lookalike = await makeLeftover(engine.name, `dbdesk_shadow_20200101t000000_${randomBytes(4).toString('hex')}_keep`, killed.child.pid);
      made.push(lookalike);

      // The sweep runs before a run makes its shadow: here a drift check's, told 6 s is old.
      const report = await checkDrift({
        live: { config: configFor(db.url), engine: live, adapter: live.migrations(), label: 'live' },
        shadowConfig: null,
        dir: folder.dir,
        settings: { ...defaultMigrationSettings, dir: folder.dir },
        runId: 'sweep-test-run',
        sweepOlderThanMs: 6000,
      });
      const swept = report.shadow.swept?.map((x) => x.name) ?? [];
      // (Other runs on this shared server may have left shadows of their own: only these four matter here.)
      expect(swept).toContain(nameOf(killed.shadow));
      for (const kept of [holding.shadow, fresh, lookalike]) expect(swept).not.toContain(nameOf(kept));
      expect(report.shadow.swept?.find((x) => x.name === nameOf(killed.shadow))?.description).toContain(killed.shadow);
      expect(report.shadow.dropped).toBe(true);
      expect(await shadowExists(engine.name, killed.shadow)).toBe(false);
      expect(await shadowExists(engine.name, holding.shadow)).toBe(true);
      expect(await shadowExists(engine.name, fresh)).toBe(true);
      expect(await shadowExists(engine.name, lookalike)).toBe(true);
    } finally {
      await live.close();
      holding.child.kill();
      await holding.child.done;
    }
  });
});
