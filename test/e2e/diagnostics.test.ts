import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../electron/core/app-core';
import { distPath } from '../../electron/core/paths';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { ConnectionFields, type ConnectionFieldsInput } from '../../shared/model/connection';
import { launchChromium, newPage, readClipboard, serveApp, type ServedApp } from '../support/browser';
import { silentServer, type FakeServer } from '../support/fake-servers';
import { freePort } from '../support/free-port';

/**
 * The diagnostics panel in Chromium against `dbdesk serve`: opened from a connection error's
 * Diagnose action and from the editor's failed Test (an unsaved draft), steps arriving live, the
 * verdict and remedy on top, expandable evidence, the report with secrets removed and names masked,
 * and each wait-for-the-database attempt's class. Screenshots of both themes go to test-results/.
 */
const SHOTS = join(process.cwd(), 'test-results', 'screenshots');
const WRONG_PASSWORD = 'Wrong-Pw-For-E2E-31';
let dataDir: string;
let app: ServedApp;
let browser: Browser;
let silent: FakeServer;
let refusedPort: number;

async function seed(profiles: { fields: ConnectionFieldsInput; password?: string }[]): Promise<void> {
  const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {}, workerPath: distPath('worker.cjs') });
  try {
    for (const p of profiles) core.store.profiles.save(ConnectionFields.parse(p.fields), p.password);
  } finally {
    await core.close();
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-diag-'));
  silent = await silentServer();
  refusedPort = await freePort();
  await seed([
    { fields: { name: 'Orders (MariaDB)', engine: 'mariadb', host: '127.0.0.1', port: 3306, user: 'root', database: 'test', tls: { mode: 'disable' }, color: 'orange' }, password: WRONG_PASSWORD },
    { fields: { name: 'Analytics (PostgreSQL)', engine: 'postgresql', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', tls: { mode: 'prefer' }, color: 'blue' } },
    { fields: { name: 'Gone server', engine: 'postgresql', host: '127.0.0.1', port: refusedPort, user: 'app', database: 'app', retry: { maxAttempts: 2, delaySeconds: 0.2 } } },
    { fields: { name: 'Behind a dead proxy', engine: 'postgresql', host: '127.0.0.1', port: silent.port, user: 'app', database: 'app', tls: { mode: 'disable' } } },
  ]);
  app = await serveApp({ dataDir });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await silent?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openApp(theme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
  const opened = await newPage(browser, app.url, theme);
  await opened.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  await opened.page.getByRole('listbox', { name: 'Saved connections' }).waitFor();
  return opened;
}

async function diagnoseFromPanel(page: Page, name: string): Promise<void> {
  await page.getByRole('option', { name: new RegExp(name.replace(/[()]/g, '\\$&')) }).click();
  await page.locator('.connection-panel').getByRole('button', { name: 'Diagnose' }).click();
}

async function waitForVerdict(page: Page): Promise<void> {
  await page.locator('.diag-verdict[aria-label="Verdict"]').waitFor({ timeout: 30_000 });
}

describe('the diagnostics panel', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`a failing run (${theme}): verdict, class and remedy on top, the failed step open with its evidence`, async () => {
      const { page, errors } = await openApp(theme);
      await diagnoseFromPanel(page, 'Orders (MariaDB)');
      await waitForVerdict(page);
      const verdict = page.locator('.diag-verdict');
      await expect.poll(() => verdict.getAttribute('class')).toContain('verdict-failed');
      expect(await verdict.textContent()).toMatch(/Not usable.*Access denied.*auth-failed/s);
      expect(await verdict.locator('.audience-badge').textContent()).toBe('You');
      const auth = page.locator('[data-step="auth"]');
      expect(await auth.getAttribute('data-status')).toBe('fail');
      expect(await auth.locator('details').getAttribute('open')).not.toBeNull();
      expect(await auth.locator('.diag-error').textContent()).toMatch(/errno1045/);
      for (const id of ['config', 'dns', 'tcp', 'fingerprint']) expect(await page.locator(`[data-step="${id}"]`).getAttribute('data-status')).toBe('ok');
      expect(await page.locator('[data-step="session"]').getAttribute('data-status')).toBe('skip');
      // Evidence of a passed step opens on click.
      await page.locator('[data-step="fingerprint"] summary').click();
      expect(await page.locator('[data-step="fingerprint"] .diag-evidence').textContent()).toMatch(/MariaDB/);
      expect(await page.content()).not.toContain(WRONG_PASSWORD);
      await page.screenshot({ path: join(SHOTS, `diagnostics-failing-${theme}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it(`a healthy run and its report (${theme}): masking removes hosts, users and databases, also inside messages`, async () => {
      const { page, errors } = await openApp(theme);
      await diagnoseFromPanel(page, 'Analytics (PostgreSQL)');
      await waitForVerdict(page);
      await expect.poll(() => page.locator('.diag-verdict').getAttribute('class')).toContain('verdict-ok');
      expect(await page.locator('[data-status="fail"]').count()).toBe(0);
      expect(await page.locator('[data-step="table-read"]').getAttribute('data-status')).toMatch(/ok|skip/);
      await page.screenshot({ path: join(SHOTS, `diagnostics-healthy-${theme}.png`) });

      await page.getByRole('button', { name: 'Copy report…' }).click();
      const preview = page.locator('#diag-report-preview');
      expect(await preview.textContent()).toContain('127.0.0.1');
      await page.getByRole('checkbox', { name: /Mask host names/ }).check();
      await expect.poll(() => preview.textContent()).toContain('loopback-ip-1');
      const masked = (await preview.textContent())!;
      expect(masked).not.toContain('127.0.0.1');
      expect(masked).not.toMatch(/`postgres`|\bpostgres on\b/);
      expect(masked).not.toMatch(/`test`|database test\b|on test,/);
      expect(await page.locator('.report-summary').textContent()).toMatch(/Masked:.*IP address.*user.*database/);
      await page.screenshot({ path: join(SHOTS, `diagnostics-report-${theme}.png`) });
      await page.getByRole('button', { name: 'Copy Markdown' }).click();
      const copied = await readClipboard(page);
      expect(copied).toBe(masked);
      await page.locator('.dialog-footer').getByRole('button', { name: 'Close' }).click();
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('shows steps live: done ones before the running one finishes; Cancel stops it', async () => {
    const { page } = await openApp('light');
    await diagnoseFromPanel(page, 'Behind a dead proxy');
    await page.locator('[data-step="tcp"][data-status="ok"]').waitFor();
    await page.locator('.diag-running').waitFor();
    expect(await page.locator('.diag-running .diag-title').textContent()).toMatch(/Protocol fingerprint/);
    expect(await page.locator('.diag-verdict').textContent()).toMatch(/Diagnosing/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await waitForVerdict(page);
    expect(await page.locator('[data-step="fingerprint"]').getAttribute('data-status')).toBe('fail');
    expect(await page.locator('[data-step="auth"]').getAttribute('data-status')).toBe('skip');
    await page.context().close();
  });

  it('a connection error’s Diagnose action, and the class of every attempt in the wait loop', async () => {
    const { page } = await openApp('light');
    await page.getByRole('option', { name: /Gone server/ }).click();
    await page.locator('.connection-panel').getByRole('button', { name: 'Connect' }).click();
    await page.locator('.attempts[role="alert"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.attempt-failed .attempt-class').allTextContents()).toEqual(['tcp-refused', 'tcp-refused']);
    // Attempt n of N, each with its class.
    expect(await page.locator('.attempt-failed .attempt-n').allTextContents()).toEqual(['1/2', '2/2']);
    expect(await page.locator('.attempts .error-text').textContent()).toMatch(/Connection refused/);
    // The one-line remedy is on the panel, not only in Diagnose.
    expect(await page.locator('.attempts .remedy').textContent()).toMatch(new RegExp(`^The DBA Nothing accepts connections on ${refusedPort}: the server is stopped`));
    await page.screenshot({ path: join(SHOTS, 'diagnostics-attempts-light.png') });
    await page.locator('.toast').getByRole('button', { name: 'Diagnose' }).click();
    await waitForVerdict(page);
    expect(await page.locator('.diag-verdict .class-chip').textContent()).toBe('tcp-refused');
    await page.context().close();
  });

  it('the editor’s failed Test diagnoses the unsaved draft, and leads back to the editor', async () => {
    const { page } = await openApp('light');
    await page.getByRole('button', { name: /^New$|New connection/ }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Connection URL').fill(`postgres://draftuser:Draft-Secret-55@127.0.0.1:${refusedPort}/draftdb?sslmode=disable`);
    await dialog.getByLabel('Name', { exact: true }).fill('Not saved yet');
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.locator('.test-failed').waitFor({ timeout: 20_000 });
    expect(await dialog.locator('.test-failed').textContent()).toMatch(/Connection refused/);
    await dialog.locator('.test-failed').getByRole('button', { name: 'Diagnose' }).click();
    await waitForVerdict(page);
    expect(await page.locator('.diag-header').textContent()).toMatch(/Not saved yet.*UNSAVED DRAFT/);
    expect(await page.locator('.diag-verdict .class-chip').textContent()).toBe('tcp-refused');
    expect(await page.content()).not.toContain('Draft-Secret-55');
    await page.getByRole('button', { name: 'Back to the editor' }).click();
    expect(await page.getByRole('dialog').getByLabel('Name', { exact: true }).inputValue()).toBe('Not saved yet');
    expect(await page.getByRole('dialog').getByLabel('Port', { exact: true }).inputValue()).toBe(String(refusedPort));
    await page.context().close();
  });
});
