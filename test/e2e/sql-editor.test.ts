import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';

/**
 * The SQL editor in Chromium against `dbdesk serve`, on the demo SQLite database (its statements
 * run in a runner process, so cancel is a kill): completion, run, cancel, history, tabs kept.
 */
describe('SQL editor in Chromium', () => {
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const cspViolations: string[] = [];
  // Kept across the restart below, removed at the end.
  const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-sql-'));

  beforeAll(async () => {
    app = await serveApp({ dataDir });
    browser = await launchChromium();
    ({ page, errors } = await newPage(browser, app.url));
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to apply/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`Content-Security-Policy violation: ${e.violatedDirective}`)));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const editor = () => page.getByRole('textbox', { name: /^SQL of / });
  const results = () => page.getByRole('tablist', { name: 'Results' });

  async function setText(text: string) {
    await editor().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  it('opens from the connection panel, styled under the strict CSP', async () => {
    await page.getByRole('button', { name: 'SQL editor' }).click({ timeout: 90_000 });
    await expect.poll(() => editor().isVisible()).toBe(true);
    // CodeMirror's own styles applied (its <style> carries the page's nonce): the gutter is laid out.
    const gutterWidth = await page.locator('.cm-gutters').evaluate((el) => el.getBoundingClientRect().width);
    expect(gutterWidth).toBeGreaterThan(10);
    const nonce = await page.locator('meta[name="dbdesk-csp-nonce"]').getAttribute('content');
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{20,}={0,2}$/);
    expect(await page.locator(`style[nonce]`).count()).toBeGreaterThan(0);
  });

  it('completes tables and columns (after an alias) from the live schema, and runs the statement', async () => {
    await editor().click();
    await page.keyboard.type('SELECT e.kind, count(*) AS n FROM ev');
    const options = page.locator('.cm-tooltip-autocomplete').getByRole('option');
    await expect.poll(() => options.allTextContents()).toContainEqual(expect.stringContaining('events'));
    // CodeMirror ignores Enter for a moment after the list opens (its interactionDelay).
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await page.keyboard.type(' e WHERE e.id <= 5000 AND e.seq');
    await expect.poll(() => options.allTextContents()).toContainEqual(expect.stringContaining('sequence_no'));
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await page.keyboard.type(' <= 1000 GROUP BY e.kind ORDER BY n DESC;');
    expect(await editor().textContent()).toContain('FROM events e WHERE e.id <= 5000 AND e.sequence_no <= 1000 GROUP BY');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => results().getByRole('tab').first().textContent(), { timeout: 20_000 }).toMatch(/SELECT · \d+ rows/);
    const grid = page.getByRole('grid', { name: 'Result of statement 1' });
    await expect.poll(() => grid.getByRole('columnheader').allTextContents()).toEqual([expect.stringMatching(/^#/), expect.stringMatching(/^kind/), expect.stringMatching(/^n/)]);
  });

  it('runs a script: one result tab per statement, and an error points at its place', async () => {
    await setText('SELECT 1 AS one;\nSELECT count(*) FROM customers;\nSELECT * FROM no_such_table;\nSELECT 4;');
    await page.keyboard.press('Control+Shift+Enter');
    await expect.poll(() => results().getByRole('tab').allTextContents()).toEqual([expect.stringMatching(/^1.*SELECT · 1 row/), expect.stringMatching(/^2.*SELECT · 1 row/), expect.stringMatching(/^3.*Error/), expect.stringMatching(/^4.*Not run/)]);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'no such table' }).isVisible()).toBe(true);
    // The editor underlines the table name the server complained about.
    await expect.poll(() => page.locator('.cm-lintRange-error').textContent()).toBe('no_such_table');
  });

  it('formats the SQL with the dialect’s formatter (Shift+Alt+F)', async () => {
    await setText('select id,kind from events where id<3 order by id');
    await page.keyboard.press('Shift+Alt+F');
    await expect.poll(() => page.locator('.cm-line').allTextContents()).toEqual(['SELECT', '  id,', '  kind', 'FROM', '  events', 'WHERE', '  id < 3', 'ORDER BY', '  id']);
  });

  it('cancels a runaway statement, and the tab keeps working', async () => {
    await setText('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;');
    await page.keyboard.press('Control+Enter');
    const cancel = page.getByRole('button', { name: /Cancel$/ });
    await expect.poll(() => cancel.isEnabled()).toBe(true);
    await page.waitForTimeout(500);
    const t0 = Date.now();
    await cancel.click();
    await expect.poll(() => results().getByRole('tab').first().textContent(), { timeout: 5000 }).toMatch(/Cancelled/);
    expect(Date.now() - t0).toBeLessThan(2000);
    await setText('SELECT 41 + 1 AS answer;');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByRole('grid', { name: 'Result of statement 1' }).getByRole('gridcell').allTextContents()).toContain('42');
  });

  it('manual mode: the toolbar shows the open transaction, Rollback undoes it; Explain shows the plan as a tree', async () => {
    const autoCommit = page.getByRole('checkbox', { name: 'Auto-commit' });
    const txState = page.getByRole('toolbar', { name: 'Editor actions' }).getByRole('status');
    // The box follows the session's state once the core switched it (a click, then the answer).
    await autoCommit.click();
    await expect.poll(() => autoCommit.isChecked()).toBe(false);
    await setText('CREATE TABLE e2e_manual (id INTEGER PRIMARY KEY);');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => txState.textContent(), { timeout: 20_000 }).toMatch(/^Transaction open/);
    await page.getByRole('button', { name: 'Rollback', exact: true }).click();
    await expect.poll(() => txState.textContent()).toBe('No transaction');
    await autoCommit.click();
    await expect.poll(() => autoCommit.isChecked()).toBe(true);
    await setText("SELECT count(*) AS n FROM sqlite_master WHERE name = 'e2e_manual';");
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByRole('grid', { name: 'Result of statement 1' }).getByRole('gridcell').allTextContents(), { timeout: 20_000 }).toContain('0');

    await setText("SELECT c.id, count(*) FROM customers c JOIN events e ON e.customer_id = c.id WHERE e.kind = 'refund' GROUP BY c.id;");
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Query plan' });
    await expect.poll(() => tree.getByRole('treeitem').count(), { timeout: 20_000 }).toBeGreaterThan(1);
    expect((await tree.textContent()) ?? '').toMatch(/SEARCH|SCAN/);
  });

  it('finds the statements in the history', async () => {
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByRole('searchbox', { name: 'Search the history' }).fill('RECURSIVE');
    const entries = page.getByRole('list', { name: 'History entries' }).getByRole('listitem');
    await expect.poll(() => entries.count()).toBe(1);
    expect(await entries.first().textContent()).toMatch(/cancelled/i);
    await page.getByRole('searchbox', { name: 'Search the history' }).fill('sequence_no');
    await expect.poll(() => entries.allTextContents()).toEqual([expect.stringMatching(/sequence_no <= 1000[\s\S]*ok/i)]);
  });

  it('types over a selection as the editor, not as the browser (no inline style for the CSP to refuse)', async () => {
    await setText('SELECT kind,\n  id FROM events;');
    // A selection across lines: Chromium alone would merge the lines and carry their look along as an inline style.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.type('SELECT');
    // Typing a bracket over a selection still wraps it (the editor's input handlers see the keystroke).
    await editor().locator('span', { hasText: /^FROM$/ }).dblclick();
    await page.keyboard.type('(');
    await expect.poll(() => editor().textContent()).toBe('SELECT id (FROM) events;');
    expect(cspViolations).toEqual([]);
  });

  it('keeps editor tabs across a restart of the app', async () => {
    await page.getByRole('button', { name: 'New editor tab' }).click();
    await setText('SELECT 2024 AS kept;');
    await page.waitForTimeout(800);
    await page.close();
    await app.stop();
    app = await serveApp({ dataDir });
    ({ page, errors } = await newPage(browser, app.url));
    // The last connection is selected again, not opened: connect, then open the editor.
    await page.getByRole('button', { name: 'Connect', exact: true }).click({ timeout: 30_000 });
    await page.getByRole('button', { name: 'SQL editor' }).click({ timeout: 30_000 });
    // The editor's tablist owns its tabs (aria-owns: their close buttons sit beside them, outside it).
    await page.getByRole('tablist', { name: 'Editor tabs' }).waitFor({ state: 'attached' });
    const tabs = page.getByRole('tab', { name: /^Query \d/ });
    await expect.poll(() => tabs.allTextContents()).toEqual(['Query 1', 'Query 2']);
    await tabs.nth(1).click();
    await expect.poll(() => editor().textContent()).toBe('SELECT 2024 AS kept;');
  });

  it('raised no page errors and no CSP violations', () => {
    expect(errors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
