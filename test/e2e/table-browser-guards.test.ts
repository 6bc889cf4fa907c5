import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../electron/core/app-core';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../shared/model/connection';
import { parseConnectionUrl } from '../../shared/model/connection-url';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { createPostgresDatabase, POSTGRES, type TestDatabase } from '../support/servers';

const SHOTS = join('test-results', 'screenshots');

/**
 * The guards around Apply, in Chromium on PostgreSQL: a read-only connection stages nothing, a
 * production one applies only once the database name is typed, and a connection lost while the
 * changes are applied says so and keeps every staged change for the next try.
 */
describe('table browser: read-only, production, a connection lost while applying, multi-column sort', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let dataDir: string;
  let app: ServedApp;
  let browser: Browser;

  beforeAll(async () => {
    db = await createPostgresDatabase();
    admin = new pg.Client({ ...POSTGRES, database: db.name });
    await admin.connect();
    await admin.query(`CREATE TABLE gadgets (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO gadgets VALUES (1, 'first'), (2, 'second');
      CREATE TABLE slow_items (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO slow_items VALUES (1, 'first'), (2, 'second');
      CREATE TABLE ranked (id int PRIMARY KEY, name text NOT NULL, grp int NOT NULL);
      INSERT INTO ranked VALUES (1, 'first', 2), (2, 'b', 1), (3, 'c', 2), (4, 'a', 1), (5, 'a', 2);
      -- Each update waits, so there is time to end the connection while Apply runs.
      CREATE FUNCTION slow_items_nap() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER slow_items_nap BEFORE UPDATE ON slow_items FOR EACH ROW EXECUTE FUNCTION slow_items_nap();`);
    dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-guards-'));
    const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {} });
    try {
      const parsed = parseConnectionUrl(db.url);
      for (const [name, flags] of [
        ['Guard read-only', { readOnly: true }],
        ['Guard production', { production: true }],
        ['Guard plain', {}],
      ] as const) {
        core.store.profiles.save(ConnectionFields.parse({ ...parsed.fields, name, ...flags }), parsed.password);
      }
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

  const nameOf = async (table: string, id: number) => (await admin.query<{ name: string }>(`SELECT name FROM ${table} WHERE id = $1`, [id])).rows[0]!.name;

  /** A page of its own (its own session), connected with one profile, showing one table. */
  async function openTable(profile: string, table: string): Promise<{ page: Page; errors: string[]; cell: (row: number, col: number) => ReturnType<Page['locator']> }> {
    const { page, errors } = await newPage(browser, app.url);
    await page.getByRole('option', { name: new RegExp(profile) }).click();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('treeitem', { name: new RegExp(`${table}$`) }).click({ timeout: 60_000 });
    const cell = (row: number, col: number) =>
      page.getByRole('grid', { name: `Rows of ${table}` }).locator(`[role=row][aria-rowindex="${row + 1}"] [role=gridcell][aria-colindex="${col + 1}"]`);
    await expect.poll(() => cell(1, 2).textContent(), { timeout: 30_000 }).toBe('first');
    return { page, errors, cell };
  }

  async function stageName(page: Page, cell: ReturnType<Page['locator']>, value: string): Promise<void> {
    await cell.dblclick();
    const editor = page.getByRole('textbox', { name: 'New value of name' });
    await editor.fill(value);
    await editor.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: /1 change/ }).count()).toBe(1);
  }

  it('a read-only connection cannot stage an edit: the reason is shown, the edit actions are off', async () => {
    const { page, errors, cell } = await openTable('Guard read-only', 'gadgets');
    await page.getByText('Read-only here: This connection is read-only').waitFor();
    await page.screenshot({ path: join(SHOTS, 'table-browser-read-only-light.png') });
    expect(await page.locator('button[title^="Insert a row"]').isDisabled()).toBe(true);
    expect(await page.locator('button[title^="Delete the selected rows"]').isDisabled()).toBe(true);
    // Double-click opens no editor; typing over a cell is refused with the reason.
    await cell(1, 2).dblclick();
    expect(await page.getByRole('textbox', { name: 'New value of name' }).count()).toBe(0);
    await cell(1, 2).click();
    await page.keyboard.type('x');
    await page.getByText('This table cannot be edited here').first().waitFor();
    expect(await page.getByRole('textbox', { name: 'New value of name' }).count()).toBe(0);
    await page.keyboard.press('Control+s');
    await page.getByText('No staged changes to review').first().waitFor();
    expect(await page.getByRole('dialog', { name: 'Review SQL' }).count()).toBe(0);
    expect(await nameOf('gadgets', 1)).toBe('first');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a production connection applies only once the database name is typed', async () => {
    const { page, errors, cell } = await openTable('Guard production', 'gadgets');
    await stageName(page, cell(1, 2), 'renamed in production');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Review SQL' });
    await expect.poll(() => dialog.getByLabel('Statements that will run').textContent()).toContain('UPDATE "public"."gadgets" SET "name" = $1');
    const apply = dialog.getByRole('button', { name: 'Apply in one transaction' });
    const confirm = dialog.getByLabel(/Type the database name/);
    expect(await apply.isDisabled()).toBe(true);
    await confirm.fill(db.name.toUpperCase());
    expect(await apply.isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'table-browser-production-confirm-light.png') });
    await confirm.fill(db.name);
    await expect.poll(() => apply.isDisabled()).toBe(false);
    expect(await nameOf('gadgets', 1)).toBe('first');
    await apply.click();
    await dialog.waitFor({ state: 'detached' });
    expect(await nameOf('gadgets', 1)).toBe('renamed in production');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a connection lost while applying is reported, nothing is applied, and the change stays staged for another try', async () => {
    const { page, errors, cell } = await openTable('Guard plain', 'slow_items');
    await stageName(page, cell(2, 2), 'second, edited');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Review SQL' });
    await expect.poll(() => dialog.getByLabel('Statements that will run').textContent()).toContain('UPDATE "public"."slow_items"');
    const apply = dialog.getByRole('button', { name: 'Apply in one transaction' });
    /** Ends the session that runs the update from outside, as a server restart would. */
    const terminateUpdate = async () => {
      let terminated = false;
      for (let i = 0; i < 200 && !terminated; i++) {
        const { rows } = await admin.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'UPDATE%slow_items%' AND state = 'active'`,
        );
        terminated = rows.some((r) => r.ok);
        if (!terminated) await new Promise((r) => setTimeout(r, 25));
      }
      expect(terminated).toBe(true);
    };
    await apply.click();
    await terminateUpdate();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/connection to the server was lost.*nothing was applied; they are still staged/);
    expect(await nameOf('slow_items', 2)).toBe('second');
    // Apply does not stay armed after the failure: another Enter would send it all again. Trying again
    // is its own button, which the focus moves to.
    const retry = dialog.getByRole('button', { name: 'Try again' });
    expect(await apply.isDisabled()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Try again');
    await page.screenshot({ path: join(SHOTS, 'table-browser-connection-lost-light.png') });
    // Tried again (from the keyboard) and lost again: still off.
    await page.keyboard.press('Enter');
    await terminateUpdate();
    await expect.poll(() => retry.isDisabled(), { timeout: 20_000 }).toBe(false);
    expect(await dialog.getByRole('alert').textContent()).toMatch(/connection to the server was lost/);
    expect(await apply.isDisabled()).toBe(true);
    expect(await nameOf('slow_items', 2)).toBe('second');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The change is still there, marked, ready for another try.
    expect(await cell(2, 2).textContent()).toBe('second, edited');
    expect(await cell(2, 2).getAttribute('class')).toContain('tb-cell-changed');
    await page.keyboard.press('Control+s');
    await dialog.getByRole('button', { name: 'Apply in one transaction' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    expect(await nameOf('slow_items', 2)).toBe('second, edited');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('sorts by several columns on the server: a click sorts by one, Shift+click adds the next', async () => {
    const { page, errors, cell } = await openTable('Guard plain', 'ranked');
    const grid = page.getByRole('grid', { name: 'Rows of ranked' });
    const header = (name: string) => grid.getByRole('columnheader', { name: new RegExp(`^${name}`) });
    const ids = async () => Promise.all([1, 2, 3, 4, 5].map((r) => cell(r, 1).textContent()));
    await header('grp').click();
    await expect.poll(() => header('grp').getAttribute('aria-sort')).toBe('ascending');
    await header('name').click({ modifiers: ['Shift'] });
    await expect.poll(() => header('name').getAttribute('aria-sort')).toBe('ascending');
    expect(await header('grp').getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(ids).toEqual(['4', '2', '5', '3', '1']);
    // Shift+click again turns the second key around, the first stays.
    await header('name').click({ modifiers: ['Shift'] });
    await expect.poll(() => header('name').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(ids).toEqual(['2', '4', '1', '3', '5']);
    // A plain click sorts by that column alone.
    await header('name').click();
    await expect.poll(() => header('grp').getAttribute('aria-sort')).not.toBe('ascending');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
