import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, CSP_NONCE_PLACEHOLDER } from '../../../electron/core/security/csp';
import { decodeColumnarBatch } from '../../../shared/model/columnar-batch';
import { startStandinElectron, type StandinElectron } from '../../support/electron-standin';
import { nodeSqliteBuild } from '../../support/native-builds';

/**
 * The built main process (dist/electron/main.cjs) started under a stand-in 'electron' module that
 * records what it is asked (test/support/electron-standin/). Its SQLite module is this Node's build,
 * which is the right ABI for this stand-in runtime, exactly as the Electron build is for Electron.
 * Every thread runs with child_process forks of process.execPath forbidden and logged.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-desktop-'));
let app: StandinElectron;
let smallProfileId: string;

async function call<T>(name: string, input: unknown, window = 0): Promise<T> {
  const r = await app.invoke(name, input, { window });
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  app = await startStandinElectron({ dataDir, env: { DBDESK_SQLITE_BINDING: nodeSqliteBuild() } });
  await app.op('ready');
  await waitFor(() => app.state(), (s) => s.workers.started === 1, 'the first window’s session');
});
afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the desktop main process, started', () => {
  it('registers app:// before ready, takes the single-instance lock, and opens one secure window on app://dbdesk/', async () => {
    const s = await app.state();
    expect(s.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(s.calls).toContain('app.requestSingleInstanceLock');
    // A data folder given on the command line is its own instance: its own Electron profile.
    expect(s.paths.userData).toBe(join(dataDir, 'electron-profile'));
    expect(s.windows).toHaveLength(1);
    const w = s.windows[0]!;
    expect(w.url).toBe('app://dbdesk/index.html');
    expect(w.shown).toBe(true);
    expect(w.options.webPreferences).toEqual({
      preload: join(process.cwd(), 'dist', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
    expect(statSync(w.options.webPreferences.preload as string).isFile()).toBe(true);
    expect(s.dialogs).toEqual([]);
  });

  it('answers every file of the built renderer over app:// with its bytes and the strict CSP, and nothing outside it', async () => {
    const root = join(process.cwd(), 'dist', 'renderer');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else files.push(relative(root, join(dir, e.name)).split('\\').join('/'));
      }
    };
    walk(root);
    expect(files).toContain('index.html');
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const res = await app.op<{ status: number; headers: Record<string, string>; body: Uint8Array }>('fetch', { url: `app://dbdesk/${file}` });
      expect(res.status, file).toBe(200);
      const csp = res.headers['content-security-policy']!;
      const onDisk = readFileSync(join(root, file));
      if (file === 'index.html') {
        const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
        expect(csp).toBe(contentSecurityPolicy({ styleNonce: nonce }));
        expect(Buffer.from(res.body).toString('utf8')).toBe(onDisk.toString('utf8').split(CSP_NONCE_PLACEHOLDER).join(nonce));
      } else {
        expect(csp, file).toBe(contentSecurityPolicy());
        expect(Buffer.from(res.body).equals(onDisk), file).toBe(true);
      }
      expect(res.headers['x-content-type-options'], file).toBe('nosniff');
    }
    expect((await app.op<{ status: number }>('fetch', { url: 'app://dbdesk/' })).status).toBe(200);
    for (const outside of ['app://dbdesk/%2e%2e/%2e%2e/package.json', 'app://dbdesk/..%2f..%2fpackage.json', 'app://dbdesk/no-such-file.js']) {
      expect((await app.op<{ status: number }>('fetch', { url: outside })).status, outside).toBe(404);
    }
  });

  it('routes IPC from the window’s own top frame to its session and refuses every other sender', async () => {
    const listed = await app.invoke('connections.list', {});
    expect(listed.ok).toBe(true);
    expect((listed.value as { demo: boolean }[]).some((p) => p.demo)).toBe(true);
    for (const from of [{ subframe: true }, { frameUrl: 'https://evil.example/' }, { frameUrl: 'app://dbdesk.evil/index.html' }, { frameUrl: 'file:///index.html' }]) {
      expect(await app.invoke('connections.list', {}, from), JSON.stringify(from)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await app.invoke('connections.list', {}, { contentsId: 9999 })).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await app.invoke('connections.save', { fields: 3 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const startup = await call<{ info: { shell: string; secretStore: string; dataDir: string } }>('app.startup', {});
    expect(startup.info).toMatchObject({ shell: 'electron', secretStore: 'encrypted-file', dataDir });
  });
});

describe('runner processes in the desktop app', () => {
  it('SQL editor statements and the integrity check run in utility processes; nothing forks process.execPath', async () => {
    const small = join(dataDir, 'small.sqlite');
    const big = join(dataDir, 'big.sqlite');
    for (const [file, bytes] of [
      [small, 1],
      [big, 24_000_000],
    ] as const) {
      const db = new Database(file);
      db.exec('CREATE TABLE t (b BLOB)');
      db.prepare('INSERT INTO t VALUES (zeroblob(?))').run(bytes);
      db.close();
    }
    const profile = await call<{ id: string }>('connections.save', { fields: { name: 'Small', engine: 'sqlite', file: small } });
    smallProfileId = profile.id;
    await call('connections.open', { id: profile.id });
    const forksBefore = (await app.state()).utilityForks.length;
    await call('query.openSession', { connectionId: profile.id, sessionId: 'e1' });
    const out = await call<{ results: { status: string; rowCount: number }[] }>('query.run', { sessionId: 'e1', runId: 'e1r1', statements: [{ sql: 'SELECT 6 * 7 AS answer', offset: 0 }] });
    expect(out.results[0]).toMatchObject({ status: 'ok', rowCount: 1 });
    await call('query.closeSession', { sessionId: 'e1' });
    let s = await app.state();
    expect(s.utilityForks.slice(forksBefore).map((f) => f.modulePath)).toEqual([join(process.cwd(), 'dist', 'sqlite-runner.cjs')]);

    // A file too big to check within its step's limit is checked in a process that can be killed.
    const run = await call<{ steps: { id: string; status: string; evidence: Record<string, unknown> }[] }>('diagnostics.run', {
      runId: randomUUID(),
      subject: { kind: 'draft', fields: { name: 'Big', engine: 'sqlite', file: big } },
      stepTimeoutMs: 2000,
    });
    expect(run.steps.find((x) => x.id === 'integrity')).toMatchObject({ status: 'ok', evidence: { quickCheck: 'ok', checkedIn: 'child process' } });
    s = await app.state();
    expect(s.utilityForks.slice(forksBefore).map((f) => f.modulePath)).toEqual([join(process.cwd(), 'dist', 'sqlite-runner.cjs'), join(process.cwd(), 'dist', 'sqlite-runner.cjs')]);
    // The trap was in the main thread, the session workers and the utility processes — and nothing forked process.execPath.
    const trapped = app.trapped();
    const mainPid = trapped.find((t) => t.thread === 'main')!.pid;
    expect(trapped.filter((t) => t.pid === mainPid && t.thread.startsWith('worker')).length).toBeGreaterThanOrEqual(1);
    expect(new Set(trapped.filter((t) => t.pid !== mainPid).map((t) => t.pid)).size).toBeGreaterThanOrEqual(2);
    expect(app.execPathForks()).toEqual([]);
  });

  it('a statement’s rows cross the utility process and the main process as columnar bytes, and cancel kills the process', async () => {
    await call('query.openSession', { connectionId: smallProfileId, sessionId: 'e2' });
    await call('query.run', { sessionId: 'e2', runId: 'e2r1', statements: [{ sql: 'SELECT 42 AS answer', offset: 0 }] });
    const batches = await app.op<{ runId: string; values: Uint8Array }[]>('sent', { window: 0, event: 'query.batch' });
    const batch = batches.find((b) => b.runId === 'e2r1')!;
    expect(decodeColumnarBatch(batch.values, 1).values).toEqual([[42]]);
    // The call carries an id (as the preload sends it); dbdesk:cancel with that id is the page's Cancel.
    const running = app.invoke('query.run', { sessionId: 'e2', runId: 'e2r2', statements: [{ sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r', offset: 0 }] }, { window: 0, callId: 9 });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    await app.cancel(9);
    expect(((await running).value as { results: { status: string }[] }).results[0]!.status).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(1000);
    await call('query.closeSession', { sessionId: 'e2' });
    expect(app.execPathForks()).toEqual([]);
  });
});

describe('a session per page', () => {
  it('a reload, a renderer crash and closing the window each dispose the page’s session; the next page gets a new one', async () => {
    const before = (await app.state()).workers;
    expect(before.live).toBe(1);

    await app.op('reload', { window: 0 });
    let s = await waitFor(() => app.state(), (x) => x.workers.exited === before.exited + 1 && x.workers.live === 1, 'the reloaded page’s session');
    expect(s.workers.started).toBe(before.started + 1);
    expect((await app.invoke('connections.list', {})).ok).toBe(true);

    // A crash: the session goes at once, the user is told and offered a reload (answered "Reload" here).
    await app.op('messageBoxResponse', { response: 0 });
    await app.op('crash', { window: 0, reason: 'crashed' });
    s = await waitFor(() => app.state(), (x) => x.workers.exited === before.exited + 2 && x.workers.started === before.started + 2, 'the crashed page’s session to go and the reload’s to start');
    const told = s.dialogs.find((d) => d.kind === 'message');
    expect(told).toMatchObject({ type: 'error', message: 'This window stopped working.', buttons: ['Reload', 'Close window'] });
    expect(String(told!.detail)).toMatch(/crashed, exit code 139/);
    expect((await app.invoke('connections.list', {})).ok).toBe(true);

    // A renderer that ends cleanly (the window closing) is no crash: no dialog.
    await app.op('crash', { window: 0, reason: 'clean-exit' });
    s = await waitFor(() => app.state(), (x) => x.workers.exited === before.exited + 3, 'the ended page’s session');
    expect(s.dialogs.filter((d) => d.kind === 'message')).toHaveLength(1);
    await app.op('reload', { window: 0 });

    // Started again: another window with a session of its own.
    await app.op('secondInstance');
    await waitFor(() => app.state(), (x) => x.windows.length === 2 && x.workers.live === 2, 'the second window');
    expect(await app.invoke('connections.list', {}, { window: 1 })).toMatchObject({ ok: true });

    await app.op('close', { window: 1 });
    s = await waitFor(() => app.state(), (x) => x.workers.live === 1, 'the closed window’s session');
    expect(s.windows[0]!.destroyed).toBe(false);
    expect(app.execPathForks()).toEqual([]);
  });
});
