import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../electron/core/app-core';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../shared/model/connection';
import { parseConnectionUrl } from '../../shared/model/connection-url';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { postgresSide, rowChecksums, schemaPrint, SEED, type Side } from '../integration/backup/helpers';

const SHOTS = join('test-results', 'screenshots');

function seedDataDir(profiles: { name: string; url: string; production?: boolean }[]): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-backup-'));
  const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {} });
  try {
    for (const p of profiles) {
      const parsed = parseConnectionUrl(p.url);
      core.store.profiles.save(ConnectionFields.parse({ ...parsed.fields, name: p.name, production: p.production ?? false }), parsed.password);
    }
  } finally {
    void core.close();
  }
  return dataDir;
}

async function connect(page: Page, name: string): Promise<void> {
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('button', { name: 'Back up…' }).waitFor();
}

describe('Backup and Restore on the connection panel, in Chromium', () => {
  let browser: Browser;
  let app: ServedApp;
  let source: Side;
  const targets: Side[] = [];
  let dir: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-backup-files-'));
    source = await postgresSide();
    await source.exec(SEED.postgres);
    targets.push(await postgresSide(), await postgresSide());
    const dataDir = seedDataDir([
      { name: 'Shop', url: source.url },
      { name: 'Live light', url: targets[0]!.url, production: true },
      { name: 'Live dark', url: targets[1]!.url, production: true },
    ]);
    app = await serveApp({ dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await Promise.all([source?.drop(), ...targets.map((t) => t.drop())]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up only the tables chosen in the picker: by schema, filtered, by keyboard, names with dots, commas and quotes; no Browse… in the browser shell', async () => {
    await source.exec(`CREATE SCHEMA "backupui b"; CREATE TABLE "backupui b".audit (x int); CREATE TABLE public."a.b, ""c'd" (x int); INSERT INTO public."a.b, ""c'd" VALUES (1), (2);`);
    const { page, errors } = await newPage(browser, app.url, 'light');
    await connect(page, 'Shop');
    await page.getByRole('button', { name: 'Back up…' }).click();
    const backup = page.getByRole('dialog', { name: 'Back up Shop' });
    await backup.getByLabel('Schema only').waitFor();
    // The browser shell has no native dialogs: the paths are typed.
    expect(await backup.getByRole('button', { name: 'Browse…' }).count()).toBe(0);
    await backup.getByLabel('Only the tables chosen here').check();
    const picker = backup.getByRole('group', { name: 'Tables to back up' });
    await picker.waitFor();
    const count = backup.locator('.table-picker-count');
    await expect.poll(() => count.textContent()).toBe('0 of 6 tables chosen');
    // Nothing chosen: nothing to back up.
    expect(await backup.getByRole('button', { name: 'Back up', exact: true }).isDisabled()).toBe(true);
    // Grouped by schema, views marked as such.
    expect(await picker.getByRole('group', { name: 'public' }).getByRole('checkbox').count()).toBe(6);
    expect(await picker.getByRole('group', { name: 'backupui b' }).getByRole('checkbox').count()).toBe(2);
    await picker.getByRole('checkbox', { name: /^big_customers view$/ }).waitFor();
    // A whole schema with its checkbox, then undone.
    await picker.getByRole('checkbox', { name: /^backupui b/ }).check();
    await expect.poll(() => count.textContent()).toBe('1 of 6 tables chosen');
    await backup.getByRole('button', { name: 'Select none' }).click();
    await expect.poll(() => count.textContent()).toBe('0 of 6 tables chosen');
    // The filter narrows the list, Select all shown takes only what it shows.
    await backup.getByLabel('Filter tables').fill('cust');
    await expect.poll(() => count.textContent()).toBe('0 of 6 tables chosen · 2 shown');
    await backup.getByRole('button', { name: 'Select all shown' }).click();
    await expect.poll(() => count.textContent()).toBe('2 of 6 tables chosen · 2 shown');
    await backup.getByLabel('Filter tables').fill('');
    await expect.poll(() => count.textContent()).toBe('2 of 6 tables chosen');
    // The keyboard: Tab into the list (one stop), arrows, Space.
    await backup.getByRole('button', { name: 'Select none' }).click();
    await expect.poll(() => count.textContent()).toBe('0 of 6 tables chosen');
    await backup.getByLabel('Filter tables').focus();
    const focused = () => page.evaluate(() => ({ type: (document.activeElement as HTMLInputElement | null)?.type, label: document.activeElement?.closest('label')?.querySelector('.mono')?.textContent }));
    for (let i = 0; i < 4 && (await focused()).type !== 'checkbox'; i++) await page.keyboard.press('Tab');
    expect((await focused()).type).toBe('checkbox');
    const walkTo = async (start: 'Home' | 'End', key: 'ArrowDown' | 'ArrowUp', label: string) => {
      await page.keyboard.press(start);
      for (let i = 0; i < 10 && (await focused()).label !== label; i++) await page.keyboard.press(key);
      expect((await focused()).label).toBe(label);
      await page.keyboard.press('Space');
    };
    await walkTo('Home', 'ArrowDown', `a.b, "c'd`);
    await walkTo('End', 'ArrowUp', 'Mixed Case');
    await expect.poll(() => count.textContent()).toBe('2 of 6 tables chosen');
    // Leaving the list and coming back lands on the last checkbox used.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect((await focused()).label).toBe('Mixed Case');
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: join(SHOTS, `backup-table-picker-${theme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    const file = join(dir, 'chosen.dump');
    await backup.getByLabel('Backup file on the machine that runs DB Desk').fill(file);
    await backup.getByRole('button', { name: 'Back up', exact: true }).click();
    await backup.getByText(/^Backed up 2 tables/).waitFor();
    // The file holds those two and no other.
    const list = execFileSync('pg_restore', ['--list', file], { encoding: 'utf8' });
    expect(list.split('\n').filter((l) => / TABLE (public|"backupui b"|backupui b) /.test(l)).map((l) => l.replace(/^.* TABLE \S+ (.*) postgres$/, '$1')).sort()).toEqual(['Mixed Case', 'a.b, "c\'d']);
    await backup.getByRole('button', { name: 'Close', exact: true }).last().click();
    expect(errors).toEqual([]);
  });

  for (const [i, theme] of (['light', 'dark'] as const).entries()) {
    it(`backs up with progress and a result, then restores into a production connection after the typed name (${theme})`, async () => {
      const target = targets[i]!;
      const targetName = theme === 'light' ? 'Live light' : 'Live dark';
      const { page, errors } = await newPage(browser, app.url, theme);
      await connect(page, 'Shop');
      await page.getByRole('button', { name: 'Back up…' }).click();
      const backup = page.getByRole('dialog', { name: 'Back up Shop' });
      await backup.getByLabel('Schema only').waitFor();
      const file = join(dir, `shop-${theme}.dump`);
      await backup.getByLabel('Backup file on the machine that runs DB Desk').fill(file);
      await page.screenshot({ path: join(SHOTS, `backup-options-${theme}.png`) });
      await backup.getByRole('button', { name: 'Back up', exact: true }).click();
      await backup.getByText(/^Backed up \d+ tables/).waitFor();
      await backup.getByText(/Done by pg_dump \d+/).waitFor();
      // The browser shell may run elsewhere: the finished file is offered as a download too.
      await backup.getByRole('link', { name: 'Download to this computer' }).waitFor();
      expect(statSync(file).size).toBeGreaterThan(1000);
      await page.screenshot({ path: join(SHOTS, `backup-done-${theme}.png`) });
      await backup.getByRole('button', { name: 'Close', exact: true }).last().click();

      await connect(page, targetName);
      await page.getByRole('button', { name: 'Restore…' }).click();
      const restore = page.getByRole('dialog', { name: `Restore into ${targetName}` });
      const pathField = restore.getByLabel('Backup file to restore (on the machine that runs DB Desk)');
      await pathField.waitFor();

      // The tool's own words when it fails (a file that is not a backup), nothing restored.
      const junk = join(dir, `junk-${theme}.dump`);
      writeFileSync(junk, 'not a backup');
      await pathField.fill(junk);
      const go = restore.getByRole('button', { name: 'Restore', exact: true });
      expect(await go.isDisabled()).toBe(true);
      const dbName = target.url.replace(/.*\/([^/?]+)\?.*/, '$1');
      await restore.getByLabel('Database name').fill(dbName);
      await go.click();
      await restore.getByRole('alert').getByText(/pg_restore failed: pg_restore: error:/).waitFor();
      await page.screenshot({ path: join(SHOTS, `restore-tool-error-${theme}.png`) });

      await pathField.fill(file);
      await restore.getByLabel('Database name').fill('wrong');
      expect(await go.isDisabled()).toBe(true);
      await restore.getByLabel('Database name').fill(dbName);
      await page.screenshot({ path: join(SHOTS, `restore-confirm-${theme}.png`) });
      await go.click();
      await restore.getByText(/^Restored \d+ tables from/).waitFor();
      await page.screenshot({ path: join(SHOTS, `restore-done-${theme}.png`) });
      await restore.getByRole('button', { name: 'Close', exact: true }).last().click();

      expect(await schemaPrint('postgres', target)).toBe(await schemaPrint('postgres', source));
      expect(await rowChecksums('postgres', target)).toEqual(await rowChecksums('postgres', source));
      expect(errors).toEqual([]);
    });
  }
});
