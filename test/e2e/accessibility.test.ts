import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../electron/core/app-core';
import { distPath } from '../../electron/core/paths';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { MigrationSettingsRepository } from '../../electron/core/store/migration-settings-repository';
import { ConnectionFields } from '../../shared/model/connection';
import { parseConnectionUrl } from '../../shared/model/connection-url';
import { defaultMigrationSettings } from '../../shared/model/migrations';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { dbmateFile, migrationFolder } from '../support/migrations';
import { postgresSide, type Side } from '../integration/backup/helpers';

/**
 * axe-core (through @axe-core/playwright) on every main view, each in the light and the dark theme:
 * no serious or critical violation anywhere (issue 17, "Keyboard"). The theme is switched by the
 * page's prefers-color-scheme (the app follows the system by default), so each view is opened once
 * and checked twice. Besides the main views: Review SQL, the migration plan's confirmation, the folder,
 * report, backup and import dialogs (the import's mapping and preview once a file is chosen; the backup's table
 * picker and a backup in progress), and the schema compare view (its pickers; a comparison needs two schemas of
 * one family, which the demo alone does not have). Screenshots of both themes go to test-results/screenshots/a11y-*.
 *
 * Not checked: the Galera cluster view — it opens only on a connection whose server is a Galera
 * node, and a cluster starts only under the galera lock (test/galera).
 */
const SHOTS = join(process.cwd(), 'test-results', 'screenshots');
const THEMES = ['light', 'dark'] as const;

describe('accessibility (axe) of every main view, light and dark', () => {
  let dataDir: string;
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  // One migration, one statement, one lint warning: the plan and its confirmation say each in the singular (item 10).
  const folder = migrationFolder({ '20260101000000_drop_order_items.sql': dbmateFile('DROP TABLE order_items;') });

  // A PostgreSQL database with tables in two schemas for the backup table picker, and a pg_dump on the
  // served app's PATH that starts and then waits (until cancelled), so a backup in progress stays on screen.
  let warehouse: Side;
  const slowTools = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-a11y-tools-'));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-a11y-'));
    warehouse = await postgresSide();
    await warehouse.exec(`CREATE TABLE customer (id int PRIMARY KEY, name text); CREATE TABLE orders (id int PRIMARY KEY); CREATE VIEW named AS SELECT name FROM customer;
      CREATE SCHEMA backupui_sales; CREATE TABLE backupui_sales."a.b, ""c'd" (x int); CREATE TABLE backupui_sales.invoices (id int);`);
    // The real one by the name it is called (Debian's pg_wrapper picks the tool by its name).
    const realDump = execFileSync('sh', ['-c', 'command -v pg_dump'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(slowTools, 'pg_dump'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then exec pg_dump.real --version; fi\necho 'pg_dump: dumping contents of table "public.customer"' >&2\nprintf PGDMP\nexec sleep 120\n`,
    );
    writeFileSync(join(slowTools, 'pg_dump.real'), `#!/bin/sh\nexec ${realDump} "$@"\n`);
    chmodSync(join(slowTools, 'pg_dump'), 0o755);
    chmodSync(join(slowTools, 'pg_dump.real'), 0o755);
    // The demo database with a migrations folder, and two server connections to list (one marked production).
    const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {}, workerPath: distPath('worker.cjs') });
    try {
      new MigrationSettingsRepository(core.store.db).save('demo', { ...defaultMigrationSettings, dir: folder.dir });
      core.store.profiles.save(ConnectionFields.parse({ name: 'Analytics', engine: 'postgresql', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', color: 'blue' }), undefined);
      core.store.profiles.save(ConnectionFields.parse({ name: 'Orders', engine: 'mariadb', host: 'db.example.com', port: 3306, user: 'shop', database: 'orders', production: true, color: 'red' }), undefined);
      const wh = parseConnectionUrl(warehouse.url);
      core.store.profiles.save(ConnectionFields.parse({ ...wh.fields, name: 'Warehouse', color: 'purple' }), wh.password);
    } finally {
      await core.close();
    }
    app = await serveApp({ dataDir, env: { PATH: `${slowTools}:${process.env.PATH ?? ''}` } });
    browser = await launchChromium();
    ({ page, errors } = await newPage(browser, app.url));
    await page.setViewportSize({ width: 1440, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(slowTools, { recursive: true, force: true });
    folder.remove();
    await warehouse?.drop();
  });

  /** axe's serious and critical violations on the page as it is now, in both themes, one line per element. */
  async function audit(view: string, include?: string): Promise<string[]> {
    const found: string[] = [];
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      await page.screenshot({ path: join(SHOTS, `a11y-${view}-${theme}.png`) });
      let builder = new AxeBuilder({ page });
      if (include) builder = builder.include(include);
      const result = await builder.analyze();
      for (const v of result.violations) {
        if (v.impact !== 'serious' && v.impact !== 'critical') continue;
        for (const n of v.nodes) found.push(`${view} (${theme}) ${v.id} [${v.impact}] ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    return found;
  }

  const palette = async (what: string) => {
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Find a command or an open tab' }).waitFor();
    await page.keyboard.type(what);
    await page.keyboard.press('Enter');
  };

  it('the welcome screen and the connection list', async () => {
    await page.getByRole('listbox', { name: 'Saved connections' }).waitFor();
    expect(await audit('welcome')).toEqual([]);
  });

  it('an open connection: its toolbar and schema tree', async () => {
    await palette('connect to demo');
    await page.getByRole('treeitem', { name: 'events' }).waitFor({ timeout: 90_000 });
    expect(await audit('connected')).toEqual([]);
  });

  it('the backup dialog', async () => {
    await page.getByRole('button', { name: 'Back up…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Back up Demo/ });
    await dialog.waitFor();
    expect(await audit('backup')).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('the connection editor', async () => {
    await page.keyboard.press('Alt+n');
    const editor = page.getByRole('dialog', { name: 'New connection' });
    await editor.waitFor();
    await page.keyboard.insertText('postgres://app:s3cret@db1.example.com:5432/shop');
    expect(await audit('connection-editor')).toEqual([]);
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
  });

  it('the table grid, with NULL cells', async () => {
    await palette('open table main.value_showcase');
    await page.getByRole('grid', { name: 'Rows of value_showcase' }).waitFor();
    await page.getByRole('grid', { name: 'Rows of value_showcase' }).getByText('NULL').first().waitFor();
    expect(await audit('table-grid')).toEqual([]);
  });

  it('the import dialog, before and after a file is chosen (its mapping and preview)', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import into value_showcase' });
    await dialog.waitFor();
    expect(await audit('import')).toEqual([]);
    const csv = join(dataDir, 'showcase.csv');
    writeFileSync(csv, 'id,label,big_integer,exact_decimal,day\n100,Zoë 😀,9223372036854775807,1.50,2024-02-29\n101,"quote "" and, comma",-1,x,29/02/2024\n');
    await dialog.getByLabel('File on the machine that runs DB Desk').fill(csv);
    await expect.poll(() => dialog.locator('.import-preview tbody tr').count(), { timeout: 10_000 }).toBe(2);
    expect(await audit('import-preview')).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('the Review SQL dialog', async () => {
    const grid = page.getByRole('grid', { name: 'Rows of value_showcase' });
    await grid.focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('edited');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Review SQL' });
    await dialog.waitFor();
    expect(await audit('review-sql')).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('the SQL editor with results, and with an error', async () => {
    await page.keyboard.press('Alt+q');
    await page.getByRole('textbox', { name: /^SQL of / }).waitFor();
    const run = async (sql: string) => {
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(sql);
      await page.keyboard.press('Control+Enter');
    };
    await run('SELECT id, kind, NULL AS note FROM events ORDER BY id LIMIT 50;');
    await page.getByRole('grid', { name: /^Result/ }).waitFor();
    expect(await audit('sql-editor')).toEqual([]);
    await run('SELECT * FROM no_such_table;');
    await page.getByText(/no such table/).first().waitFor();
    expect(await audit('sql-editor-error')).toEqual([]);
  });

  it('the schema designer (ER diagram)', async () => {
    await palette('schema designer');
    await page.locator('.react-flow__node').first().waitFor();
    // Item 12: at 1440×900 beside the side panel, column names open readable (the first fit gave ~6 px text).
    const namePx = await page.evaluate(() => {
      const scale = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
      return parseFloat(getComputedStyle(document.querySelector('.dz-col-name')!).fontSize) * scale;
    });
    expect(namePx).toBeGreaterThanOrEqual(10);
    expect(await audit('schema-designer')).toEqual([]);
  });

  it('the diagnostics panel', async () => {
    await palette('diagnose');
    await page.locator('.diag-verdict[aria-label="Verdict"]').waitFor({ timeout: 30_000 });
    expect(await audit('diagnostics')).toEqual([]);
    await page.getByRole('button', { name: 'Copy report…' }).click();
    const report = page.getByRole('dialog', { name: 'Copy diagnostic report' });
    await report.waitFor();
    expect(await audit('diagnostic-report')).toEqual([]);
    await page.keyboard.press('Escape');
    await report.waitFor({ state: 'detached' });
  });

  it('the migrations view', async () => {
    await palette('migrations');
    await page.getByRole('grid', { name: 'Migrations' }).locator('tbody tr').first().waitFor();
    expect(await audit('migrations')).toEqual([]);
  });

  it('the migration plan, its confirmation and the folder dialog (one of each, said in the singular)', async () => {
    await page.getByRole('tab', { name: /^Plan/ }).click();
    await page.getByRole('button', { name: 'Show plan' }).click();
    const summary = page.locator('.plan-summary');
    await summary.waitFor();
    expect((await summary.textContent())?.replace(/\s+/g, ' ').trim()).toBe('1 migration, 1 statement · 1 lint warning');
    expect(await audit('migrations-plan')).toEqual([]);
    await page.getByRole('button', { name: 'Apply…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Apply 1 migration' });
    await confirm.waitFor();
    await confirm.getByText('1 lint warning — read them in the plan first.').waitFor();
    expect(await confirm.getByText(/1 migration on/).count()).toBe(1);
    expect(await audit('migrations-confirm')).toEqual([]);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await page.locator('#mig-folder-demo').click();
    const chooser = page.getByRole('dialog', { name: 'Choose the migrations folder' });
    await chooser.getByText('1 .sql file here').waitFor();
    expect(await audit('migrations-folder')).toEqual([]);
    await page.keyboard.press('Escape');
    await chooser.waitFor({ state: 'detached' });
  });

  it('the schema compare view', async () => {
    await page.keyboard.press('Alt+Shift+C');
    await page.getByRole('tab', { name: /Compare/ }).waitFor();
    await page.waitForTimeout(1000);
    expect(await audit('schema-compare')).toEqual([]);
  });

  it('the keyboard shortcuts dialog', async () => {
    await page.keyboard.press('F1');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await audit('help')).toEqual([]);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('the command palette', async () => {
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Find a command or an open tab' }).waitFor();
    await page.keyboard.type('open');
    expect(await audit('palette')).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('the backup dialog’s table picker, and a backup in progress', async () => {
    // The connection panel (where Back up… is) shows when no tab is open.
    for (let i = 0; i < 20 && (await page.locator('.tab-close').count()) > 0; i++) await page.locator('.tab-close').first().click();
    await palette('connect to Warehouse');
    await page.getByRole('heading', { name: 'Warehouse' }).waitFor();
    await page.getByRole('button', { name: 'Back up…' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Back up…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Back up Warehouse' });
    await dialog.getByLabel('Only the tables chosen here').check();
    await dialog.getByRole('group', { name: 'Tables to back up' }).waitFor();
    await dialog.getByRole('checkbox', { name: /^a\.b, "c'd/ }).check();
    await dialog.getByRole('checkbox', { name: /^customer/ }).focus();
    await expect.poll(() => dialog.locator('.table-picker-count').textContent()).toBe('1 of 5 tables chosen');
    expect(await audit('backup-table-picker')).toEqual([]);
    await dialog.getByLabel('Filter tables').fill('zzz');
    await dialog.getByText('No table matches “zzz”.').waitFor();
    expect(await audit('backup-table-picker-empty')).toEqual([]);
    await dialog.getByLabel('Filter tables').fill('');
    await dialog.getByLabel('Backup file on the machine that runs DB Desk').fill(join(dataDir, 'warehouse.dump'));
    await dialog.getByRole('button', { name: 'Back up', exact: true }).click();
    await dialog.getByRole('button', { name: 'Cancel backup' }).waitFor();
    await dialog.getByRole('status').getByText(/public\.customer/).waitFor();
    expect(await audit('backup-running')).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel backup' }).click();
    await dialog.getByText(/^Cancelled: the tool was stopped/).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
