import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../electron/core/app-core';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../shared/model/connection';
import { parseConnectionUrl } from '../../shared/model/connection-url';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { createMariadbDatabase, createPostgresDatabase, mariadbAdmin, POSTGRES, type TestDatabase } from '../support/servers';

const SHOTS = join('test-results', 'screenshots');

/**
 * Errors where they happen (issue 23), in Chromium on PostgreSQL: an edit that breaks a unique key
 * is refused on Apply with the column's cell marked, the constraint, its key and PostgreSQL's DETAIL
 * named, and "Open the existing row" opens the row that already holds the key.
 */
describe('explained errors in the table browser', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let dataDir: string;
  let app: ServedApp;
  let browser: Browser;

  beforeAll(async () => {
    db = await createPostgresDatabase();
    admin = new pg.Client({ ...POSTGRES, database: db.name });
    await admin.connect();
    await admin.query(`CREATE TABLE members (id int PRIMARY KEY, email text NOT NULL CONSTRAINT members_email_key UNIQUE, name text);
      INSERT INTO members VALUES (1, 'ada@example.com', 'Ada'), (2, 'grace@example.com', 'Grace'), (3, 'alan@example.com', 'Alan');`);
    dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-explained-'));
    const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {} });
    try {
      const parsed = parseConnectionUrl(db.url);
      core.store.profiles.save(ConnectionFields.parse({ ...parsed.fields, name: 'Explained errors' }), parsed.password);
    } finally {
      void core.close();
    }
    mkdirSync(SHOTS, { recursive: true });
    app = await serveApp({ dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await admin?.end().catch(() => undefined);
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function openMembers(theme: 'light' | 'dark'): Promise<{ page: Page; errors: string[]; cell: (row: number, col: number) => ReturnType<Page['locator']> }> {
    const { page, errors } = await newPage(browser, app.url, theme);
    await page.getByRole('option', { name: /Explained errors/ }).click();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('treeitem', { name: /members$/ }).click({ timeout: 60_000 });
    const cell = (row: number, col: number) =>
      page.getByRole('grid', { name: 'Rows of members' }).locator(`[role=row][aria-rowindex="${row + 1}"] [role=gridcell][aria-colindex="${col + 1}"]`);
    await expect.poll(() => cell(2, 2).textContent(), { timeout: 30_000 }).toBe('grace@example.com');
    return { page, errors, cell };
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`a unique violation on Apply marks the cell, names the constraint and key, and opens the existing row (${theme})`, async () => {
      const { page, errors, cell } = await openMembers(theme);
      await cell(2, 2).dblclick();
      const editor = page.getByRole('textbox', { name: 'New value of email' });
      await editor.fill('ada@example.com');
      await editor.press('Enter');
      await expect.poll(() => page.getByRole('status').filter({ hasText: /1 change/ }).count()).toBe(1);
      await page.keyboard.press('Control+s');
      const dialog = page.getByRole('dialog', { name: 'Review SQL' });
      await expect.poll(() => dialog.getByLabel('Statements that will run').textContent()).toContain('UPDATE "public"."members"');
      await dialog.getByRole('button', { name: 'Apply in one transaction' }).click();

      // Review SQL says what broke, where, and what PostgreSQL said.
      const refused = dialog.getByRole('alert');
      await refused.getByText('Duplicate key', { exact: false }).first().waitFor();
      const text = (await refused.textContent())!;
      expect(text).toContain('Row 2 (id = 2), column email');
      expect(text).toContain('members_email_key');
      expect(text).toContain('UNIQUE (email)');
      expect(text).toContain('(email) = (ada@example.com)');
      expect(text).toContain('DETAIL: Key (email)=(ada@example.com) already exists.');
      await page.screenshot({ path: join(SHOTS, `explained-unique-review-${theme}.png`) });
      await dialog.getByRole('button', { name: 'Close', exact: true }).and(dialog.locator('.btn')).click();
      await dialog.waitFor({ state: 'detached' });

      // The grid: the row and the cell are marked, the banner explains, the change stays staged.
      await expect.poll(() => cell(2, 2).getAttribute('class')).toContain('tb-cell-problem');
      expect(await cell(2, 3).getAttribute('class')).not.toContain('tb-cell-problem');
      const banner = page.locator('.tb-problems');
      await banner.getByText(/Nothing was applied/).waitFor();
      expect(await banner.textContent()).toContain('members_email_key');
      await page.screenshot({ path: join(SHOTS, `explained-unique-grid-${theme}.png`) });
      expect((await admin.query<{ email: string }>('SELECT email FROM members WHERE id = 2')).rows[0]!.email).toBe('grace@example.com');

      // "Open the existing row": the table again, filtered to the key — row 1.
      await banner.getByRole('button', { name: 'Open the existing row' }).click();
      await page.getByRole('tab', { name: /members \(email\) = \(ada@example\.com\)/ }).waitFor();
      const opened = page.getByRole('grid', { name: 'Rows of members' });
      await expect.poll(() => opened.locator('[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="2"]').textContent(), { timeout: 30_000 }).toBe('1');
      expect(await opened.locator('[role=row][aria-rowindex="3"]').count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, `explained-unique-existing-row-${theme}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`the SQL editor's result explains a refused statement — kind, table, column, constraint, key, the server's words — and opens the existing row (${theme}, ${theme === 'light' ? 'mouse' : 'keyboard'})`, async () => {
      const { page, errors } = await newPage(browser, app.url, theme);
      await page.getByRole('option', { name: /Explained errors/ }).click();
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByRole('button', { name: 'SQL editor' }).click({ timeout: 60_000 });
      const editor = page.getByRole('textbox', { name: /^SQL of / });
      await expect.poll(() => editor.isVisible()).toBe(true);
      await editor.click();
      await page.keyboard.insertText(`INSERT INTO members (id, email, name) VALUES (9, 'ada@example.com', 'Another Ada');`);
      await page.keyboard.press('Control+Enter');
      const alert = page.getByRole('alert').filter({ hasText: 'Duplicate key' });
      await expect.poll(() => alert.isVisible(), { timeout: 20_000 }).toBe(true);
      const facts = alert.getByRole('definition');
      expect(await alert.getByRole('term').allTextContents()).toEqual(['Table', 'Column', 'Constraint', 'Key']);
      expect(await facts.allTextContents()).toEqual(['public.members', 'email', 'members_email_key: UNIQUE (email)', '(email) = (ada@example.com)']);
      const text = (await alert.textContent())!;
      expect(text).toContain('The server said: 23505: duplicate key value violates unique constraint "members_email_key"');
      expect(text).toContain('Detail: Key (email)=(ada@example.com) already exists.');
      await page.screenshot({ path: join(SHOTS, `explained-sql-editor-${theme}.png`) });
      // The explanation with its button: no serious or critical axe violation in this theme.
      const axe = await new AxeBuilder({ page }).include('.result-error').analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

      // "Open the existing row", as in the table browser: the table, filtered to the key — row 1.
      const open = alert.getByRole('button', { name: 'Open the existing row' });
      if (theme === 'light') await open.click();
      else {
        // Keys only: Escape then Tab leaves the editor; Tab on to the button, Enter presses it.
        await editor.press('Escape');
        for (let i = 0; i < 40 && !(await open.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
        expect(await open.evaluate((b) => b === document.activeElement)).toBe(true);
        await page.keyboard.press('Enter');
      }
      await page.getByRole('tab', { name: /members \(email\) = \(ada@example\.com\)/ }).waitFor();
      const opened = page.getByRole('grid', { name: 'Rows of members' });
      await expect.poll(() => opened.locator('[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="3"]').textContent(), { timeout: 30_000 }).toBe('ada@example.com');
      expect(await opened.locator('[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="2"]').textContent()).toBe('1');
      expect(await opened.locator('[role=row][aria-rowindex="3"]').count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, `explained-sql-editor-existing-row-${theme}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

/** MariaDB counts "at row 1" within the statement: the grid says which of its rows that is. */
describe('explained errors in the table browser on MariaDB', () => {
  let db: TestDatabase;
  let dataDir: string;
  let app: ServedApp;
  let browser: Browser;

  beforeAll(async () => {
    db = await createMariadbDatabase();
    const admin = await mariadbAdmin();
    try {
      await admin.query(`CREATE TABLE ${db.name}.codes (id int PRIMARY KEY, code varchar(5)) ENGINE=InnoDB; INSERT INTO ${db.name}.codes VALUES (1, 'a'), (2, 'b'), (3, 'c');`);
    } finally {
      await admin.end();
    }
    dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-explained-maria-'));
    const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {} });
    try {
      const parsed = parseConnectionUrl(db.url);
      core.store.profiles.save(ConnectionFields.parse({ ...parsed.fields, name: 'Explained MariaDB' }), parsed.password);
    } finally {
      void core.close();
    }
    mkdirSync(SHOTS, { recursive: true });
    app = await serveApp({ dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a value too long: the cell is marked and "at row 1" is said as the grid row', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await page.getByRole('option', { name: /Explained MariaDB/ }).click();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('treeitem', { name: /codes$/ }).click({ timeout: 60_000 });
    const cell = (row: number, col: number) => page.getByRole('grid', { name: 'Rows of codes' }).locator(`[role=row][aria-rowindex="${row + 1}"] [role=gridcell][aria-colindex="${col + 1}"]`);
    await expect.poll(() => cell(3, 2).textContent(), { timeout: 30_000 }).toBe('c');
    await cell(3, 2).dblclick();
    const editor = page.getByRole('textbox', { name: 'New value of code' });
    await editor.fill('TOOLONG1');
    await editor.press('Enter');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Review SQL' });
    await expect.poll(() => dialog.getByLabel('Statements that will run').textContent()).toContain('UPDATE');
    await dialog.getByRole('button', { name: 'Apply in one transaction' }).click();
    await dialog.getByRole('alert').getByText('Value too long', { exact: false }).first().waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).and(dialog.locator('.btn')).click();
    await expect.poll(() => cell(3, 2).getAttribute('class')).toContain('tb-cell-problem');
    const banner = (await page.locator('.tb-problems').textContent())!;
    expect(banner).toContain('Row 3 (id = 3), column code: Value too long.');
    expect(banner).toContain("Data too long for column 'code' at row 1");
    expect(banner).toContain('(“row 1” counts the rows of that one statement: it is Row 3 (id = 3) here.)');
    expect(banner).toContain('Declared as code varchar(5)');
    await page.screenshot({ path: join(SHOTS, 'explained-mariadb-too-long-light.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

