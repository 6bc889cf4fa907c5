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

  /** Where the first row in view sits against the bottom of the column header (0: right below it). */
  const firstRowGap = () =>
    grid().evaluate((g) => {
      const header = g.querySelector('.dg-header')!.getBoundingClientRect().bottom;
      const first = g.querySelector('[role=row][aria-rowindex="2"]');
      return first ? Math.round(first.getBoundingClientRect().top - header) : null;
    });

  it('keeps the first row below the header after switching to another tab and back', async () => {
    // The circumstances: 1440×900, the first row visible and active.
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await firstRowGap()).toBe(0);
    await page.getByRole('treeitem', { name: 'customers' }).click();
    await page.getByRole('grid', { name: 'Rows of customers' }).waitFor();
    await page.getByRole('tab', { name: /events/ }).first().click();
    await expect.poll(firstRowGap).toBe(0);
  });

  it('sizes columns to their header and a sample of values: no name is cut', async () => {
    await page.getByRole('treeitem', { name: 'value_showcase' }).click();
    const showcase = page.getByRole('grid', { name: 'Rows of value_showcase' });
    await showcase.locator('[role=row][aria-rowindex="2"] [role=gridcell]').first().waitFor();
    const cut = await showcase.evaluate((g) => [...g.querySelectorAll<HTMLElement>('.dg-th-name')].filter((n) => n.scrollWidth > n.clientWidth).map((n) => n.textContent));
    expect(cut).toEqual([]);
    await page.getByRole('tab', { name: /events/ }).first().click();
  });

  it('scrolls to the last row by dragging the scrollbar past the window’s edge, past the browser’s element height limit', async () => {
    // The grid is the element that scrolls; its scrollbar is drawn beside it.
    const scroller = grid();
    const height = await scroller.evaluate((el) => el.scrollHeight);
    // 1,000,000 rows × 28 px would be 28 million pixels; the scrollbar is scaled instead.
    expect(height).toBeLessThan(16_000_000);
    const lastId = grid().locator('[role=row][aria-rowindex="1000001"] [role=gridcell][aria-colindex="2"]');
    const thumb = page.locator('.dg', { has: grid() }).locator('.dg-vthumb');
    // Drag the thumb as a user would; the pointer's last step lands a few pixels below the window (900 px).
    for (const [steps, below] of [
      [12, 3],
      [17, 9],
      [25, 40],
    ] as const) {
      await grid().focus();
      await page.keyboard.press('Control+Home');
      await expect.poll(firstRowGap).toBe(0);
      const box = (await thumb.boundingBox())!;
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      for (let i = 1; i <= steps; i++) await page.mouse.move(x, y + ((900 + below - y) * i) / steps);
      await page.mouse.up();
      await expect.poll(() => lastId.textContent(), { timeout: 15_000 }).toBe('1000000');
    }
    // Switching tabs and back keeps the rows where they were.
    await page.getByRole('treeitem', { name: 'customers' }).click();
    await page.getByRole('tab', { name: /events/ }).first().click();
    await expect.poll(() => lastId.textContent()).toBe('1000000');
    expect(await lastId.isVisible()).toBe(true);
    // Keyboard: back to the top and down again with Ctrl+Home / Ctrl+End.
    await grid().focus();
    await page.keyboard.press('Control+Home');
    await expect.poll(() => grid().locator('[role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="2"]').textContent()).toBe('1');
    expect(await firstRowGap()).toBe(0);
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
    // Done (not the running count): one row, in the singular.
    await dialog.getByText(/written in/).waitFor();
    expect(await dialog.locator('strong').filter({ hasText: /row/ }).textContent()).toBe('1 row');
    expect(readFileSync(path, 'utf8').split('\n')[1]).toMatch(new RegExp(`^1000000,[^,]+,${NEW_KIND},`));
    expect(await dialog.getByRole('link', { name: 'Download to this computer' }).getAttribute('href')).toMatch(/\/download\/[\w-]+$/);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
  });
});
