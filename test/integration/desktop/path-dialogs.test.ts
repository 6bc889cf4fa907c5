import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../../electron/core/app-core';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';
import type { Session } from '../../../electron/core/session/session';
import { startStandinElectron, type StandinElectron, type StandinState } from '../../support/electron-standin';
import { nodeSqliteBuild } from '../../support/native-builds';

/**
 * host.pickPath, the desktop app's native file dialogs behind every Browse… button: the built main
 * process (dist/electron/main.cjs) under the stand-in 'electron', whose dialog.showOpenDialog and
 * showSaveDialog record what they are asked and answer the path the test sets. Not Electron itself
 * (its binary cannot be had here): what is checked is what DB Desk asks Electron, and that a bad
 * request never reaches the dialog.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-desktop-dialogs-'));
let app: StandinElectron;

const pathDialogs = (s: StandinState) => s.dialogs.filter((d) => d.kind === 'open' || d.kind === 'save') as ({ kind: 'open' | 'save'; window: number | null } & Record<string, unknown>)[];

beforeAll(async () => {
  app = await startStandinElectron({ dataDir, env: { DBDESK_SQLITE_BINDING: nodeSqliteBuild() } });
  await app.op('ready');
  const until = Date.now() + 10_000;
  while ((await app.state()).workers.started < 1) {
    if (Date.now() > until) throw new Error('the first window’s session did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('native path dialogs in the desktop main process (stand-in electron)', () => {
  it('says so to the page: app.startup’s info.host.pickPath is true in the desktop app', async () => {
    const r = await app.invoke('app.startup', {});
    expect(r.ok).toBe(true);
    expect((r.value as { info: { shell: string; host: { pickPath: boolean } } }).info).toMatchObject({ shell: 'electron', host: { pickPath: true } });
  });

  it('a file to open: showOpenDialog over the window that asked, at the field’s value, with its filters; the chosen path comes back', async () => {
    await app.op('pathAnswer', { path: '/home/ada/data/people.csv' });
    const before = pathDialogs(await app.state()).length;
    const r = await app.invoke('host.pickPath', { kind: 'open-file', title: 'File on the machine that runs DB Desk', defaultPath: '/home/ada/data/', filters: [{ name: 'CSV, TSV and JSON', extensions: ['csv', 'tsv', 'json'] }] });
    expect(r).toEqual({ ok: true, value: { path: '/home/ada/data/people.csv' } });
    const s = await app.state();
    const asked = pathDialogs(s).slice(before);
    expect(asked).toEqual([
      {
        kind: 'open',
        window: s.windows[0]!.contentsId,
        title: 'File on the machine that runs DB Desk',
        defaultPath: '/home/ada/data/',
        filters: [{ name: 'CSV, TSV and JSON', extensions: ['csv', 'tsv', 'json'] }],
        properties: ['openFile'],
      },
    ]);
  });

  it('a file to save: showSaveDialog; a folder: showOpenDialog for directories; a blank value opens where the OS likes', async () => {
    await app.op('pathAnswer', { path: '/srv/backups/shop.dump' });
    const before = pathDialogs(await app.state()).length;
    expect(await app.invoke('host.pickPath', { kind: 'save-file', title: 'Backup file', defaultPath: '/srv/backups/shop-2026.dump', filters: [{ name: 'Backup', extensions: ['dump'] }] })).toEqual({ ok: true, value: { path: '/srv/backups/shop.dump' } });
    await app.op('pathAnswer', { path: '/srv/migrations' });
    expect(await app.invoke('host.pickPath', { kind: 'folder', title: 'Choose the migrations folder', defaultPath: '  ' })).toEqual({ ok: true, value: { path: '/srv/migrations' } });
    const asked = pathDialogs(await app.state()).slice(before);
    expect(asked.map((d) => d.kind)).toEqual(['save', 'open']);
    expect(asked[0]).toMatchObject({ defaultPath: '/srv/backups/shop-2026.dump', filters: [{ name: 'Backup', extensions: ['dump'] }], properties: ['createDirectory', 'showOverwriteConfirmation'] });
    expect(asked[1]).toMatchObject({ title: 'Choose the migrations folder', properties: ['openDirectory', 'createDirectory'] });
    expect(asked[1]).not.toHaveProperty('defaultPath');
  });

  it('a dismissed dialog answers null (the field keeps its value)', async () => {
    await app.op('pathAnswer', { canceled: true });
    expect(await app.invoke('host.pickPath', { kind: 'open-file' })).toEqual({ ok: true, value: { path: null } });
    expect(await app.invoke('host.pickPath', { kind: 'save-file' })).toEqual({ ok: true, value: { path: null } });
  });

  it('a request the contract refuses never opens a dialog', async () => {
    await app.op('pathAnswer', { path: '/etc/passwd' });
    const before = pathDialogs(await app.state()).length;
    const bad: unknown[] = [
      {},
      { kind: 'exec' },
      { kind: 'open-file', extra: true },
      { kind: 'open-file', defaultPath: '/tmp/a\u0000b' },
      { kind: 'open-file', filters: [{ name: 'x', extensions: ['.csv'] }] },
      { kind: 'open-file', filters: [{ name: 'x', extensions: ['../../x'] }] },
      { kind: 'open-file', filters: [{ name: 'x', extensions: [] }] },
      { kind: 'open-file', title: 'x'.repeat(201) },
      { kind: 'open-file', defaultPath: 'x'.repeat(5000) },
      'open-file',
    ];
    for (const input of bad) expect(await app.invoke('host.pickPath', input), JSON.stringify(input).slice(0, 80)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // From a frame that is not the window's own page: refused before the router.
    expect(await app.invoke('host.pickPath', { kind: 'open-file' }, { frameUrl: 'https://evil.example/' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(pathDialogs(await app.state()).length).toBe(before);
  });
});

describe('the browser shell has no native dialogs', () => {
  it('says so in its info, and answers host.pickPath with unsupported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-browser-dialogs-'));
    const core = new AppCore({ dataDir: dir, shell: 'browser', cipher: new FileKeyCipher(join(dir, 'keys', 'secret.key')), env: {} });
    try {
      expect(core.info.host).toEqual({ pickPath: false });
      const r = await core.router.handle({ core, session: {} as Session, signal: new AbortController().signal }, 'host.pickPath', { kind: 'open-file' });
      expect(r).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
