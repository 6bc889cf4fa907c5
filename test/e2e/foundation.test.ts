import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { createPostgresDatabase, postgresExec, type TestDatabase } from '../support/servers';

const shots = 'test-results/screenshots';

describe('the app shell in Chromium (browser shell)', () => {
  let browser: Browser;
  let app: ServedApp;
  let db: TestDatabase;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    db = await createPostgresDatabase();
    await postgresExec(db.name, `CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL, balance numeric(12,2) DEFAULT 0);
                                 CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint REFERENCES customers(id), placed_at timestamptz NOT NULL DEFAULT now());`);
    browser = await launchChromium();
    app = await serveApp();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.drop();
  });

  it('opens the demo database on the first start', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await expect.poll(() => page.getByRole('option', { name: /Demo database/ }).count()).toBe(1);
    // While the demo database is written (~1.5 s), the first screen says so, with progress.
    await page.getByText(/Creating the demo database/).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${shots}/demo-preparing-light.png` });
    const tree = page.getByRole('tree', { name: /Schema of Demo database/ });
    await tree.waitFor({ timeout: 30_000 });
    await expect.poll(() => tree.getByRole('treeitem', { name: 'events' }).count()).toBe(1);
    await page.getByRole('treeitem', { name: 'customers' }).click();
    await page.getByRole('tabpanel').getByText('main.customers').first().waitFor();
    await page.screenshot({ path: `${shots}/demo-light.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('creates a PostgreSQL connection by pasting a URL, browses the schema tree and shows a table’s columns', async () => {
    const { page, errors } = await newPage(browser, app.url, 'dark');
    await page.getByRole('button', { name: '+ New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New connection' });
    await dialog.getByLabel('Connection URL').fill(db.url);
    await expect.poll(() => dialog.getByLabel('Host').inputValue()).toBe('127.0.0.1');
    expect(await dialog.getByLabel('Database name').inputValue()).toBe(db.name);
    expect(await dialog.getByLabel('sslmode').inputValue()).toBe('disable');
    await dialog.getByLabel('Name', { exact: true }).fill('E2E Postgres');
    await page.screenshot({ path: `${shots}/connection-editor-dark.png` });
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.getByRole('status').getByText(/Connected to PostgreSQL/).waitFor();
    await dialog.getByRole('button', { name: 'Save and connect' }).click();

    const tree = page.getByRole('tree', { name: 'Schema of E2E Postgres' });
    await tree.waitFor();
    await tree.getByRole('treeitem', { name: 'customers' }).click();
    // A table opens on its rows (the table browser); its columns are under Structure.
    await page.getByRole('tablist', { name: 'Table views' }).getByRole('tab', { name: 'Structure' }).click();
    const panel = page.getByRole('tabpanel');
    const columns = panel.getByRole('table', { name: 'Columns of customers' });
    await columns.waitFor();
    const text = await columns.innerText();
    expect(text).toMatch(/id\s+bigint/);
    expect(text).toMatch(/balance\s+numeric\(12,2\)/);
    // Keyboard: the tree moves with the arrows and opens with Enter.
    await tree.getByRole('treeitem', { name: 'customers' }).press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('tablist', { name: 'Table views' }).getByRole('tab', { name: 'Structure' }).click();
    await panel.getByRole('table', { name: 'Columns of orders' }).waitFor();
    await page.screenshot({ path: `${shots}/table-structure-dark.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('explains a bad URL in the editor and an unreachable host with a Diagnose action', async () => {
    const { page } = await newPage(browser, app.url);
    await page.getByRole('button', { name: '+ New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New connection' });
    await dialog.getByLabel('Connection URL').fill('postgres://user@db.example.com:99999/app');
    await dialog.getByRole('alert').getByText('Port "99999" is not a number between 1 and 65535.').waitFor();
    await dialog.getByLabel('Connection URL').fill('postgres://nobody@db.nonexistent.invalid:5432/app?connect_timeout=2');
    await dialog.getByLabel('Name', { exact: true }).fill('Unreachable');
    await dialog.getByRole('button', { name: 'Save and connect' }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Cannot connect to Unreachable' });
    await toast.waitFor();
    expect(await toast.innerText()).toMatch(/ENOTFOUND/);
    await page.screenshot({ path: `${shots}/connection-error-light.png` });
    await toast.getByRole('button', { name: 'Diagnose' }).click();
    await page.getByRole('tab', { name: /Diagnose Unreachable/ }).waitFor();
    await page.context().close();
  });

  it('switches themes and lists the keyboard shortcuts', async () => {
    const { page } = await newPage(browser, app.url);
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.keyboard.press('F1');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.innerText()).toMatch(/New connection/);
    await page.screenshot({ path: `${shots}/shortcuts-dark.png` });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+L');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    // The choice is stored: a reload keeps it.
    await page.reload();
    await page.getByRole('combobox', { name: 'Theme' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.context().close();
  });
});
