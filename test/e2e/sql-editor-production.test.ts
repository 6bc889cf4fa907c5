import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../electron/core/app-core';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../shared/model/connection';
import { parseConnectionUrl } from '../../shared/model/connection-url';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { createPostgresDatabase, type TestDatabase } from '../support/servers';

/**
 * The SQL editor on a production PostgreSQL connection in Chromium: it starts in manual mode, asks
 * before a statement that may write, and the process list cancels a running statement only after
 * its confirmation.
 */
describe('SQL editor on a production PostgreSQL connection in Chromium', () => {
  let db: TestDatabase;
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let dataDir: string;

  beforeAll(async () => {
    db = await createPostgresDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-prod-'));
    const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {} });
    try {
      const parsed = parseConnectionUrl(db.url);
      core.store.profiles.save(ConnectionFields.parse({ ...parsed.fields, name: 'Shop production', production: true }), parsed.password);
    } finally {
      await core.close();
    }
    app = await serveApp({ dataDir });
    browser = await launchChromium();
    ({ page, errors } = await newPage(browser, app.url));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await db?.drop();
  });

  const editor = () => page.getByRole('textbox', { name: /^SQL of / });
  const results = () => page.getByRole('tablist', { name: 'Results' });
  const txState = () => page.getByRole('toolbar', { name: 'Editor actions' }).getByRole('status');

  async function setText(text: string) {
    await editor().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  it('starts in manual mode and asks before a write; Rollback undoes what ran', async () => {
    await page.getByRole('option', { name: /Shop production/ }).click({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('button', { name: 'SQL editor' }).click({ timeout: 30_000 });
    await expect.poll(() => page.getByRole('checkbox', { name: 'Auto-commit' }).isChecked(), { timeout: 20_000 }).toBe(false);
    await setText('CREATE TABLE prod_t (id int);');
    await page.keyboard.press('Control+Enter');
    const dialog = page.getByRole('dialog', { name: 'Run on a production connection?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('CREATE TABLE prod_t');
    // Cancel runs nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await editor().click();
    await page.keyboard.press('Control+Enter');
    await dialog.getByRole('button', { name: 'Run it' }).click();
    await expect.poll(() => results().getByRole('tab').first().textContent(), { timeout: 20_000 }).toMatch(/CREATE/);
    await expect.poll(() => txState().textContent()).toMatch(/^Transaction open/);
    await page.getByRole('button', { name: 'Rollback', exact: true }).click();
    await expect.poll(() => txState().textContent()).toBe('No transaction');
    // A read runs without asking.
    await setText("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'prod_t';");
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByRole('grid', { name: 'Result of statement 1' }).getByRole('gridcell').allTextContents(), { timeout: 20_000 }).toContain('0');
    await page.getByRole('button', { name: 'Rollback', exact: true }).click();
  });

  it('shows text read from the server’s bytes (non-ASCII, empty, NULL) and numbers in the grid', async () => {
    await setText("SELECT t, length(t) AS len, 1.5::float8 AS f FROM (VALUES ('é à ü'), ('日本語 🦄'), (''), (NULL)) v(t);");
    await page.keyboard.press('Control+Enter');
    const grid = page.getByRole('grid', { name: 'Result of statement 1' });
    await expect.poll(() => grid.getByRole('gridcell').allTextContents(), { timeout: 20_000 }).toContain('日本語 🦄');
    const cells = await grid.getByRole('gridcell').allTextContents();
    expect(cells).toContain('é à ü');
    expect(cells).toContain('1.5');
    await page.screenshot({ path: 'test-results/screenshots/sql-editor-postgres-text.png' });
    await page.getByRole('button', { name: 'Rollback', exact: true }).click();
  });

  it('the process list shows the running statement and cancels it after confirmation', async () => {
    await setText('SELECT pg_sleep(60);');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('button', { name: 'Processes' }).click();
    const sessions = page.getByRole('list', { name: 'Server sessions' }).getByRole('listitem');
    const mine = sessions.filter({ hasText: 'pg_sleep(60)' });
    await page.getByRole('complementary', { name: 'Processes' }).getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(async () => { await page.getByRole('complementary', { name: 'Processes' }).getByRole('button', { name: 'Refresh' }).click(); return mine.count(); }, { timeout: 20_000 }).toBe(1);
    await mine.getByRole('button', { name: /^Cancel the statement of session/ }).click();
    const confirm = page.getByRole('dialog', { name: /^Cancel the statement of session/ });
    await confirm.waitFor();
    // Keeping it changes nothing.
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await page.getByRole('button', { name: /Cancel$/ }).isEnabled()).toBe(true);
    await mine.getByRole('button', { name: /^Cancel the statement of session/ }).click();
    await confirm.getByRole('button', { name: 'Cancel statement' }).click();
    await expect.poll(() => results().getByRole('tab').first().textContent(), { timeout: 10_000 }).toMatch(/Error|Cancelled/);
    await page.getByRole('button', { name: 'Rollback', exact: true }).click().catch(() => undefined);
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
