import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBackup, runRestore } from '../../../features/backup/core/backup-runner';
import { mariadbAdmin, randomName } from '../../support/servers';
import { mariadbSide, openSource, postgresSide, SEED, sqliteSide, type Side } from './helpers';

const signal = () => new AbortController().signal;
const all = { scope: 'all' as const, tables: [] };

/** What a running process was started with: its arguments (NUL-separated) and its environment. */
function processFacts(pid: number): { argv: string[]; env: Record<string, string> } {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const env = Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return { argv, env };
}

/** The error a call must end with (a call that succeeds fails the test). */
async function failure(call: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await call;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected the call to fail, and it succeeded');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let dir: string;
const savedPath = process.env.PATH;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-backup-fail-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.env.PATH = savedPath;
});

/** A folder first on PATH whose `name` prints `version` for --version, and otherwise records that it ran. */
function shadowTool(name: string, version: string): { ran: () => boolean } {
  const bin = join(dir, `bin-${randomName('x')}`);
  mkdirSync(bin);
  const marker = join(bin, 'ran');
  writeFileSync(join(bin, name), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo '${version}'; exit 0; fi\ntouch '${marker}'\nexit 0\n`);
  chmodSync(join(bin, name), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
  return { ran: () => existsSync(marker) };
}

describe('PostgreSQL', () => {
  let side: Side;
  beforeAll(async () => {
    side = await postgresSide();
    await side.exec(SEED.postgres);
  });
  afterAll(() => side?.drop());

  it('the password reaches pg_dump and pg_restore in a 0600 passfile, never in argv, and the file is gone afterwards', async () => {
    const password = `pw-${randomName('s')}:with\\colon`;
    const from = await openSource(side.url, { password });
    const seen: { argv: string[]; passfile: string; mode: number; contents: string }[] = [];
    const onSpawn = (pid: number) => {
      const { argv, env } = processFacts(pid);
      const passfile = env.PGPASSFILE!;
      seen.push({ argv, passfile, mode: statSync(passfile).mode & 0o777, contents: readFileSync(passfile, 'utf8') });
      expect(env.PGPASSWORD).toBeUndefined();
    };
    const file = join(dir, 'pw.dump');
    try {
      await runBackup(from, { path: file, overwrite: false, options: all }, { signal: signal(), onSpawn });
      const target = await postgresSide();
      try {
        const to = await openSource(target.url, { password });
        try {
          await runRestore(to, { path: file }, { signal: signal(), onSpawn });
        } finally {
          await to.close();
        }
      } finally {
        await target.drop();
      }
    } finally {
      await from.close();
    }
    // Debian runs the tools through its perl wrapper (pg_wrapper): the tool's name is an argument there.
    expect(seen.map((s) => s.argv.find((a) => /(^|\/)pg_(dump|restore)$/.test(a))?.replace(/.*\//, ''))).toEqual(['pg_dump', 'pg_restore']);
    for (const s of seen) {
      expect(s.argv.join(' ')).not.toContain('pw-');
      expect(s.mode).toBe(0o600);
      expect(s.contents).toBe(`*:*:*:*:${password.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}\n`);
      expect(existsSync(s.passfile)).toBe(false);
    }
  });

  it('a failing pg_dump shows its own error text, scrubbed of the password, and leaves no file', async () => {
    const password = `secret${randomName('p')}`;
    const from = await openSource(side.url, { password });
    try {
      const path = join(dir, 'nomatch.dump');
      // The table pattern names the password, so the tool's own message carries it.
      const err = await failure(runBackup(from, { path, overwrite: false, options: { scope: 'all', tables: [{ schema: null, name: password }] } }, { signal: signal() }));
      expect(err).toMatchObject({ code: 'query-failed' });
      expect(err.message).toMatch(/^pg_dump failed: pg_dump: error: no matching tables were found for pattern/);
      expect(err.message).not.toContain(password);
      expect(err.message).toContain('[secret removed]');
      expect(readdirSync(dir).filter((f) => f.startsWith('.nomatch') || f === 'nomatch.dump')).toEqual([]);
    } finally {
      await from.close();
    }
  });

  it('pg_restore of a file that is not an archive fails with pg_restore’s words, and nothing changes', async () => {
    const junk = join(dir, 'junk.dump');
    writeFileSync(junk, 'this is not a dump\n');
    const target = await postgresSide();
    try {
      const to = await openSource(target.url);
      try {
        const err = await failure(runRestore(to, { path: junk }, { signal: signal() }));
        expect(err.message).toMatch(/pg_restore: error: .*(not appear to be a valid archive|input file is too short)/);
      } finally {
        await to.close();
      }
      expect(await target.rows(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).toEqual([{ n: 0 }]);
    } finally {
      await target.drop();
    }
  });

  it('a pg_dump older than the server is refused before it runs, with the remedy', async () => {
    const fake = shadowTool('pg_dump', 'pg_dump (PostgreSQL) 9.6.24');
    const from = await openSource(side.url);
    try {
      const err = await failure(runBackup(from, { path: join(dir, 'old.dump'), overwrite: false, options: all }, { signal: signal() }));
      expect(err).toMatchObject({ code: 'unsupported', detail: { refused: true, toolVersion: '9.6.24' } });
      expect(err.message).toMatch(/pg_dump 9\.6\.24 is older than the server \(PostgreSQL \d+/);
      expect(err.message).toMatch(/apt install postgresql-client-\d+/);
      expect(fake.ran()).toBe(false);
      expect(existsSync(join(dir, 'old.dump'))).toBe(false);
    } finally {
      await from.close();
    }
  });

  it('a missing pg_dump says what to install', async () => {
    process.env.PATH = join(dir, 'nothing-here');
    const from = await openSource(side.url);
    try {
      await expect(runBackup(from, { path: join(dir, 'missing.dump'), overwrite: false, options: all }, { signal: signal() })).rejects.toThrow(/pg_dump was not found on this machine\. Install the PostgreSQL client tools/);
    } finally {
      await from.close();
    }
  });

  it('cancel kills pg_dump and removes the partial file', async () => {
    const from = await openSource(side.url);
    const controller = new AbortController();
    let pid = 0;
    try {
      const run = runBackup(from, { path: join(dir, 'cancelled.dump'), overwrite: false, options: all }, {
        signal: controller.signal,
        onSpawn: (p) => {
          pid = p;
          controller.abort();
        },
      });
      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await from.close();
    }
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('cancelled'))).toEqual([]);
  });

  it('refuses a path that is not a regular file, and an existing file unless replacing is allowed', async () => {
    const from = await openSource(side.url);
    try {
      await expect(runBackup(from, { path: dir, overwrite: true, options: all }, { signal: signal() })).rejects.toThrow(/is a folder/);
      await expect(runBackup(from, { path: 'relative.dump', overwrite: true, options: all }, { signal: signal() })).rejects.toThrow(/not an absolute path/);
      await expect(runBackup(from, { path: '/dev/null', overwrite: true, options: all }, { signal: signal() })).rejects.toThrow(/not a regular file/);
      const existing = join(dir, 'existing.dump');
      writeFileSync(existing, 'keep me');
      await expect(runBackup(from, { path: existing, overwrite: false, options: all }, { signal: signal() })).rejects.toMatchObject({ code: 'conflict' });
      expect(readFileSync(existing, 'utf8')).toBe('keep me');
      await expect(runRestore(from, { path: '/dev/null' }, { signal: signal() })).rejects.toThrow(/not a regular file/);
    } finally {
      await from.close();
    }
  });
});

describe('MariaDB', () => {
  let side: Side;
  let user: string;
  let password: string;
  beforeAll(async () => {
    side = await mariadbSide();
    await side.exec(SEED.mariadb);
    user = randomName('u').slice(0, 16);
    password = `pw"${randomName('s')}\\x`;
    const admin = await mariadbAdmin();
    try {
      const db = new URL(side.url).pathname.slice(1);
      await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
      await admin.query(`GRANT ALL ON \`${db}\`.* TO ?@'%'`, [user]);
      // SHOW CREATE FUNCTION of another definer's routine needs to read mysql.proc.
      await admin.query(`GRANT SELECT ON mysql.proc TO ?@'%'`, [user]);
    } finally {
      await admin.end();
    }
  });
  afterAll(async () => {
    const admin = await mariadbAdmin();
    await admin.query(`DROP USER IF EXISTS ?@'%'`, [user]).finally(() => admin.end());
    await side?.drop();
  });

  const urlAs = (url: string) => url.replace('://root@', `://${user}@`);

  it('the password reaches mariadb-dump and mariadb in a 0600 option file named first, never in argv or MYSQL_PWD; removed afterwards', async () => {
    const seen: { argv: string[]; optionFile: string; mode: number; contents: string; env: Record<string, string> }[] = [];
    const onSpawn = (pid: number) => {
      const { argv, env } = processFacts(pid);
      const optionFile = argv[1]!.replace('--defaults-extra-file=', '');
      seen.push({ argv, optionFile, mode: statSync(optionFile).mode & 0o777, contents: readFileSync(optionFile, 'utf8'), env });
    };
    const file = join(dir, 'pw.sql');
    const from = await openSource(urlAs(side.url), { password });
    try {
      await runBackup(from, { path: file, overwrite: false, options: all }, { signal: signal(), onSpawn });
      await runRestore(from, { path: file }, { signal: signal(), onSpawn });
    } finally {
      await from.close();
    }
    expect(seen.map((s) => s.argv[0])).toEqual(['mariadb-dump', 'mariadb']);
    for (const s of seen) {
      expect(s.argv[1]).toMatch(/^--defaults-extra-file=/);
      expect(s.argv.join(' ')).not.toContain(password);
      expect(s.argv.some((a) => a.startsWith('--password') || /^-p/.test(a))).toBe(false);
      expect(s.env.MYSQL_PWD).toBeUndefined();
      expect(s.mode).toBe(0o600);
      expect(s.contents).toContain(`password="${password.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
      expect(existsSync(s.optionFile)).toBe(false);
    }
  });

  it('a failing mariadb shows its own error text and line; a wrong password is said without the password', async () => {
    const bad = join(dir, 'bad.sql');
    writeFileSync(bad, 'CREATE TABLE ok_first (id int);\nTHIS IS NOT SQL;\n');
    const from = await openSource(side.url);
    try {
      const err = await failure(runRestore(from, { path: bad }, { signal: signal() }));
      expect(err.message).toMatch(/^mariadb failed: [\s\S]*ERROR 1064 \(42000\) at line 2/);
    } finally {
      await from.close();
    }
    const wrong = `wrong-${randomName('w')}`;
    const as = await openSource(urlAs(side.url), { password });
    try {
      as.config.password = wrong;
      const err = await failure(runBackup(as, { path: join(dir, 'denied.sql'), overwrite: false, options: all }, { signal: signal() }));
      expect(err.message).toMatch(/Access denied for user/);
      expect(err.message).not.toContain(wrong);
      expect(existsSync(join(dir, 'denied.sql'))).toBe(false);
    } finally {
      await as.close();
    }
  });

  it('a mariadb-dump older than the server is refused before it runs, with the remedy', async () => {
    const fake = shadowTool('mariadb-dump', 'mariadb-dump  Ver 10.19 Distrib 10.3.39-MariaDB, for debian-linux-gnu (x86_64)');
    const from = await openSource(side.url);
    try {
      const err = await failure(runBackup(from, { path: join(dir, 'old.sql'), overwrite: false, options: all }, { signal: signal() }));
      expect(err).toMatchObject({ code: 'unsupported', detail: { refused: true, toolVersion: '10.3.39' } });
      expect(err.message).toMatch(/mariadb-dump 10\.3\.39 is older than the server \(MariaDB \d+\.\d+/);
      expect(err.message).toMatch(/Install the MariaDB \d+\.\d+ client or newer/);
      expect(fake.ran()).toBe(false);
    } finally {
      await from.close();
    }
  });

  it('cancel kills the mariadb client mid-restore', async () => {
    const file = join(dir, 'for-cancel.sql');
    const from = await openSource(side.url);
    const controller = new AbortController();
    let pid = 0;
    try {
      await runBackup(from, { path: file, overwrite: false, options: all }, { signal: signal() });
      const run = runRestore(from, { path: file }, {
        signal: controller.signal,
        onSpawn: (p) => {
          pid = p;
          controller.abort();
        },
      });
      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await from.close();
    }
    expect(alive(pid)).toBe(false);
  });

  it('cancel kills mariadb-dump and removes the partial file', async () => {
    const from = await openSource(side.url);
    const controller = new AbortController();
    try {
      const run = runBackup(from, { path: join(dir, 'cancelled.sql'), overwrite: false, options: all }, { signal: controller.signal, onSpawn: () => controller.abort() });
      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await from.close();
    }
    expect(readdirSync(dir).filter((f) => f.includes('cancelled.sql'))).toEqual([]);
  });
});

describe('SQLite', () => {
  it('a cancelled restore over an open database leaves it as it was; a file that is not SQLite is refused before anything is written', async () => {
    const source = await sqliteSide();
    const target = await sqliteSide();
    try {
      // Big enough for many steps of the backup API.
      await source.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000) INSERT INTO big SELECT n, hex(randomblob(200)) FROM g;`);
      await target.exec(`CREATE TABLE kept (id INTEGER PRIMARY KEY); INSERT INTO kept VALUES (1), (2);`);
      const file = join(dir, 'big.sqlite');
      const from = await openSource(source.url);
      try {
        await runBackup(from, { path: file, overwrite: false, options: all }, { signal: signal() });
      } finally {
        await from.close();
      }
      // The target stays open in the app while it is restored over.
      const to = await openSource(target.url);
      try {
        const controller = new AbortController();
        let steps = 0;
        await expect(
          runRestore(to, { path: file }, {
            signal: controller.signal,
            progressIntervalMs: 0,
            onProgress: (p) => {
              if (p.bytes > 0 && ++steps === 1) controller.abort();
            },
          }),
        ).rejects.toMatchObject({ code: 'cancelled' });
        expect(steps).toBeGreaterThan(0);
        expect(await target.rows(`SELECT name FROM sqlite_schema WHERE type = 'table'`)).toEqual([{ name: 'kept' }]);
        expect(await target.rows(`SELECT count(*) AS n FROM kept`)).toEqual([{ n: 2 }]);

        const junk = join(dir, 'junk.sqlite');
        writeFileSync(junk, 'not a database at all, but long enough to look like a header maybe'.repeat(100));
        await expect(runRestore(to, { path: junk }, { signal: signal() })).rejects.toThrow(/not a SQLite database|cannot be opened/);
        expect(await target.rows(`SELECT count(*) AS n FROM kept`)).toEqual([{ n: 2 }]);

        // And done to the end, the open connection reads the restored database.
        await runRestore(to, { path: file }, { signal: signal() });
        expect(await target.rows(`SELECT count(*) AS n FROM big`)).toEqual([{ n: 20000 }]);
        expect((await to.engine.introspector.listTables('main')).map((t) => t.name)).toContain('big');
      } finally {
        await to.close();
      }
    } finally {
      await source.drop();
      await target.drop();
    }
  });
});
