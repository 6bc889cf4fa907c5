import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { startStandinElectron, type StandinElectron } from '../support/electron-standin';
import { nodeSqliteBuild } from '../support/native-builds';

const SHOTS = join(process.cwd(), 'test-results', 'screenshots');
const ORIGIN = 'http://dbdesk.desktop';

/**
 * The built renderer as the desktop app runs it, as near as this machine allows (no Electron binary):
 * the built main process (dist/electron/main.cjs) under the stand-in 'electron', its app:// files
 * served to Chromium through that main's own protocol handler, and the preload's bridge played by
 * `window.dbdesk` whose invoke goes to that main's dbdesk:invoke handler as the window's page. So
 * AppInfo says `electron` with native dialogs, and a Browse… click goes renderer → IPC → router →
 * electron/app/path-dialogs.ts → the stand-in's dialog.showOpenDialog, whose answer fills the field.
 * (Events from main to the page are not relayed: nothing here needs them.)
 */
describe('Browse… in the desktop app (built main under the stand-in electron, renderer in Chromium)', () => {
  let app: StandinElectron;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-desktop-browse-'));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startStandinElectron({ dataDir, env: { DBDESK_SQLITE_BINDING: nodeSqliteBuild() } });
    await app.op('ready');
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      const res = await app.op<{ status: number; headers: Record<string, string>; body: Uint8Array }>('fetch', { url: `app://dbdesk${url.pathname}` });
      await route.fulfill({ status: res.status, headers: res.headers, body: Buffer.from(res.body) });
    });
    await page.exposeFunction('__standinInvoke', (name: string, input: unknown, callId?: number) => app.invoke(name, input, { window: 0, ...(callId !== undefined ? { callId } : {}) }));
    await page.exposeFunction('__standinCancel', (callId: number) => app.cancel(callId, { window: 0 }));
    await page.addInitScript(() => {
      const w = window as unknown as { __standinInvoke(n: string, i: unknown, c?: number): Promise<unknown>; __standinCancel(c: number): Promise<void> };
      (window as unknown as { dbdesk: unknown }).dbdesk = {
        invoke: (name: string, input: unknown, callId?: number) => w.__standinInvoke(name, input, callId),
        cancel: (callId: number) => void w.__standinCancel(callId),
        subscribe: () => () => undefined,
      };
    });
    await page.goto(`${ORIGIN}/index.html`);
    // The keys below reach the app only once it has drawn its connection list (its shortcuts are bound then):
    // a key pressed before that is lost, and each test waited out its full timeout (seen twice in a row).
    await page.getByRole('option', { name: /Demo database/ }).waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the connection editor’s SQLite file: Browse… is shown, opens the native dialog at the field’s value, and the chosen file fills the field', async () => {
    await page.keyboard.press('Alt+n');
    const editor = page.getByRole('dialog', { name: 'New connection' });
    await editor.waitFor({ timeout: 30_000 });
    await editor.getByLabel('Database', { exact: true }).selectOption('sqlite');
    const field = editor.getByLabel('Database file');
    await field.fill('/srv/data/');
    const browse = editor.getByRole('button', { name: 'Browse…' });
    await browse.waitFor();
    expect(await browse.count()).toBe(1);
    await app.op('pathAnswer', { path: '/srv/data/shop, "main".sqlite' });
    await browse.click();
    await expect.poll(() => field.inputValue()).toBe('/srv/data/shop, "main".sqlite');
    const asked = (await app.state()).dialogs.filter((d) => d.kind === 'open');
    expect(asked.at(-1)).toMatchObject({ title: 'Database file', defaultPath: '/srv/data/', properties: ['openFile'], filters: [{ name: 'SQLite databases' }, { name: 'All files', extensions: ['*'] }] });
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: join(SHOTS, `desktop-browse-sqlite-file-${theme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    // Dismissed: the field keeps what it had.
    await app.op('pathAnswer', { canceled: true });
    await browse.click();
    await expect.poll(async () => (await app.state()).dialogs.filter((d) => d.kind === 'open').length).toBe(asked.length + 1);
    expect(await field.inputValue()).toBe('/srv/data/shop, "main".sqlite');
    // The TLS files of a server connection have one each.
    await editor.getByLabel('Database', { exact: true }).selectOption('postgresql');
    expect(await editor.getByRole('button', { name: 'Browse…' }).count()).toBe(3);
    // So have the SSH tunnel's private key and known_hosts files.
    await editor.getByLabel('Connect through an SSH server (bastion)').check();
    await expect.poll(() => editor.getByRole('button', { name: 'Browse…' }).count()).toBe(5);
    const keyField = editor.getByLabel(/^Private key file/);
    await app.op('pathAnswer', { path: '/home/ops/.ssh/id_ed25519' });
    await keyField.locator('xpath=following-sibling::button').click();
    await expect.poll(() => keyField.inputValue()).toBe('/home/ops/.ssh/id_ed25519');
    expect((await app.state()).dialogs.at(-1)).toMatchObject({ kind: 'open', title: 'SSH private key file', properties: ['openFile'] });
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('the backup dialog’s file: Browse… opens the native save dialog (the backup’s suffix as its filter) and the chosen file fills the field', async () => {
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Find a command or an open tab' }).waitFor();
    await page.keyboard.type('connect to demo');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Back up…' }).click({ timeout: 90_000 });
    const dialog = page.getByRole('dialog', { name: /^Back up Demo/ });
    const field = dialog.getByLabel('Backup file on the machine that runs DB Desk');
    await expect.poll(() => field.inputValue()).toMatch(/\.sqlite$/);
    const before = await field.inputValue();
    await app.op('pathAnswer', { path: join(dataDir, 'chosen backup.sqlite') });
    await dialog.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => field.inputValue()).toBe(join(dataDir, 'chosen backup.sqlite'));
    const asked = (await app.state()).dialogs.filter((d) => d.kind === 'save');
    expect(asked.at(-1)).toMatchObject({ title: 'Backup file on the machine that runs DB Desk', defaultPath: before, filters: [{ name: 'Backup', extensions: ['sqlite'] }] });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});
