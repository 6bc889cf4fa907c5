import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chownTo, isRoot, runAs } from '../../support/run-as';
import { diagnoseUrl, expectFailure, expectUsable, expectWithinLimits } from './diagnose-helpers';

/**
 * The SQLite classes on real files: missing, a folder, not a database, corrupt (quick_check and the
 * schema page), locked by another process, read-only, no permission. Permission cases run the CLI
 * as the unprivileged `nobody` user (root ignores file modes).
 */
let dir: string;
const lockers: ChildProcess[] = [];

function makeDb(path: string, rows = 10, journal: 'delete' | 'wal' = 'delete'): void {
  const db = new Database(path);
  db.pragma(`journal_mode = ${journal}`);
  db.exec("CREATE TABLE a_small (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO a_small VALUES (1, 'one');");
  db.exec('CREATE TABLE z_big (id INTEGER PRIMARY KEY, payload TEXT)');
  const insert = db.prepare('INSERT INTO z_big (payload) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(200) + i);
  })();
  db.close();
}

/** Holds a lock from another process until killed: 'EXCLUSIVE' blocks readers, 'IMMEDIATE' only writers. */
async function holdLock(path: string, kind: 'EXCLUSIVE' | 'IMMEDIATE'): Promise<ChildProcess> {
  const code = `const D=require('better-sqlite3');const db=new D(${JSON.stringify(path)});db.exec('BEGIN ${kind}');db.exec("INSERT INTO a_small (name) VALUES ('held')");process.stdout.write('locked\\n');setInterval(()=>{},1000);`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
  lockers.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited (${c})`)));
  });
  return child;
}

async function release(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
}

/** `dbdesk diagnose sqlite:<path> --json` as the unprivileged user. */
async function diagnoseAsNobody(path: string, readOnly = false): Promise<{ usable: boolean; class: string | null; steps: { id: string; status: string; detail: string }[] }> {
  const url = `sqlite:${path}${readOnly ? '?mode=ro' : ''}`;
  const r = await runAs('nobody', [process.execPath, join(process.cwd(), 'dist/cli.cjs'), 'diagnose', url, '--json'], { cwd: '/' });
  if (r.code !== 0 && r.code !== 1) throw new Error(`diagnose as nobody failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function failedStep(report: { steps: { id: string; status: string }[] }): string | undefined {
  return report.steps.find((s) => s.status === 'fail')?.id;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-sqlite-diag-'));
  chmodSync(dir, 0o755);
});
afterAll(async () => {
  await Promise.all(lockers.map(release));
  rmSync(dir, { recursive: true, force: true });
});

describe('as this user', () => {
  it('a healthy file passes path, permissions, header, open, table read, quick_check and the write lock', async () => {
    const file = join(dir, 'healthy.sqlite');
    makeDb(file);
    const run = await diagnoseUrl(`sqlite:${file}`);
    expectUsable(run);
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['config', 'ok'],
      ['path', 'ok'],
      ['permissions', 'ok'],
      ['header', 'ok'],
      ['open', 'ok'],
      ['table-read', 'ok'],
      ['integrity', 'ok'],
      ['lock', 'ok'],
    ]);
  });

  it('sqlite-not-found: no such file (and none is created)', async () => {
    const file = join(dir, 'missing.sqlite');
    expectFailure(await diagnoseUrl(`sqlite:${file}`), 'sqlite-not-found', 'path');
    expect(() => statSync(file)).toThrow();
  });

  it('sqlite-not-found: the folder does not exist', async () => {
    const run = await diagnoseUrl(`sqlite:${join(dir, 'no-folder', 'x.db')}`);
    expectFailure(run, 'sqlite-not-found', 'path');
    expect(run.steps[1]!.detail).toMatch(/folder .* does not exist/);
  });

  it('sqlite-not-found: the path is a folder', async () => {
    const folder = join(dir, 'a-folder.db');
    mkdirSync(folder);
    expectFailure(await diagnoseUrl(`sqlite:${folder}`), 'sqlite-not-found', 'path');
  });

  it('sqlite-not-a-database: a text file', async () => {
    const file = join(dir, 'notes.db');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(50));
    const run = await diagnoseUrl(`sqlite:${file}`);
    expectFailure(run, 'sqlite-not-a-database', 'header');
    expect(run.steps.find((s) => s.id === 'header')!.evidence.headerText).toBe('these are my not');
  });

  it('sqlite-corrupt: pages overwritten with 0xff (quick_check finds it)', async () => {
    const file = join(dir, 'corrupt-pages.sqlite');
    makeDb(file, 2000);
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xff), 0, 4096 * 3, size - 4096 * 4);
    closeSync(fd);
    const run = await diagnoseUrl(`sqlite:${file}`);
    expect(['integrity', 'table-read']).toContain(run.verdict.failedStep);
    expectFailure(run, 'sqlite-corrupt', 'integrity');
  });

  it('sqlite-corrupt: a damaged schema page (opening fails)', async () => {
    const file = join(dir, 'corrupt-schema.sqlite');
    makeDb(file, 10);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(3000, 0xff), 0, 3000, 110);
    closeSync(fd);
    expectFailure(await diagnoseUrl(`sqlite:${file}`), 'sqlite-corrupt', 'open');
  });

  it('a file too big to check within the limit is checked in a child process, killed at the limit', async () => {
    const file = join(dir, 'big.sqlite');
    makeDb(file, 120_000);
    expect(statSync(file).size).toBeGreaterThan(20_000_000);
    const run = await diagnoseUrl(`sqlite:${file}`, {}, { stepTimeoutMs: 400 });
    const integrity = run.steps.find((s) => s.id === 'integrity')!;
    // Stopped at its 400 ms limit (plus timer latency on a loaded machine), not after the whole check.
    expect(integrity.ms).toBeLessThanOrEqual(700);
    if (integrity.status === 'fail') expect(integrity.timedOut).toBe(true);
    else expect(integrity.status).toBe('ok');
    expectWithinLimits(run);
    if (integrity.status === 'ok') expect(integrity.evidence.checkedIn).toBe('child process');
    // With time enough, the same check passes (in the child process while the file is big for the limit).
    const slow = await diagnoseUrl(`sqlite:${file}`, {}, { stepTimeoutMs: 2_000 });
    expect(slow.steps.find((s) => s.id === 'integrity')).toMatchObject({ status: 'ok', evidence: { quickCheck: 'ok', checkedIn: 'child process' } });
  });

  it('sqlite-locked: another process holds an EXCLUSIVE lock (even reading is blocked)', async () => {
    const file = join(dir, 'locked-exclusive.sqlite');
    makeDb(file);
    const holder = await holdLock(file, 'EXCLUSIVE');
    try {
      const run = await diagnoseUrl(`sqlite:${file}`);
      expectFailure(run, 'sqlite-locked', 'open');
      expect(run.steps.find((s) => s.id === 'open')!.error?.code).toMatch(/^SQLITE_BUSY/);
    } finally {
      await release(holder);
    }
  });

  it('sqlite-locked: another process holds the write lock (reads work, writes would wait)', async () => {
    const file = join(dir, 'locked-immediate.sqlite');
    makeDb(file);
    const holder = await holdLock(file, 'IMMEDIATE');
    try {
      const run = await diagnoseUrl(`sqlite:${file}`);
      expectFailure(run, 'sqlite-locked', 'lock');
      // A read-only connection does not need the write lock: usable.
      expectUsable(await diagnoseUrl(`sqlite:${file}?mode=ro`));
    } finally {
      await release(holder);
    }
  });
});

describe('as an unprivileged user (file modes apply)', () => {
  beforeAll(() => {
    if (!isRoot()) throw new Error('These cases give files to `nobody` and need root to do it; run the suite as root (as CI does).');
  });

  it('a healthy file owned by that user', async () => {
    const sub = mkdtempSync(join(dir, 'own-'));
    const file = join(sub, 'own.sqlite');
    makeDb(file);
    chownTo(sub, 'nobody');
    chownTo(file, 'nobody');
    const report = await diagnoseAsNobody(file);
    expect(report.usable, JSON.stringify(report.steps)).toBe(true);
  });

  it('sqlite-permission-denied: mode 600, owned by someone else', async () => {
    const file = join(dir, 'private.sqlite');
    makeDb(file);
    chmodSync(file, 0o600);
    const report = await diagnoseAsNobody(file);
    expect(report.class).toBe('sqlite-permission-denied');
    expect(failedStep(report)).toBe('permissions');
  });

  it('sqlite-permission-denied: the folder cannot be entered', async () => {
    const sub = mkdtempSync(join(dir, 'closed-'));
    const file = join(sub, 'inside.sqlite');
    makeDb(file);
    chmodSync(sub, 0o700);
    const report = await diagnoseAsNobody(file);
    expect(report.class).toBe('sqlite-permission-denied');
    expect(failedStep(report)).toBe('path');
  });

  it('sqlite-read-only: mode 444 and the connection wants to write; a read-only connection is fine', async () => {
    const sub = mkdtempSync(join(dir, 'ro-file-'));
    const file = join(sub, 'ro.sqlite');
    makeDb(file);
    chownTo(sub, 'nobody');
    chownTo(file, 'nobody');
    chmodSync(file, 0o444);
    const report = await diagnoseAsNobody(file);
    expect(report.class).toBe('sqlite-read-only');
    expect(failedStep(report)).toBe('permissions');
    const ro = await diagnoseAsNobody(file, true);
    expect(ro.usable, JSON.stringify(ro.steps)).toBe(true);
  });

  it('sqlite-read-only: the folder is not writable (no journal can be created)', async () => {
    const sub = mkdtempSync(join(dir, 'ro-folder-'));
    const file = join(sub, 'in-ro-folder.sqlite');
    makeDb(file);
    chownTo(file, 'nobody');
    chmodSync(sub, 0o755); // owned by root: nobody may not create files in it
    const report = await diagnoseAsNobody(file);
    expect(report.class).toBe('sqlite-read-only');
    expect(failedStep(report)).toBe('permissions');
    expect(report.steps.find((s) => s.id === 'permissions')!.detail).toMatch(/folder .* is not writable/);
  });
});
