import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../electron/core/app-core';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { MigrationSettingsRepository } from '../../electron/core/store/migration-settings-repository';
import { ConnectionFields } from '../../shared/model/connection';
import { parseConnectionUrl } from '../../shared/model/connection-url';
import { defaultMigrationSettings } from '../../shared/model/migrations';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { migrationFolder, postgresUnderTest, sqliteUnderTest } from '../support/migrations';

const SHOTS = join('test-results', 'screenshots');

/** Saves profiles (with a migrations folder where given) into a data folder before `dbdesk serve` starts on it. */
function seedDataDir(profiles: { name: string; url: string; dir?: string; production?: boolean }[]): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-cmp-'));
  const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {} });
  try {
    for (const p of profiles) {
      const parsed = parseConnectionUrl(p.url);
      const saved = core.store.profiles.save(ConnectionFields.parse({ ...parsed.fields, name: p.name, production: p.production ?? false }), parsed.password);
      if (p.dir) new MigrationSettingsRepository(core.store.db).save(saved.id, { ...defaultMigrationSettings, dir: p.dir });
    }
  } finally {
    void core.close();
  }
  return dataDir;
}

type Db = Awaited<ReturnType<typeof postgresUnderTest.create>>;

/** Chooses a side's connection by the start of its name in the Compare view. */
async function choose(page: Page, side: 'Source' | 'Target', name: string): Promise<void> {
  const select = page.getByLabel(`${side} connection`);
  const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
  await select.selectOption(value!);
}

describe('the Compare view in Chromium', () => {
  let browser: Browser;
  let app: ServedApp;
  let staging: Db;
  let production: Db;
  let lite: Db;
  const folder = migrationFolder();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [staging, production, lite] = await Promise.all([postgresUnderTest.create(), postgresUnderTest.create(), sqliteUnderTest.create()]);
    await staging.exec(`CREATE TYPE order_state AS ENUM ('open', 'paid', 'shipped');
      CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL DEFAULT '', created_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX customers_email ON customers (email);
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE, state order_state NOT NULL DEFAULT 'open', total numeric(12,2));
      CREATE VIEW open_orders AS SELECT id, customer_id, total FROM orders WHERE state = 'open';
      COMMENT ON TABLE customers IS 'People who buy';`);
    await production.exec(`CREATE TABLE customers (id bigint PRIMARY KEY, name text, created_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO customers (id, name) VALUES (1, 'Ada'), (2, 'Grace');
      CREATE TABLE legacy_audit (id int PRIMARY KEY, note text);`);
    await lite.exec('CREATE TABLE t (id integer PRIMARY KEY)');
    const dataDir = seedDataDir([
      { name: 'Shop staging', url: staging.url },
      { name: 'Shop production', url: production.url, dir: folder.dir, production: true },
      { name: 'Notes SQLite', url: lite.url },
      { name: 'Unreachable', url: 'postgres://postgres@127.0.0.1:1/nowhere?sslmode=disable' },
    ]);
    app = await serveApp({ dataDir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await Promise.all([staging?.drop(), production?.drop(), lite?.drop()]);
    folder.remove();
  });

  it('compares two databases: groups with counts, DDL side by side, the migration saved and applied on production, then equal', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await page.getByRole('option', { name: /Shop staging/ }).click();
    await page.getByRole('button', { name: 'Compare schemas', exact: true }).click();
    await page.getByRole('heading', { name: 'Compare schemas' }).waitFor();
    expect(await page.getByLabel('Source connection').inputValue()).not.toBe('');
    await choose(page, 'Target', 'Shop production');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();

    const summary = page.getByRole('status', { name: 'Summary' });
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.locator('.cmp-pill').allTextContents()).toEqual(['3 added', '1 changed', '1 removed']);
    await page.getByRole('region', { name: 'Added (3)' }).waitFor();
    expect(await page.getByRole('region', { name: 'Added (3)' }).locator('.cmp-item').allTextContents()).toEqual(['enum order_state', 'table orders', 'view open_orders']);
    expect(await page.getByRole('region', { name: 'Removed (1)' }).locator('.cmp-item').allTextContents()).toEqual(['table legacy_audit']);

    // The changed table is selected first: its differences in words and its DDL side by side.
    const detail = page.getByRole('region', { name: 'Selected difference' });
    await detail.getByText('table customers').first().waitFor();
    const ddl = detail.getByRole('table', { name: 'DDL side by side' });
    const changedRows = ddl.locator('.cmp-ddl-row.cmp-changed, .cmp-ddl-row.cmp-source-only');
    expect(await changedRows.count()).toBeGreaterThan(0);
    expect((await ddl.locator('.cmp-ddl-row').filter({ hasText: 'email' }).first().locator('pre').first().textContent())!).toContain('email');
    await page.screenshot({ path: join(SHOTS, 'schema-compare-differences-light.png') });

    // The filter narrows the list; the status buttons too.
    await page.getByLabel('Filter differences').fill('legacy');
    expect(await page.locator('.cmp-item').allTextContents()).toEqual(['table legacy_audit']);
    await page.getByLabel('Filter differences').fill('');
    await page.getByRole('button', { name: 'Added 3' }).click();
    expect(await page.locator('.cmp-item').count()).toBe(3);
    await page.getByRole('button', { name: /^All/ }).click();

    // The migration: up and down, saved into the production connection's folder.
    await page.getByRole('tab', { name: 'Migration' }).click();
    const sql = page.getByRole('tabpanel').locator('.cmp-sql');
    expect(await sql.textContent()).toMatch(/-- migrate:up[\s\S]*CREATE TYPE "public"."order_state"[\s\S]*CREATE TABLE "public"."orders"/);
    await page.getByRole('tab', { name: /^Down/ }).click();
    expect(await sql.textContent()).toMatch(/-- migrate:down[\s\S]*DROP TABLE "public"."orders"/);
    await page.screenshot({ path: join(SHOTS, 'schema-compare-migration-light.png') });
    await page.getByRole('button', { name: 'Save to migrations folder' }).click();
    await page.getByRole('button', { name: 'Saved', exact: true }).waitFor();
    const files = readdirSync(folder.dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{14}_match_shop_staging\.sql$/);
    const text = readFileSync(join(folder.dir, files[0]!), 'utf8');
    expect(text).toMatch(/^-- migrate:up/m);
    expect(text).toMatch(/^-- migrate:down/m);

    // Apply through the runner: production asks for the database name first.
    await page.getByRole('button', { name: 'Apply to Shop production…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply the migration to Shop production' });
    await dialog.waitFor();
    const apply = dialog.getByRole('button', { name: 'Apply', exact: true });
    expect(await apply.isDisabled()).toBe(true);
    await dialog.getByLabel('Database name').fill(production.name);
    await apply.click();
    // Applied, then compared again: equal.
    await page.getByRole('heading', { name: 'No differences' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'schema-compare-equal-light.png') });
    expect(await production.query('SELECT name FROM customers ORDER BY id')).toEqual([{ name: 'Ada' }, { name: 'Grace' }]);
    const history = await production.query('SELECT version, status FROM dbdesk_migrations');
    expect(history).toEqual([expect.objectContaining({ version: files[0]!.slice(0, 14) })]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says clearly when the families differ or a connection fails (dark theme)', async () => {
    const { page, errors } = await newPage(browser, app.url, 'dark');
    await page.getByRole('button', { name: 'Schema compare', exact: true }).click();
    await page.getByRole('heading', { name: 'Compare schemas' }).waitFor();
    await choose(page, 'Source', 'Notes SQLite');
    await choose(page, 'Target', 'Shop staging');
    await page.getByRole('alert').getByText('Notes SQLite is SQLite and Shop staging is PostgreSQL: a compare needs two schemas of one engine family.').waitFor();
    expect(await page.getByRole('button', { name: 'Compare', exact: true }).isDisabled()).toBe(true);

    await choose(page, 'Source', 'Unreachable');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const alert = page.locator('.schema-compare').getByRole('alert');
    await alert.getByText('Connection failed.').waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/Cannot connect to Unreachable/);
    await alert.getByRole('button', { name: 'Diagnose' }).waitFor();

    // Two schemas of one connection, dark: a real difference for the screenshot.
    await staging.exec(`CREATE SCHEMA next; CREATE TABLE next.customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL DEFAULT '', phone text, created_at timestamptz NOT NULL DEFAULT now());`);
    await choose(page, 'Source', 'Shop staging');
    await page.getByRole('button', { name: 'Compare', exact: true }).waitFor();
    // The source's schemas are listed once it is open: the compare opens it.
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.getByRole('heading', { name: 'No differences' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Source schema').selectOption('next');
    await page.getByRole('button', { name: 'Compare again' }).click();
    await page.getByRole('status', { name: 'Summary' }).waitFor({ timeout: 30_000 });
    await page.getByRole('region', { name: 'Selected difference' }).getByText('phone').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'schema-compare-differences-dark.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('is reachable from the keyboard: the shortcut, the palette, the pickers, the list and the views', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await page.getByRole('option', { name: /Shop staging/ }).click();
    await page.keyboard.press('Alt+Shift+C');
    await page.getByRole('heading', { name: 'Compare schemas' }).waitFor();
    // The focus lands in the view: the source connection first.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('cmp-source-connection');
    await page.keyboard.press('Tab'); // source schema
    await page.keyboard.press('Tab'); // swap
    await page.keyboard.press('Tab'); // target connection
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cmp-target-connection');
    const target = page.getByLabel('Target connection');
    await target.selectOption(await target.locator('option', { hasText: 'Shop staging' }).getAttribute('value'));
    await page.keyboard.press('Tab'); // target schema
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Compare');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'No differences' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Source schema').focus();
    await page.getByLabel('Source schema').selectOption('next');
    await page.getByRole('button', { name: 'Compare again' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status', { name: 'Summary' }).waitFor({ timeout: 30_000 });
    // Into the list by Tab, then arrows move and select.
    await page.getByLabel('Filter differences').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('cmp-item');
    const before = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('ArrowDown');
    const after = await page.evaluate(() => document.activeElement?.textContent);
    expect(after).not.toBe(before);
    expect(await page.locator('.cmp-item.selected').textContent()).toBe(after);
    // The views switch with the arrow keys.
    await page.getByRole('tab', { name: /Differences/ }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Migration' }).getAttribute('aria-selected')).toBe('true');

    // The palette lists it too.
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Find a command or an open tab' }).waitFor();
    await page.keyboard.type('compare schemas');
    expect(await page.getByRole('option', { name: /Compare schemas: Shop staging/ }).count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
