import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';

const SHOTS = join(process.cwd(), 'test-results', 'screenshots');

describe('import dialog in Chromium', () => {
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-import-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    app = await serveApp();
    browser = await launchChromium();
    ({ page, errors } = await newPage(browser, app.url));
    await page.setViewportSize({ width: 1440, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const dialog = () => page.getByRole('dialog');

  it('makes a new table from a file from the schema tree’s context menu: inferred types, the DDL, then the result', async () => {
    await page.getByRole('treeitem', { name: 'customers' }).waitFor({ timeout: 90_000 });
    const path = file('people.csv', 'id,name,born,score\n1,Ada,1815-12-10,99.5\n2,"Hopper, Grace",1906-12-09,\n3,"Zoë 🐬",2000-01-01,1\n');
    await page.locator('[role=treeitem][aria-level="1"]').first().locator('.tree-row').first().click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'New table from a file…' }).click();
    await dialog().getByLabel('File on the machine that runs DB Desk').fill(path);
    // Types inferred from the sample, editable, and the statement that will run.
    await expect.poll(() => dialog().getByLabel('Type of born').inputValue(), { timeout: 10_000 }).toBe('DATE');
    expect(await dialog().getByLabel('Type of score').inputValue()).toBe('NUMERIC');
    await dialog().getByLabel('Name', { exact: true }).fill('people');
    await dialog().getByLabel('Primary key').selectOption('id');
    await expect.poll(() => dialog().getByLabel('DDL').textContent()).toMatch(/CREATE TABLE "?people"?[\s\S]*PRIMARY KEY/);
    // The preview shows the rows converted, NULL where the file has an unquoted empty field.
    const preview = dialog().locator('.import-preview');
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(3);
    expect(await preview.locator('tbody tr').nth(1).textContent()).toContain('Hopper, Grace');
    expect(await preview.locator('tbody tr').nth(1).locator('td').last().textContent()).toBe('NULL');
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: join(SHOTS, `import-new-table-${theme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await dialog().getByRole('button', { name: 'Create and import' }).click();
    await expect.poll(() => dialog().locator('.export-done, .export-error').textContent(), { timeout: 20_000 }).toMatch(/3 rows imported into the new table people/);
    await dialog().getByRole('button', { name: 'Close', exact: true }).last().click();
    await page.getByRole('treeitem', { name: 'people' }).waitFor();
  });

  it('imports into an open table from its toolbar: all or nothing names the line, skip mode says what it skipped', async () => {
    await page.getByRole('treeitem', { name: 'people' }).click();
    const grid = page.getByRole('grid', { name: 'Rows of people' });
    await expect.poll(() => grid.getAttribute('aria-rowcount'), { timeout: 20_000 }).toBe('4');
    const path = file('more.csv', 'id,name,born,score\n4,Lin,1990-05-05,7\n1,Duplicate,2001-01-01,1\n5,Mo,1991-06-06,x\n6,Kay,1992-07-07,8\n');
    await page.getByRole('toolbar', { name: 'Table data' }).getByRole('button', { name: 'Import…' }).click();
    await dialog().getByLabel('File on the machine that runs DB Desk').fill(path);
    await expect.poll(() => dialog().locator('.import-preview tbody tr').count(), { timeout: 10_000 }).toBe(4);
    // A value that cannot be a number is marked in the preview, before anything runs.
    expect(await dialog().locator('.import-bad').first().textContent()).toMatch(/not a number/);
    await dialog().getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => dialog().getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/line 4, column "score"/);
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('4');
    await dialog().getByLabel('Skip it, and write it to a rejects file').check();
    await dialog().getByRole('textbox', { name: 'Rejects file' }).fill(join(dir, 'more.rejects.csv'));
    await dialog().getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => dialog().getByRole('status').textContent(), { timeout: 20_000 }).toMatch(/2 rows imported into people.*2 rows could not be imported.*more\.rejects\.csv/s);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: join(SHOTS, `import-result-${theme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await dialog().getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect.poll(() => grid.getAttribute('aria-rowcount'), { timeout: 10_000 }).toBe('6');
    expect(errors).toEqual([]);
  });
});
