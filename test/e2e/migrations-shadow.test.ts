import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigrationsOf, seedMigrationsDataDir } from '../support/migrations-view';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { cli, dbmateFile, migrationFolder, postgresUnderTest } from '../support/migrations';
import { postgresExec } from '../support/servers';

const SHOTS = join('test-results', 'screenshots');

async function shadowExists(name: string): Promise<boolean> {
  return (await postgresExec('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}

describe('Drift and rehearsal in the Migrations view (Chromium)', () => {
  let browser: Browser;
  let app: ServedApp;
  let live: Awaited<ReturnType<typeof postgresUnderTest.create>>;
  let slow: Awaited<ReturnType<typeof postgresUnderTest.create>>;
  const folder = migrationFolder({
    '20240101000000_customers.sql': dbmateFile('CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\nCREATE INDEX customers_name ON customers (name);', 'DROP TABLE customers;'),
    '20240102000000_orders.sql': dbmateFile('CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), total numeric(12,2));', 'DROP TABLE orders;'),
  });
  const slowFolder = migrationFolder({
    '20240101000000_wait.sql': dbmateFile('CREATE TABLE t (id int);\nSELECT pg_sleep(4);', 'DROP TABLE t;'),
  });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [live, slow] = await Promise.all([postgresUnderTest.create(), postgresUnderTest.create()]);
    expect((await cli(['migrate', 'up', '--url', live.url, '--dir', folder.dir])).code).toBe(0);
    expect((await cli(['migrate', 'up', '--url', slow.url, '--dir', slowFolder.dir])).code).toBe(0);
    // A hotfix made by hand, outside the migrations; then a pending migration that would fail.
    await live.exec("ALTER TABLE customers ADD COLUMN phone varchar(20); DROP INDEX customers_name; INSERT INTO customers VALUES (1, 'Ada', NULL)");
    folder.write('20240103000000_audit.sql', dbmateFile('CREATE TABLE audit (id bigint PRIMARY KEY);\n\nCREATE TABLE orders (id bigint PRIMARY KEY);', 'DROP TABLE audit;'));
    const dataDir = seedMigrationsDataDir('shadow', [
      { name: 'Shop live', url: live.url, dir: folder.dir },
      { name: 'Slow history', url: slow.url, dir: slowFolder.dir },
    ]);
    app = await serveApp({ dataDir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await Promise.all([live?.drop(), slow?.drop()]);
    folder.remove();
    slowFolder.remove();
  });

  it('Check drift lists the objects changed by hand, with their DDL side by side; Rehearse says which statement would fail', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await openMigrationsOf(page, 'Shop live', 'Drift & rehearsal');
    // Connecting and reading the folder took longer than expect.poll's default 5 s on a loaded CI machine.
    await expect.poll(() => page.getByText('Nothing checked yet').isVisible(), { timeout: 30_000 }).toBe(true);

    await page.getByRole('button', { name: 'Check drift' }).click();
    const result = page.getByRole('region', { name: 'Drift result' });
    await result.waitFor({ timeout: 30_000 });
    await expect.poll(() => result.getByRole('status').textContent()).toMatch(/Drift: 1 object changed outside the migrations/);
    expect(await result.getByRole('heading', { name: 'Changed outside the migrations' }).isVisible()).toBe(true);
    const details = await result.locator('.shadow-details').textContent();
    expect(details).toMatch(/phone/);
    expect(details).toMatch(/customers_name/);
    await result.getByRole('button', { name: 'table customers' }).click();
    const ddl = result.getByRole('table', { name: 'DDL side by side' });
    expect(await ddl.textContent()).toMatch(/phone/);
    expect(await result.textContent()).toMatch(/temporary database dbdesk_shadow_\w+, dropped afterwards/);
    await page.screenshot({ path: join(SHOTS, 'migrations-drift.png') });

    await page.getByRole('button', { name: 'Rehearse pending migrations' }).click();
    const rehearsal = page.getByRole('region', { name: 'Rehearsal result' });
    await rehearsal.waitFor({ timeout: 30_000 });
    expect(await rehearsal.getByRole('alert').textContent()).toMatch(/20240103000000 audit would fail at statement 2 of 2/);
    const failure = await rehearsal.getByLabel('Would fail').textContent();
    expect(failure).toMatch(/20240103000000_audit.sql line 4/);
    expect(failure).toMatch(/CREATE TABLE orders/);
    expect(failure).toMatch(/already exists/);
    expect(await rehearsal.textContent()).toMatch(/The live database was not touched/);
    await page.screenshot({ path: join(SHOTS, 'migrations-rehearse.png') });
    // Production untouched.
    await expect(live.query('SELECT * FROM audit')).rejects.toThrow();
    expect(errors).toEqual([]);
  });

  it('Cancel stops a drift check while the shadow is built, and the shadow is dropped (dark theme)', async () => {
    const { page, errors } = await newPage(browser, app.url, 'dark');
    await openMigrationsOf(page, 'Slow history', 'Drift & rehearsal');
    await page.getByRole('button', { name: 'Check drift' }).click();
    const log = page.getByRole('list', { name: 'Progress' });
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toMatch(/Applying 20240101000000/);
    const name = /temporary database (dbdesk_shadow_\d{8}t\d{6}_[0-9a-f]{8})/.exec((await log.textContent()) ?? '')![1]!;
    expect(await shadowExists(name)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'migrations-drift-running-dark.png') });
    await page.getByRole('button', { name: 'Cancel' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toMatch(/Drift check cancelled\. The shadow was dropped/);
    expect(await shadowExists(name)).toBe(false);
    // The buttons are back, and a shadow URL of another engine family is a clear error.
    await page.getByRole('button', { name: 'Shadow database…' }).click();
    await page.getByLabel('Shadow database URL').fill('mariadb://root@127.0.0.1:3306/x');
    await page.getByRole('button', { name: 'Check drift' }).click();
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toMatch(/must be PostgreSQL like the live one/);
    expect(errors).toEqual([]);
  });
});
