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
