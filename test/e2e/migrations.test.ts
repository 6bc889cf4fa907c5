import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigrationsOf, seedMigrationsDataDir } from '../support/migrations-view';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { cli, dbmateFile, mariadbUnderTest, migrationFolder, postgresUnderTest, sqliteUnderTest } from '../support/migrations';
import { alembic, dbmate, dbmateUrl, sqlalchemyUrl, writeAlembicProject } from '../support/team-tools';

const SHOTS = join('test-results', 'screenshots');

describe('the Migrations view in Chromium', () => {
  let browser: Browser;
  let app: ServedApp;
  let pgDb: Awaited<ReturnType<typeof postgresUnderTest.create>>;
  let prodDb: Awaited<ReturnType<typeof postgresUnderTest.create>>;
  let myDb: Awaited<ReturnType<typeof mariadbUnderTest.create>>;
  let teamDb: Awaited<ReturnType<typeof postgresUnderTest.create>>;
  let alembicDb: Awaited<ReturnType<typeof sqliteUnderTest.create>>;
  // A folder the team also runs with dbmate, and an Alembic project (shown, never run, by DB Desk).
  const teamFolder = migrationFolder({
    '20240401000001_users.sql': dbmateFile('CREATE TABLE users (id int PRIMARY KEY);', 'DROP TABLE users;'),
    '20240401000002_orders.sql': dbmateFile('CREATE TABLE orders (id int PRIMARY KEY);', 'DROP TABLE orders;'),
    '20240401000003_invoices.sql': dbmateFile('CREATE TABLE invoices (id int PRIMARY KEY);', 'DROP TABLE invoices;'),
  });
  const alembicFolder = migrationFolder();
  const pgFolder = migrationFolder({
    '20240101000000_customers.sql': dbmateFile('CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\nINSERT INTO customers VALUES (1, \'Ada\');', 'DROP TABLE customers;'),
    '20240102000000_orders.sql': dbmateFile('CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers(id), total numeric(12,2));', 'DROP TABLE orders;'),
    '20240103000000_customer_email.sql': dbmateFile("ALTER TABLE customers ADD COLUMN email text NOT NULL DEFAULT '';\nCREATE INDEX customers_email ON customers (email);", 'ALTER TABLE customers DROP COLUMN email;'),
  });
  const lintFolder = migrationFolder();
  const myFolder = migrationFolder({
    '20240201000000_items.sql': dbmateFile(
      'CREATE TABLE items (id int PRIMARY KEY);\nINSERT INTO items VALUES (1);\nINSERT INTO item_prices VALUES (1, 9.99);\nINSERT INTO items VALUES (2);\nCREATE TABLE after_fail (id int);',
      'DROP TABLE after_fail;\nDROP TABLE items;',
    ),
  });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [pgDb, prodDb, myDb, teamDb, alembicDb] = await Promise.all([postgresUnderTest.create(), postgresUnderTest.create(), mariadbUnderTest.create(), postgresUnderTest.create(), sqliteUnderTest.create()]);
    // The interop scene: DB Desk applies three, then a teammate's `dbmate rollback` reverts the last.
    expect((await cli(['migrate', 'up', '--url', teamDb.url, '--dir', teamFolder.dir])).code).toBe(0);
    expect((await dbmate(dbmateUrl('postgresql', teamDb), teamFolder.dir, 'rollback')).code).toBe(0);
    writeAlembicProject(alembicFolder.dir, [
      { revision: 'a1f0c2d3e4b5', parents: [], slug: 'create_accounts', upgrade: 'CREATE TABLE accounts (id integer PRIMARY KEY)', downgrade: 'DROP TABLE accounts' },
      { revision: 'b2e1d3c4f5a6', parents: ['a1f0c2d3e4b5'], slug: 'add_email', upgrade: 'ALTER TABLE accounts ADD COLUMN email varchar(200)', downgrade: 'ALTER TABLE accounts DROP COLUMN email' },
    ]);
    expect((await alembic(alembicFolder.dir, sqlalchemyUrl('sqlite', alembicDb), 'upgrade', 'a1f0c2d3e4b5')).code).toBe(0);
    // The lint scene: an existing table, then a migration full of risky changes, one already applied and edited.
    await prodDb.exec('CREATE TABLE accounts (id int PRIMARY KEY, name varchar(50), legacy_flag boolean, age int); CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)');
    lintFolder.write('20240301000000_baseline_indexes.sql', dbmateFile('CREATE INDEX CONCURRENTLY accounts_name ON accounts (name);'));
    lintFolder.write('20240302000000_audit.sql', dbmateFile('CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());'));
    expect((await cli(['migrate', 'up', '--url', prodDb.url, '--dir', lintFolder.dir])).code).toBe(0);
    lintFolder.write('20240302000000_audit.sql', dbmateFile('CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), who text);'));
    lintFolder.write(
      '20240303000000_reshape_accounts.sql',
      dbmateFile(
        'ALTER TABLE accounts ALTER COLUMN age TYPE bigint;\nCREATE INDEX accounts_age ON accounts (age);\nALTER TABLE accounts DROP COLUMN legacy_flag;\nALTER TABLE accounts ADD COLUMN tier text NOT NULL;\nCREATE INDEX CONCURRENTLY accounts_tier ON accounts (tier);',
        'ALTER TABLE accounts DROP COLUMN tier;',
      ),
    );
    // The failed-at-k scene: MariaDB stops at statement 3 of 5 with 2 statements applied.
    expect((await cli(['migrate', 'up', '--url', myDb.url, '--dir', myFolder.dir])).code).toBe(1);

    const dataDir = seedMigrationsDataDir('mig', [
      { name: 'Shop staging', url: pgDb.url, dir: pgFolder.dir },
      { name: 'Accounts production', url: prodDb.url, dir: lintFolder.dir, production: true },
      { name: 'Inventory MariaDB', url: myDb.url, dir: myFolder.dir },
      { name: 'Team dbmate', url: teamDb.url, dir: teamFolder.dir },
      { name: 'Team alembic', url: alembicDb.url, dir: alembicFolder.dir },
    ]);
    app = await serveApp({ dataDir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await Promise.all([pgDb?.drop(), prodDb?.drop(), myDb?.drop(), teamDb?.drop(), alembicDb?.drop()]);
    for (const f of [pgFolder, lintFolder, myFolder, teamFolder, alembicFolder]) f.remove();
  });

  it('shows pending migrations and the plan, applies them with progress, and lists them in the history', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await openMigrationsOf(page, 'Shop staging');
    const rows = page.getByRole('grid', { name: 'Migrations' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.locator('.state').allTextContents()).toEqual(['pending', 'pending', 'pending']);

    await page.getByRole('tab', { name: 'Plan' }).click();
    await page.getByText('BEGIN … COMMIT').first().waitFor();
    expect(await page.locator('.plan-sql').allTextContents()).toContain('CREATE INDEX customers_email ON customers (email)');
    await page.getByText(/lock_timeout/).first().waitFor();
    await page.getByText(/PostgreSQL advisory lock/).waitFor();

    await page.getByRole('button', { name: 'Apply…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply 3 migrations' });
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByRole('region', { name: 'Migration run' }).locator('.notice').getByText('3 migrations applied.').waitFor();
    expect(await page.locator('.run-log li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Migration lock acquired'), expect.stringContaining('[2/2] CREATE INDEX customers_email')]));

    await page.getByRole('tab', { name: /History/ }).click();
    const history = page.locator('.history-table tbody tr');
    await expect.poll(() => history.count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'migrations-run-history-light.png') });
    const first = await history.first().locator('td').allTextContents();
    expect(first.slice(1, 6)).toEqual(['20240103000000', 'customer_email', 'up', 'applied', '2/2']);
    expect(first[9]).toBe('postgres');
    await page.getByRole('tab', { name: /Status/ }).click();
    await expect.poll(async () => rows.locator('.state').allTextContents()).toEqual(['applied', 'applied', 'applied']);

    // A new migration from the template: written in dbmate's format, then pending.
    await page.getByRole('button', { name: 'New migration' }).click();
    const dialog2 = page.getByRole('dialog', { name: 'New migration' });
    await dialog2.getByLabel('Name').fill('add order notes');
    await dialog2.getByLabel(/^Up/).fill('ALTER TABLE orders ADD COLUMN notes text;');
    await dialog2.getByLabel('Down').fill('ALTER TABLE orders DROP COLUMN notes;');
    await dialog2.getByRole('button', { name: 'Create file' }).click();
    await expect.poll(async () => rows.locator('.state').allTextContents()).toEqual(['applied', 'applied', 'applied', 'pending']);
    expect(await rows.last().locator('td').nth(3).textContent()).toMatch(/^\d{14}_add_order_notes\.sql$/);
    expect(errors).toEqual([]);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`screenshots (${theme}): status, plan with lint warnings, a failed-at-k migration with its choices`, async () => {
      const { page, errors } = await newPage(browser, app.url, theme);
      await openMigrationsOf(page, 'Accounts production');
      await page.getByRole('grid', { name: 'Migrations' }).waitFor();
      await page.getByText('Other tools’ histories in this database').waitFor();
      await page.screenshot({ path: join(SHOTS, `migrations-status-${theme}.png`) });

      await page.getByRole('tab', { name: 'Plan' }).click();
      await page.locator('.lint-item').first().waitFor();
      // The last: dbmate would run CREATE INDEX CONCURRENTLY in the section's transaction, and fail.
      expect(await page.locator('.lint-item .badge').allTextContents()).toEqual(['type-rewrite', 'index-without-concurrently', 'drop-column', 'not-null-without-default', 'tool-incompatible']);
      await page.screenshot({ path: join(SHOTS, `migrations-plan-${theme}.png`) });
      await page.locator('.plan-step').last().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `migrations-plan-lint-${theme}.png`) });

      const { page: my } = await newPage(browser, app.url, theme);
      await openMigrationsOf(my, 'Inventory MariaDB');
      const decision = my.getByRole('region', { name: 'Migration 20240201000000' });
      await decision.waitFor();
      await decision.getByText('Failed at statement 3').waitFor();
      expect(await decision.getByRole('button').allTextContents()).toEqual(['Resume from statement 3', 'Mark as applied', 'Forget the failed attempt']);
      expect(await decision.locator('.server-error').textContent()).toMatch(/item_prices/);
      await my.screenshot({ path: join(SHOTS, `migrations-failed-choices-${theme}.png`) });
      await decision.getByRole('button', { name: 'Forget the failed attempt' }).click();
      await my.getByRole('dialog').getByText(/after undoing statements 1–2 by hand/).waitFor();
      await my.screenshot({ path: join(SHOTS, `migrations-forget-confirm-${theme}.png`) });
      await my.keyboard.press('Escape');
      expect(errors).toEqual([]);
      await my.context().close();
      await page.context().close();
    });
  }

  /** The Status grid's rows as [version, state]. */
  const guiStates = async (page: Page) => {
    const rows = page.getByRole('grid', { name: 'Migrations' }).locator('tbody tr');
    return Promise.all((await rows.all()).map(async (r) => [await r.locator('td').nth(1).textContent(), await r.locator('.state').textContent()]));
  };
  const cliStatus = async (url: string, dir: string) =>
    JSON.parse((await cli(['migrate', 'status', '--json', '--url', url, '--dir', dir])).stdout) as { migrations: { version: string; state: string; note?: string }[]; foreign: { tool: string; latest: string | null }[] };

  for (const theme of ['light', 'dark'] as const) {
    it(`shows the same states as \`dbdesk migrate status --json\`, in the team tools' terms (${theme})`, async () => {
      const { page, errors } = await newPage(browser, app.url, theme);
      await openMigrationsOf(page, 'Team dbmate');
      const rows = page.getByRole('grid', { name: 'Migrations' }).locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(3);
      const team = await cliStatus(teamDb.url, teamFolder.dir);
      expect(await guiStates(page)).toEqual(team.migrations.map((m) => [m.version, m.state]));
      expect(team.migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'pending']);
      // dbmate's rollback after DB Desk's run: the same words in the grid as in the CLI.
      expect(await rows.nth(2).locator('.mig-note').textContent()).toBe(team.migrations[2]!.note);
      expect(team.migrations[2]!.note).toMatch(/^Rolled back by dbmate after DB Desk applied it on /);
      await page.getByText(/dbmate.*schema_migrations.*2 versions applied, latest 20240401000002/).waitFor();
      await page.screenshot({ path: join(SHOTS, `migrations-interop-dbmate-${theme}.png`) });

      const { page: al } = await newPage(browser, app.url, theme);
      await openMigrationsOf(al, 'Team alembic');
      await al.getByText(/Alembic \(Python revisions in versions\/.*does not run or write these migrations: use alembic upgrade head/).waitFor();
      const alRows = al.getByRole('grid', { name: 'Migrations' }).locator('tbody tr');
      await expect.poll(() => alRows.count()).toBe(2);
      const revs = await cliStatus(alembicDb.url, alembicFolder.dir);
      expect(await guiStates(al)).toEqual(revs.migrations.map((m) => [m.version, m.state]));
      expect(revs.migrations.map((m) => [m.version, m.state])).toEqual([
        ['a1f0c2d3e4b5', 'applied'],
        ['b2e1d3c4f5a6', 'pending'],
      ]);
      await al.getByText('at revision a1f0c2d3e4b5').waitFor();
      expect(await al.getByRole('button', { name: 'New migration' }).isDisabled()).toBe(true);
      await al.screenshot({ path: join(SHOTS, `migrations-interop-alembic-${theme}.png`) });
      expect(errors).toEqual([]);
      await al.context().close();
      await page.context().close();
    });
  }

  it('a production connection needs its database name typed to decide or to apply', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await openMigrationsOf(page, 'Accounts production');
    await page.getByRole('tab', { name: 'Plan' }).click();
    await page.locator('.plan-step').first().waitFor();
    // Blocked: 20240302000000 was edited after it was applied.
    await page.getByText(/was edited after it was applied/).first().waitFor();
    expect(await page.getByRole('button', { name: 'Apply…' }).isDisabled()).toBe(true);

    await page.getByRole('tab', { name: /Status/ }).click();
    await page.getByRole('region', { name: 'Migration 20240302000000' }).getByRole('button', { name: 'Accept the new checksum' }).click();
    const accept = page.getByRole('dialog', { name: /Accept the new checksum/ });
    const confirm = accept.getByRole('button', { name: 'Accept the new checksum' });
    expect(await confirm.isDisabled()).toBe(true);
    await accept.getByLabel('Database name').fill(prodDb.name.toUpperCase());
    expect(await confirm.isDisabled()).toBe(true);
    await accept.getByLabel('Database name').fill(prodDb.name);
    await confirm.click();
    await page.getByRole('region', { name: 'Migration run' }).locator('.notice').getByText(/new checksum accepted/).waitFor();

    await page.getByRole('tab', { name: 'Plan' }).click();
    await page.getByRole('button', { name: 'Show plan' }).click();
    await page.locator('.lint-item').first().waitFor();
    await page.getByRole('button', { name: 'Apply…' }).click();
    const apply = page.getByRole('dialog', { name: 'Apply 1 migration' });
    await apply.getByText(/Type the database name/).waitFor();
    expect(await apply.getByRole('button', { name: 'Apply', exact: true }).isDisabled()).toBe(true);
    await apply.getByLabel('Database name').fill(prodDb.name);
    await apply.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByRole('region', { name: 'Migration run' }).locator('.notice').getByText('1 migration applied.').waitFor();
    expect((await prodDb.query("SELECT indexname FROM pg_indexes WHERE indexname = 'accounts_tier'")).length).toBe(1);
    expect(errors).toEqual([]);
  });
});
