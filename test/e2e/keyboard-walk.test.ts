import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';

/**
 * The demo database without a mouse, at 1440×900: every step below is keys only (issue 17,
 * "Keyboard"), and each checks where the focus lands.
 */
describe('keyboard only, at 1440×900', () => {
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    app = await serveApp();
    browser = await launchChromium();
    ({ page, errors } = await newPage(browser, app.url));
    await page.setViewportSize({ width: 1440, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** What has the focus: its role and accessible name, as a user of a screen reader would hear it. */
  const focused = () =>
    page.evaluate(() => {
      const a = document.activeElement as HTMLElement;
      const label = a.getAttribute('aria-label') ?? (a.id && a.tagName === 'INPUT' ? `#${a.id}` : (a.querySelector('.tree-label')?.textContent ?? a.textContent?.trim().slice(0, 40)));
      return `${a.getAttribute('role') ?? a.tagName.toLowerCase()}: ${label}`;
    });
  const palette = async (what: string) => {
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Find a command or an open tab' }).waitFor();
    await page.keyboard.type(what);
    await page.keyboard.press('Enter');
  };

  it('opens a table from the tree, sorts, filters with a raw WHERE (a typo is one error), and comes back to the grid', async () => {
    // The demo opens by itself on the first start; its tree is reached from the palette.
    await page.getByRole('treeitem', { name: 'events' }).waitFor({ timeout: 90_000 });
    await palette('go to the schema tree');
    await expect.poll(focused).toMatch(/^treeitem: /);
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('treeitem: events');
    await page.keyboard.press('Enter');
    // Enter opens the table with the focus in its rows.
    await expect.poll(focused).toBe('grid: Rows of events');
    const grid = page.getByRole('grid', { name: 'Rows of events' });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Alt+s');
    await expect.poll(() => grid.getByRole('columnheader', { name: /^kind/ }).getAttribute('aria-sort')).toBe('ascending');
    // Item 9: a typo in the raw WHERE box is one error, where it was typed; the grid keeps its rows.
    await page.keyboard.press('Alt+Shift+W');
    await expect.poll(focused).toMatch(/^input: /);
    await page.keyboard.type("kind = = 'login'");
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The condition did not run' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'The condition did not run' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^WHERE/ }).textContent()).toBe('WHERE ⚠');
    expect(await grid.getByText(/Could not load these rows/).count()).toBe(0);
    expect(await page.locator('.tb-status').textContent()).not.toMatch(/Counting rows/);
    await page.keyboard.press('Control+a');
    await page.keyboard.type("kind = 'login' AND id < 50");
    await page.keyboard.press('Enter');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('8');
    expect(await page.getByRole('button', { name: /^WHERE/ }).textContent()).toBe('WHERE ✓');
    await page.keyboard.press('Escape');
    await expect.poll(focused).toBe('grid: Rows of events');
  });

  it('edits a cell, reviews with the focus on Apply, and gets the focus back in the grid after Apply', async () => {
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('login by keyboard');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Review SQL' });
    await dialog.waitFor();
    await expect.poll(focused).toBe('button: Apply in one transaction');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(focused).toBe('grid: Rows of events');
  });

  it('opens the SQL editor with Alt+Q and types straight into it; the palette reaches any open tab', async () => {
    await page.keyboard.press('Alt+q');
    await expect.poll(focused).toMatch(/^textbox: SQL of /);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('SELECT 6 * 7 AS answer;');
    await expect.poll(() => page.getByRole('textbox', { name: /^SQL of / }).textContent()).toBe('SELECT 6 * 7 AS answer;');
    await palette('events');
    await expect.poll(focused).toBe('grid: Rows of events');
    // The tree shows the table in front.
    expect(await page.getByRole('treeitem', { name: 'events' }).getAttribute('aria-selected')).toBe('true');
  });

  it('with 8 tabs: a new tab is scrolled into view, and the list of open tabs reaches every one', async () => {
    for (const t of ['customers', 'order_items', 'orders', 'products', 'value_showcase']) await palette(`open table main.${t}`);
    await palette('migrations');
    await palette('diagnose');
    const strip = page.locator('.tab-strip');
    expect(await strip.evaluate((s) => s.scrollWidth > s.clientWidth)).toBe(true);
    const newest = page.getByRole('tab', { name: /Diagnose/ });
    const [tab, box] = await Promise.all([newest.boundingBox(), strip.boundingBox()]);
    expect(tab!.x).toBeGreaterThanOrEqual(box!.x - 1);
    expect(tab!.x + tab!.width).toBeLessThanOrEqual(box!.x + box!.width + 1);
    await page.keyboard.press('Alt+Shift+T');
    const list = page.getByRole('listbox', { name: 'Open tabs' });
    await expect.poll(() => list.getByRole('option').count()).toBe(9);
    await page.keyboard.type('customers');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('grid: Rows of customers');
    expect(await page.getByRole('treeitem', { name: 'customers' }).getAttribute('aria-selected')).toBe('true');
  });

  it('never lets a password follow a change of host, and reaches the saved connections with none selected', async () => {
    await page.keyboard.press('Alt+n');
    const editor = page.getByRole('dialog', { name: 'New connection' });
    await expect.poll(focused).toBe('input: #conn-url');
    await page.keyboard.insertText('postgres://app:s3cret@db1.example.com:5432/shop');
    expect(await editor.getByLabel('Password', { exact: true }).inputValue()).toBe('s3cret');
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('postgres://app@db2.example.com:5432/shop');
    expect(await editor.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await editor.getByText(/The password was for app@db1\.example\.com:5432/).waitFor();
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });

    // A fresh window with saved connections and none selected: the welcome says how to pick one, and Tab reaches the list.
    await page.keyboard.press('Alt+w');
    const fresh = await newPage(browser, app.url);
    try {
      await fresh.page.getByRole('listbox', { name: 'Saved connections' }).waitFor();
      await fresh.page.getByLabel('Filter connections').focus();
      await fresh.page.keyboard.press('ArrowDown');
      await expect.poll(() => fresh.page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('option');
    } finally {
      await fresh.page.context().close();
    }
    expect(errors).toEqual([]);
  });
});
