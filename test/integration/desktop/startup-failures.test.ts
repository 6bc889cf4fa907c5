import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStandinElectron, type StandinState } from '../../support/electron-standin';
import { copyWithRecordedAbi, nodeSqliteBuild } from '../../support/native-builds';

/**
 * A desktop app that cannot start says so: one line on stderr, an error dialog that says what to
 * do, exit code 1 — never a silent exit or a hang with no window. The built main bundle runs under
 * the stand-in 'electron' module (test/support/electron-standin/).
 */
const dir = mkdtempSync(join(tmpdir(), 'dbdesk-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startFailing(name: string, env: Record<string, string>, dataDir = join(dir, name)): Promise<{ code: number | null; state: StandinState; lines: string[] }> {
  const app = await startStandinElectron({ dataDir, env });
  try {
    await app.op('ready').catch(() => undefined);
    const { code, state, output } = await app.exited;
    return { code, state: state!, lines: output.split('\n').filter((l) => l.startsWith('DB Desk could not start')) };
  } finally {
    await app.stop();
  }
}

function expectFailure(r: { code: number | null; state: StandinState; lines: string[] }, says: RegExp, whatToDo: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]).toMatch(says);
  expect(r.lines[0]).toMatch(whatToDo);
  expect(r.state.dialogs).toHaveLength(1);
  const dialog = r.state.dialogs[0] as { kind: string; title: string; content: string };
  expect(dialog).toMatchObject({ kind: 'error', title: 'DB Desk could not start' });
  expect(dialog.content).toMatch(says);
  expect(dialog.content).toMatch(new RegExp(`What to do: .*${whatToDo.source}`));
  expect(r.state.windows).toEqual([]);
  expect(r.state.workers.started).toBe(0);
}

describe('start-up failures of the desktop app', () => {
  it('a SQLite module built for another runtime’s ABI is caught before it is loaded', async () => {
    const wrong = join(dir, 'better_sqlite3-abi150.node');
    copyWithRecordedAbi(nodeSqliteBuild(), wrong, 150);
    const r = await startFailing('abi', { DBDESK_SQLITE_BINDING: wrong });
    expectFailure(r, new RegExp(`was built for NODE_MODULE_VERSION 150, but Node ${process.version} needs ${process.versions.modules}`), /npm run rebuild:electron-sqlite/);
  });

  it('a missing SQLite module', async () => {
    const r = await startFailing('missing', { DBDESK_SQLITE_BINDING: join(dir, 'nowhere', 'better_sqlite3.node') });
    expectFailure(r, /The SQLite module for Node .* is missing/, /npm run rebuild:electron-sqlite/);
  });

  it('a file that is no SQLite module at all', async () => {
    const bogus = join(dir, 'bogus.node');
    writeFileSync(bogus, 'not a shared object');
    const r = await startFailing('bogus', { DBDESK_SQLITE_BINDING: bogus });
    expectFailure(r, /records no NODE_MODULE_VERSION/, /npm run rebuild:electron-sqlite/);
  });

  it('any other failure (here a data folder that is a file)', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = await startFailing('data', { DBDESK_SQLITE_BINDING: nodeSqliteBuild() }, file);
    expectFailure(r, /a-file/, /--data-dir and an empty folder/);
  });

  it('a second start hands over to the running app and quits, without a window of its own', async () => {
    const app = await startStandinElectron({ dataDir: join(dir, 'second'), env: { DBDESK_SQLITE_BINDING: nodeSqliteBuild(), DBDESK_STANDIN_SECOND_INSTANCE: '1' } });
    try {
      const { code, state } = await app.exited;
      expect(code).toBe(0);
      expect(state!.calls).toEqual(['app.requestSingleInstanceLock', 'app.quit']);
      expect(state!.windows).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
