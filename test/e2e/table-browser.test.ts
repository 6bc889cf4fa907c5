import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';

const NEW_KIND = 'edited in Chromium ✓';

describe('table browser in Chromium', () => {
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    app = await serveApp();
    browser = await launchChromium();
    ({ page, errors } = await newPage(browser, app.url));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const grid = () => page.getByRole('grid', { name: 'Rows of events' });

  it('opens the demo database’s events table: a million rows in one ARIA grid', async () => {
    // The demo database opens on first start; its tables appear in the schema tree.
    await page.getByRole('treeitem', { name: /events$/ }).click({ timeout: 90_000 });
    await expect.poll(() => grid().getAttribute('aria-rowcount'), { timeout: 30_000 }).toBe('1000001');
    expect(await grid().getAttribute('aria-colcount')).toBe('8');
    await expect.poll(() => grid().locator('[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="2"]').textContent()).toBe('1');
    const headers = await grid().getByRole('columnheader').allTextContents();
    expect(headers.join('|')).toContain('occurred_at');
    await expect.poll(() => page.getByRole('tab', { name: 'Data' }).getAttribute('aria-selected')).toBe('true');
  });

  it('scrolls to the last row, past the browser’s element height limit', async () => {
    const scroller = grid().locator('.dg-scroller');
    const height = await scroller.evaluate((el) => el.scrollHeight);
    // 1,000,000 rows × 28 px would be 28 million pixels; the scrollbar is scaled instead.
    expect(height).toBeLessThan(16_000_000);
    // Drag to the very bottom, as a user would with the scrollbar.
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastId = grid().locator('[role=row][aria-rowindex="1000001"] [role=gridcell][aria-colindex="2"]');
    await expect.poll(() => lastId.textContent(), { timeout: 15_000 }).toBe('1000000');
    // Keyboard: back to the top and down again with Ctrl+Home / Ctrl+End.
    await grid().focus();
    await page.keyboard.press('Control+Home');
    await expect.poll(() => grid().locator('[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="2"]').textContent()).toBe('1');
    await page.keyboard.press('Control+End');
    await expect.poll(() => lastId.textContent()).toBe('1000000');
    const active = await grid().getAttribute('aria-activedescendant');
    expect(active).toMatch(/-r999999-c6$/);
  });

  it('edits a cell of the last row, reviews the SQL, applies it, and the database file has the new value', async () => {
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const editor = page.getByRole('textbox', { name: 'New value of kind' });
    await editor.fill(NEW_KIND);
    await editor.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: /1 change/ }).count()).toBe(1);
    const lastKind = grid().locator('[role=row][aria-rowindex="1000001"] [role=gridcell][aria-colindex="4"]');
    expect(await lastKind.textContent()).toBe(NEW_KIND);
    expect(await lastKind.getAttribute('class')).toContain('tb-cell-changed');

    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Review SQL' });
    const sqlText = dialog.getByLabel('Statements that will run');
    await expect.poll(() => sqlText.textContent()).toContain('UPDATE "main"."events" SET "kind" = ? WHERE "id" = ?');
    const script = (await sqlText.textContent())!;
    expect(script).toMatch(/^BEGIN IMMEDIATE;/);
    expect(script).toContain(`bound: [1] '${NEW_KIND}', [2] 1000000`);
    expect(script.trim()).toMatch(/COMMIT;$/);
    // Nothing is written before Apply.
    const file = join(app.dataDir, 'demo.sqlite');
    expect(existsSync(file)).toBe(true);
    const before = new Database(file, { readonly: true });
    expect((before.prepare('SELECT kind FROM events WHERE id = 1000000').get() as { kind: string }).kind).toBe('login');
    before.close();

    await dialog.getByRole('button', { name: 'Apply in one transaction' }).click();
    await dialog.waitFor({ state: 'detached' });
    const db = new Database(file, { readonly: true });
    try {
      expect((db.prepare('SELECT kind FROM events WHERE id = 1000000').get() as { kind: string }).kind).toBe(NEW_KIND);
      expect((db.prepare('SELECT count(*) AS n FROM events WHERE kind = ?').get(NEW_KIND) as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
    // The grid reads the row again and shows what is stored now.
    await expect.poll(() => lastKind.textContent(), { timeout: 10_000 }).toBe(NEW_KIND);
    await expect.poll(async () => (await lastKind.getAttribute('class')) ?? '').not.toContain('tb-cell-changed');
  });

  it('sorts on the server and filters with the builder', async () => {
    await grid().getByRole('columnheader', { name: /^kind/ }).click();
    await expect.poll(() => grid().getByRole('columnheader', { name: /^kind/ }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => grid().locator('[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="4"]').textContent()).toBe('add_to_cart');
    await page.getByRole('button', { name: /^Filter/ }).click();
    const builder = page.getByRole('region', { name: 'Filter builder' });
    await builder.getByRole('combobox', { name: 'Column' }).selectOption('kind');
    await builder.getByRole('textbox', { name: 'Value' }).fill(NEW_KIND);
    await builder.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('2');
    expect(await grid().locator('[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="2"]').textContent()).toBe('1000000');
    expect(errors).toEqual([]);
  });

  it('exports the filtered view to a file on the core machine', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export events' });
    const path = join(app.dataDir, 'filtered-events.csv');
    await dialog.getByLabel('File on the machine that runs DB Desk').fill(path);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByText(/1 rows/).waitFor();
    expect(readFileSync(path, 'utf8').split('\n')[1]).toMatch(new RegExp(`^1000000,[^,]+,${NEW_KIND},`));
    expect(await dialog.getByRole('link', { name: 'Download to this computer' }).getAttribute('href')).toMatch(/\/download\/[\w-]+$/);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
  });
});
