import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigrationsOf, seedMigrationsDataDir } from '../support/migrations-view';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { cli, dbmateFile, migrationFolder, postgresUnderTest } from '../support/migrations';
import { postgresExec } from '../support/servers';

const SHOTS = join('test-results', 'screenshots');

const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40)}` : '';
});

async function shadowsNow(): Promise<string[]> {
  return (await postgresExec('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'dbdesk_shadow_%'")).rows.map((r) => (r as { datname: string }).datname);
}

/** The plan's Rehearse, beside Apply: exactly the planned migrations on a shadow, with progress, Cancel and the result in the plan. */
describe('Rehearse from the plan (Chromium)', () => {
  let browser: Browser;
  let app: ServedApp;
  let live: Awaited<ReturnType<typeof postgresUnderTest.create>>;
  const folder = migrationFolder({
    '20240101000000_customers.sql': dbmateFile('CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);', 'DROP TABLE customers;'),
  });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    live = await postgresUnderTest.create();
    expect((await cli(['migrate', 'up', '--url', live.url, '--dir', folder.dir])).code).toBe(0);
    // Pending: one that goes through, then one that fails at its second statement (line 4 of its file).
    folder.write('20240102000000_notes.sql', dbmateFile('CREATE TABLE notes (id bigint PRIMARY KEY);', 'DROP TABLE notes;'));
    folder.write('20240103000000_audit.sql', dbmateFile('CREATE TABLE audit (id bigint PRIMARY KEY);\n\nCREATE TABLE customers (id bigint PRIMARY KEY);', 'DROP TABLE audit;'));
    app = await serveApp({ dataDir: seedMigrationsDataDir('plan-rehearse', [{ name: 'Plan live', url: live.url, dir: folder.dir }]) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await live?.drop();
    folder.remove();
  });

  it('from the keyboard: fails at file:line with the explained error, marked in the plan; then passes once fixed; Cancel drops the shadow', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await openMigrationsOf(page, 'Plan live', 'Plan');
    const rehearse = page.getByRole('button', { name: 'Rehearse', exact: true });
    await expect.poll(() => rehearse.isDisabled(), { timeout: 20_000 }).toBe(false);
    expect(await page.getByRole('region', { name: 'Apply 20240103000000 audit' }).isVisible()).toBe(true);

    // Keyboard only: the focus on Rehearse, Enter.
    await rehearse.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Rehearsal of this plan' });
    await panel.waitFor();
    const result = panel.getByRole('region', { name: 'Rehearsal result' });
    await result.waitFor({ timeout: 30_000 });
    // The result takes the focus.
    await expect.poll(() => focused(page)).toBe('Rehearsal of this plan');
    expect(await result.getByRole('alert').textContent()).toMatch(/20240103000000 audit would fail at statement 2 of 2 \(20240103000000_audit\.sql line 4\)/);
    const failure = await result.getByLabel('Would fail').textContent();
    expect(failure).toMatch(/CREATE TABLE customers/);
    expect(failure).toMatch(/already exists/);
    // In the plan: the first went through, the second is marked at its statement.
    const notes = page.getByRole('region', { name: 'Apply 20240102000000 notes' });
    const audit = page.getByRole('region', { name: 'Apply 20240103000000 audit' });
    expect(await notes.textContent()).toMatch(/rehearsed: went through/);
    expect(await audit.textContent()).toMatch(/rehearsed: fails at statement 2/);
    expect(await audit.getByRole('note', { name: 'Rehearsal failed here' }).textContent()).toMatch(/line 4.*customers/);
    await page.screenshot({ path: join(SHOTS, 'migrations-plan-rehearse-fails-light.png') });
    await audit.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'migrations-plan-rehearse-marked-light.png') });
    await expect(live.query('SELECT * FROM notes')).rejects.toThrow();

    // A plan that is no longer what the live database would run is not rehearsed.
    folder.write('20240104000000_more.sql', dbmateFile('CREATE TABLE more_things (id int);', 'DROP TABLE more_things;'));
    await panel.getByRole('button', { name: 'Close' }).press('Enter');
    await expect.poll(() => focused(page)).toBe('Rehearse');
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('region', { name: 'Rehearsal result' }).textContent(), { timeout: 30_000 }).toMatch(/changed since this plan was shown/);

    // Fixed: show the plan again, rehearse: it goes through.
    folder.write('20240103000000_audit.sql', dbmateFile('CREATE TABLE audit (id bigint PRIMARY KEY);\n\nCREATE INDEX customers_name ON customers (name);', 'DROP TABLE audit;'));
    await page.getByRole('button', { name: 'Show plan' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Apply 20240104000000 more' }).isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await panel.count()).toBe(0);
    await rehearse.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('region', { name: 'Rehearsal result' }).getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/The 3 pending migrations went through/);
    expect(await audit.textContent()).toMatch(/rehearsed: went through/);
    expect(await page.getByRole('region', { name: 'Apply 20240104000000 more' }).textContent()).toMatch(/rehearsed: went through/);
    await page.screenshot({ path: join(SHOTS, 'migrations-plan-rehearse-passes-light.png') });
    await expect(live.query('SELECT * FROM audit')).rejects.toThrow();
    expect(errors).toEqual([]);
  });

  it('Cancel from the keyboard stops a slow rehearsal and drops its shadow (dark theme)', async () => {
    folder.write('20240105000000_slow.sql', dbmateFile('CREATE TABLE slow_one (id int);\nSELECT pg_sleep(3);\nSELECT pg_sleep(3);', 'DROP TABLE slow_one;'));
    const before = await shadowsNow();
    const { page, errors } = await newPage(browser, app.url, 'dark');
    await openMigrationsOf(page, 'Plan live', 'Plan');
    const rehearse = page.getByRole('button', { name: 'Rehearse', exact: true });
    await expect.poll(() => rehearse.isDisabled(), { timeout: 20_000 }).toBe(false);
    await rehearse.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Rehearsal of this plan' });
    const log = panel.getByRole('list', { name: 'Rehearsal progress' });
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toMatch(/Applying 20240105000000/);
    const shadow = /temporary database (dbdesk_shadow_\d{8}t\d{6}_[0-9a-f]{8})/.exec((await log.textContent()) ?? '')?.[1];
    expect(shadow).toBeDefined();
    expect(before).not.toContain(shadow);
    expect(await shadowsNow()).toContain(shadow);
    // The focus went to Cancel when the rehearsal started; Apply waits meanwhile.
    await expect.poll(() => focused(page)).toBe('Cancel');
    expect(await page.getByRole('button', { name: 'Apply…' }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'migrations-plan-rehearse-running-dark.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('region', { name: 'Rehearsal result' }).getByRole('status').textContent(), { timeout: 20_000 }).toMatch(/Rehearsal cancelled; the shadow was dropped and the live database was not touched/);
    await expect.poll(() => focused(page)).toBe('Rehearsal of this plan');
    expect(await shadowsNow()).not.toContain(shadow);
    expect(await rehearse.isDisabled()).toBe(false);
    expect(errors).toEqual([]);
  });
});
