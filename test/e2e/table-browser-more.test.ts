import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, readClipboard, serveApp, type ServedApp } from '../support/browser';

/** Foreign keys both ways, copying a selection, the value viewer and conflicts, on the demo database. */
describe('table browser: foreign keys, copy, viewer, conflicts', () => {
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    app = await serveApp();
    browser = await launchChromium();
    ({ page, errors } = await newPage(browser, app.url));
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const cell = (table: string, row: number, col: number) => page.getByRole('grid', { name: `Rows of ${table}` }).locator(`[role=row][aria-rowindex="${row + 1}"] [role=gridcell][aria-colindex="${col + 1}"]`);

  it('follows a foreign key to the referenced row, and back to the rows that reference it', async () => {
    await page.getByRole('treeitem', { name: /orders$/ }).click({ timeout: 90_000 });
    await expect.poll(() => cell('orders', 1, 1).textContent()).toBe('1');
    // Order 1 belongs to customer 1: the arrow in its customer_id cell opens that customer.
    await cell('orders', 1, 2).getByRole('button', { name: 'Open the referenced customers row' }).click();
    await expect.poll(() => page.getByRole('grid', { name: 'Rows of customers' }).getAttribute('aria-rowcount')).toBe('2');
    expect(await cell('customers', 1, 2).textContent()).toBe('Ada Lovelace');
    // From the customer, the rows pointing at it: two orders.
    await page.getByRole('grid', { name: 'Rows of customers' }).focus();
    await page.keyboard.press('F3');
    const panel = page.getByRole('complementary', { name: 'Value and references' });
    await expect.poll(() => panel.locator('.ref-list li', { hasText: '← orders' }).textContent()).toContain('2 rows');
    await panel.getByRole('button', { name: '← orders' }).click();
    await expect.poll(() => page.getByRole('grid', { name: 'Rows of orders' }).last().getAttribute('aria-rowcount')).toBe('3');
  });

  it('copies a selection made with the keyboard as TSV, keeping NULL and the empty string apart', async () => {
    const grid = page.getByRole('grid', { name: 'Rows of orders' }).last();
    await grid.focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+c');
    await expect.poll(() => readClipboard(page)).toBe('total\tnote\r\n168.9\t\r\n349.99\tPlaced during a DST change in many zones');
  });

  it('shows a JSON value pretty-printed, and bytes with their size, in the side viewer', async () => {
    await page.getByRole('treeitem', { name: /value_showcase$/ }).click();
    const grid = page.getByRole('grid', { name: 'Rows of value_showcase' });
    await expect.poll(() => cell('value_showcase', 1, 1).textContent()).toBe('1');
    await grid.focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('F3');
    const panel = page.getByRole('complementary', { name: 'Value and references' }).last();
    await expect.poll(() => panel.getByLabel('JSON value').textContent()).toContain('"nested": {');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => panel.getByLabel('Bytes as hex').textContent()).toContain('00 ff 10');
    expect(await panel.textContent()).toContain('3 B');
  });

  it('marks a conflict on the row when someone else changed it, and applies nothing', async () => {
    await page.getByRole('treeitem', { name: /customers$/ }).click();
    const grid = page.getByRole('grid', { name: 'Rows of customers' }).first();
    await expect.poll(() => cell('customers', 2, 2).textContent()).toBe('Grace Hopper');
    // Someone else changes Grace's row after the grid read it.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${app.dataDir}/demo.sqlite`);
    db.prepare("UPDATE customers SET country = 'XX' WHERE id = 2").run();
    await cell('customers', 2, 2).dblclick();
    const editor = page.getByRole('textbox', { name: 'New value of name' });
    await editor.fill('Rear Admiral Grace Hopper');
    await editor.press('Enter');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Review SQL' });
    const apply = dialog.getByRole('button', { name: 'Apply in one transaction' });
    await apply.click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('changed by someone else');
    // The same statements would be refused again: Apply is off until the row is fixed and reviewed again,
    // and the focus is on Close.
    expect(await apply.isDisabled()).toBe(true);
    expect(await apply.getAttribute('aria-describedby')).toBe('review-failure');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
    await page.screenshot({ path: 'test-results/screenshots/table-browser-conflict-apply-off-light.png' });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await grid.locator('[role=row][aria-rowindex="3"]').getAttribute('class')).toContain('tb-row-problem');
    expect((db.prepare('SELECT name FROM customers WHERE id = 2').get() as { name: string }).name).toBe('Grace Hopper');
    db.close();
    expect(errors).toEqual([]);
  });
});
