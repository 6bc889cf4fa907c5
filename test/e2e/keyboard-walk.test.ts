import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { dbmateFile, migrationFolder } from '../support/migrations';
import { createMariadbDatabase, type TestDatabase } from '../support/servers';

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
  const folder = migrationFolder({
    '20260101000000_notes.sql': dbmateFile('CREATE TABLE kb_notes (id integer PRIMARY KEY, body text);', 'DROP TABLE kb_notes;'),
    '20260102000000_tags.sql': dbmateFile('CREATE TABLE kb_tags (id integer PRIMARY KEY, name text NOT NULL);', 'DROP TABLE kb_tags;'),
  });
  let first: TestDatabase | undefined;
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    folder.remove();
    await first?.drop();
  });

  /** What has the focus: its role and accessible name, as a user of a screen reader would hear it. */
  const focused = () =>
    page.evaluate(() => {
      const a = document.activeElement as HTMLElement;
      const label = a.getAttribute('aria-label') ?? (a.id && a.tagName === 'INPUT' ? `#${a.id}` : (a.querySelector('.tree-label')?.textContent ?? a.textContent?.trim().slice(0, 40)));
      return `${a.getAttribute('role') ?? a.tagName.toLowerCase()}: ${label}`;
    });
  /**
   * Whether the focus can be seen: the focused element matches :focus-visible and a ring in the
   * theme's accent colour is drawn for it — an outline or a box shadow on it, on a frame around it
   * (the grid's, drawn by its ::after; the SQL editor's) or on the row inside it (a tree item's).
   */
  const focusRing = () =>
    page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      if (!a || a === document.body) return 'nothing has the focus';
      if (!a.matches(':focus-visible')) return `${a.tagName} is not :focus-visible`;
      const probe = document.createElement('span');
      probe.style.color = 'var(--accent)';
      document.body.append(probe);
      const accent = getComputedStyle(probe).color;
      probe.remove();
      const ring = (el: Element | null) => {
        if (!el) return false;
        const s = getComputedStyle(el);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 && s.outlineColor === accent) || s.boxShadow.includes(accent) || getComputedStyle(el, '::after').boxShadow.includes(accent);
      };
      const around = [a, a.firstElementChild, a.parentElement, a.parentElement?.parentElement ?? null];
      return around.some(ring) ? 'visible' : `no ring on ${a.tagName}.${a.className}`;
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
    expect(await focusRing()).toBe('visible');
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
    expect(await focusRing()).toBe('visible');
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
  });

  /** Presses Tab until the focus is on `target` (at most `max` times): the way a keyboard user gets there. */
  const tabTo = async (target: string | RegExp, max = 12, key = 'Tab') => {
    for (let i = 0; i < max; i++) {
      const now = await focused();
      if (typeof target === 'string' ? now === target : target.test(now)) return;
      await page.keyboard.press(key);
    }
    expect(await focused()).toMatch(target);
  };

  it('runs a query in the SQL editor and cancels a runaway one, the focus staying in the editor', async () => {
    await palette('SQL · Demo');
    await expect.poll(focused).toMatch(/^textbox: SQL of /);
    expect(await focusRing()).toBe('visible');
    const results = page.getByRole('tablist', { name: 'Results' });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByRole('button', { name: /Cancel$/ }).isEnabled()).toBe(true);
    await page.keyboard.press('Control+.');
    await expect.poll(() => results.getByRole('tab').first().textContent(), { timeout: 5000 }).toMatch(/Cancelled/);
    await expect.poll(focused).toMatch(/^textbox: SQL of /);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('SELECT 6 * 7 AS answer;');
    await page.keyboard.press('Control+Enter');
    const result = page.getByRole('grid', { name: 'Result of statement 1' });
    await expect.poll(() => result.getByRole('gridcell').allTextContents()).toContain('42');
    await expect.poll(focused).toMatch(/^textbox: SQL of /);
    // The result is reached from the editor with the keyboard.
    // CodeMirror keeps Tab for indenting: Escape, then Tab, leaves the editor.
    await page.keyboard.press('Escape');
    await tabTo('grid: Result of statement 1', 20);
    expect(await focusRing()).toBe('visible');
  });

  it('diagnoses the connection: the steps run, the report dialog opens on Copy and gives the focus back', async () => {
    await page.keyboard.press('Control+Shift+D');
    const verdict = page.locator('.diag-verdict[aria-label="Verdict"]');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.textContent()).toMatch(/usable|works|OK|ready/i);
    // Copy report… is enabled once the run has ended (on a loaded machine the verdict can show a moment
    // before): Tab skips a disabled button and would wrap round to the connection panel.
    await expect.poll(() => page.getByRole('button', { name: 'Copy report…' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await focused()).not.toMatch(/^body/);
    expect(await focusRing()).toBe('visible');
    await tabTo('button: Copy report…');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Copy diagnostic report' });
    await dialog.waitFor();
    await expect.poll(focused).toBe('button: Copy Markdown');
    expect(await focusRing()).toBe('visible');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(focused).toBe('button: Copy report…');
  });

  it('chooses the migrations folder, plans and applies the migrations, the focus following each step', async () => {
    await palette('migrations: Demo');
    await page.getByRole('heading', { name: /Migrations — Demo/ }).waitFor();
    await expect.poll(focused).not.toMatch(/^body/);
    await tabTo('button: Choose folder…');
    expect(await focusRing()).toBe('visible');
    await page.keyboard.press('Enter');
    const chooser = page.getByRole('dialog', { name: 'Choose the migrations folder' });
    await chooser.waitFor();
    await expect.poll(focused).toBe('input: Folder path');
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(folder.dir);
    // The dialog reads the typed path as it settles; Enter before that lists the previous one.
    await expect.poll(() => chooser.getByLabel('Folder path').inputValue()).toBe(folder.dir);
    await page.waitForTimeout(1500);
    await page.keyboard.press('Enter');
    await chooser.getByText('2 .sql files here').waitFor();
    await tabTo('button: Use this folder');
    await page.keyboard.press('Enter');
    await chooser.waitFor({ state: 'detached' });
    // The folder's row keeps the focus (the empty state's button went away with the choice).
    await expect.poll(focused).toBe('button: Change…');
    await page.getByRole('grid', { name: 'Migrations' }).locator('tbody tr').nth(1).waitFor();

    await tabTo(/^tab: Status/);
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toMatch(/^tab: Plan/);
    await tabTo('button: Show plan');
    await page.keyboard.press('Enter');
    await page.getByText('CREATE TABLE kb_tags').first().waitFor();
    await tabTo('button: Apply…');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Apply 2 migrations' });
    await confirm.waitFor();
    await expect.poll(focused).toBe('button: Apply');
    expect(await focusRing()).toBe('visible');
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    // The run takes the focus: its outcome is read where the keyboard is.
    const run = page.getByRole('region', { name: 'Migration run' });
    await expect.poll(focused).toBe('section: Migration run');
    expect(await focusRing()).toBe('visible');
    await run.getByText(/2 migrations applied|Applied 2/i).first().waitFor({ timeout: 20_000 });
    await tabTo('button: Close');
    await page.keyboard.press('Enter');
    await run.waitFor({ state: 'detached' });
    await expect.poll(focused).toMatch(/^tab: Plan/);
  });

  it('opens a MariaDB connection from the keyboard; its tree starts on the connection’s own database, not the server’s first', async () => {
    await page.keyboard.press('Alt+n');
    const editor = page.getByRole('dialog', { name: 'New connection' });
    await expect.poll(focused).toBe('input: #conn-url');
    // The shared server's `test` database, only read; a database of our own (dbdesk_t_…) sorts before it.
    first = await createMariadbDatabase();
    await page.keyboard.insertText('mariadb://root@127.0.0.1:3306/test');
    await tabTo('button: Save and connect', 60);
    expect(await focusRing()).toBe('visible');
    await page.keyboard.press('Enter');
    await editor.waitFor({ state: 'detached' });
    const schemas = page.locator('[role=tree] > [role=treeitem]');
    await page.locator(`[role=treeitem][data-node-id="s:${first.name}"]`).waitFor({ timeout: 30_000 });
    expect(await schemas.first().getAttribute('data-node-id')).not.toBe('s:test');
    // Item 14: the connection's database is the tree's selected node and its stop in the tab order.
    const own = page.locator('[role=treeitem][data-node-id="s:test"]');
    expect(await own.getAttribute('aria-selected')).toBe('true');
    expect(await own.getAttribute('tabindex')).toBe('0');
    // The focus came back from the editor to where it was, not to the page.
    expect(await focused()).not.toMatch(/^body/);
    await palette('go to the schema tree');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-node-id'))).toBe('s:test');
    expect(await focusRing()).toBe('visible');
    expect(errors).toEqual([]);
  });
});
