import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveApp, type ServedApp } from '../../support/browser';
import { startStandinElectron, type StandinElectron } from '../../support/electron-standin';
import { nodeSqliteBuild } from '../../support/native-builds';

/**
 * The long-running processes (`dbdesk serve`, the Electron main process) meet faults nobody handles:
 * a rejected promise, a rejected non-Error, an exception thrown from a timer — injected into the
 * real process (test/support/inject-unhandled-errors.cjs). They log each one without its secrets and
 * keep serving: an open window's connection still answers.
 */
const injector = resolve('test/support/inject-unhandled-errors.cjs');
const faultEnv = (entry: string, extra: Record<string, string> = {}) => ({
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${injector}`.trim(),
  DBDESK_TEST_FAULTS_IN: entry,
  ...extra,
});

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the log must say about the three faults, and must not say. */
function expectLogged(output: string, processName: string): void {
  expect(output).toContain(`${processName}: unhandled rejection (logged; the other windows keep working): Error: injected rejection from postgres://app:[secret removed]@db.example/shop`);
  expect(output).toContain(`${processName}: unhandled rejection (logged; the other windows keep working): an object that is not an Error (keys: password, toString)`);
  expect(output).toContain(`${processName}: uncaught exception (logged; the other windows keep working): Error: injected exception, password=[secret removed]`);
  expect(output).not.toContain('hunter2');
}

describe('faults nobody handles are logged, and the process keeps serving', () => {
  const folder = mkdtempSync(join(tmpdir(), 'dbdesk-faults-'));
  const file = join(folder, 'kept.sqlite');
  const db = new Database(file);
  db.exec("CREATE TABLE kept (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO kept (v) VALUES ('a'), ('b');");
  db.close();
  let served: ServedApp | undefined;
  let standin: StandinElectron | undefined;
  afterAll(async () => {
    await served?.stop();
    await standin?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('dbdesk serve', async () => {
    served = await serveApp({ env: faultEnv('cli.cjs') });
    const app = served;
    const ws = new WebSocket(`${app.url.replace('http:', 'ws:')}ws`, { headers: { Origin: new URL(app.url).origin } });
    await new Promise((r) => ws.once('open', r));
    const answers = new Map<number, { ok: boolean; value?: Record<string, unknown> }>();
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; id: number; result: { ok: boolean; value?: Record<string, unknown> } };
      if (m.type === 'result') answers.set(m.id, m.result);
    });
    let id = 0;
    const call = async (name: string, input: unknown) => {
      const mine = ++id;
      ws.send(JSON.stringify({ type: 'invoke', id: mine, name, input }));
      await until(`${name} answered`, () => answers.has(mine));
      const r = answers.get(mine)!;
      expect(r.ok, JSON.stringify(r)).toBe(true);
      return r.value!;
    };
    const profile = await call('connections.save', { fields: { name: 'kept', engine: 'sqlite', file } });
    const { connectionId } = await call('connections.open', { id: profile.id });

    app.process.kill('SIGUSR2');
    await until('the faults', () => app.output().includes('faults injected'));
    await new Promise((r) => setTimeout(r, 200));

    expect(app.process.exitCode).toBeNull();
    const rows = await call('table.window', { connectionId, query: { table: { schema: 'main', name: 'kept' } }, window: { offset: 0, limit: 10 } });
    expect((rows.batch as { rowCount: number }).rowCount).toBe(2);
    expectLogged(app.output(), 'dbdesk serve');
    ws.close();
  });

  it('the Electron main process', async () => {
    standin = await startStandinElectron({ dataDir: join(folder, 'desktop'), env: { DBDESK_SQLITE_BINDING: nodeSqliteBuild(), ...faultEnv('harness.cjs', { DBDESK_TEST_FAULTS_AFTER_MS: '1500' }) } });
    const app = standin;
    await app.op('ready');
    await until('the faults', () => app.output().includes('faults injected'));
    await new Promise((r) => setTimeout(r, 200));
    const saved = await app.invoke('connections.save', { fields: { name: 'kept', engine: 'sqlite', file } });
    expect(saved.ok, app.output()).toBe(true);
    const opened = await app.invoke('connections.open', { id: (saved.value as { id: string }).id });
    expect(opened.ok, JSON.stringify(opened)).toBe(true);
    expectLogged(app.output(), 'DB Desk (Electron main)');
  });
});
