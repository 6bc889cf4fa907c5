import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../electron/core/app-core';
import { distPath } from '../../electron/core/paths';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../shared/model/connection';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { makeKey, startPrivateSshd, type PrivateSshd, type TestKey } from '../support/private-sshd';
import { createPostgresDatabase, type TestDatabase } from '../support/servers';

/**
 * SSH in Chromium against `dbdesk serve` and OpenSSH's real sshd: a connection made in the editor's
 * SSH section, its new host key accepted in the dialog, a table browsed and a query run and
 * cancelled through the tunnel; a broken tunnel diagnosed (the README's screenshot).
 */
const SHOTS = join(process.cwd(), 'test-results', 'screenshots');
let dir: string;
let dataDir: string;
let key: TestKey;
let bastion: PrivateSshd;
let db: TestDatabase;
let app: ServedApp;
let browser: Browser;
let knownHosts: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-ssh-'));
  dataDir = join(dir, 'data');
  key = makeKey(dir, 'id_ed25519', 'ed25519');
  bastion = await startPrivateSshd({ authorizedKeys: [key.publicLine], listen: { noForward: ['AllowTcpForwarding no'] } });
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '');
  db = await createPostgresDatabase();
  const client = new pg.Client(db.url);
  await client.connect();
  await client.query('CREATE TABLE shipments (id int PRIMARY KEY, city text); INSERT INTO shipments SELECT g, $$city-$$ || g FROM generate_series(1, 50) g');
  await client.end();
  // The broken tunnel: a saved profile whose bastion port forbids forwarding.
  const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {}, workerPath: distPath('worker.cjs') });
  try {
    writeFileSync(join(dir, 'known_hosts_broken'), bastion.knownHostsLine(bastion.ports.noForward) + '\n');
    core.store.profiles.save(
      ConnectionFields.parse({
        name: 'Reports via bastion',
        engine: 'postgresql',
        host: '127.0.0.1',
        port: 5432,
        user: 'postgres',
        database: db.name,
        tls: { mode: 'disable' },
        ssh: { enabled: true, host: '127.0.0.1', port: bastion.ports.noForward, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: join(dir, 'known_hosts_broken'), useSshConfig: false },
      }),
      undefined,
    );
  } finally {
    await core.close();
  }
  app = await serveApp({ dataDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await bastion?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('SSH in the app', () => {
  it('creates an SSH connection in the editor, trusts the new host key, browses a table, runs and cancels a query', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await page.getByRole('button', { name: '+ New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New connection' });
    await dialog.getByLabel('Connection URL').fill(db.url);
    await dialog.getByLabel('Name', { exact: true }).fill('Shop via bastion');
    await dialog.getByLabel('Connect through an SSH server (bastion)').check();
    await dialog.getByLabel('SSH host').fill('127.0.0.1');
    await dialog.getByLabel('SSH port').fill(String(bastion.port));
    await dialog.getByLabel('SSH user').fill('root');
    await dialog.getByLabel('SSH login').selectOption('key');
    await dialog.getByLabel('Private key file').fill(key.file);
    await dialog.getByLabel('known_hosts file').fill(knownHosts);
    await dialog.getByLabel(/Use ~\/\.ssh\/config/).uncheck();
    await page.screenshot({ path: `${SHOTS}/connection-editor-ssh-light.png` });
    await dialog.getByRole('button', { name: 'Save and connect' }).click();

    const hostKey = page.getByRole('dialog', { name: 'Unknown SSH host key' });
    await hostKey.waitFor({ timeout: 30_000 });
    expect(await hostKey.textContent()).toContain(bastion.hostKey.fingerprint);
    await page.screenshot({ path: `${SHOTS}/ssh-host-key-light.png` });
    await hostKey.getByRole('button', { name: 'Trust always' }).click();
    await expect.poll(() => readFileSync(knownHosts, 'utf8'), { timeout: 10_000 }).toBe(`${bastion.knownHostsLine()}\n`);

    const tree = page.getByRole('tree', { name: 'Schema of Shop via bastion' });
    await tree.waitFor({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: 'shipments' }).click();
    const row1 = page.getByRole('grid').first().locator('[role=row][aria-rowindex="2"] [role=gridcell]');
    await expect.poll(() => row1.allTextContents(), { timeout: 20_000 }).toEqual(expect.arrayContaining(['1', 'city-1']));

    await page.getByRole('button', { name: 'SQL editor' }).click({ timeout: 30_000 });
    const editor = page.getByRole('textbox', { name: /^SQL of / });
    await editor.click();
    await page.keyboard.insertText('SELECT pg_sleep(30)');
    await page.keyboard.press('Control+Enter');
    const cancel = page.getByRole('button', { name: /Cancel$/ });
    await expect.poll(() => cancel.isEnabled()).toBe(true);
    await page.waitForTimeout(300);
    await cancel.click();
    await expect.poll(() => page.getByRole('tablist', { name: 'Results' }).getByRole('tab').first().textContent(), { timeout: 5000 }).toMatch(/Cancelled/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`diagnoses a broken tunnel (${theme}): the SSH forward is refused, named with its class and who fixes it`, async () => {
      const { page, errors } = await newPage(browser, app.url, theme);
      await page.getByRole('option', { name: /Reports via bastion/ }).click();
      await page.locator('.connection-panel').getByRole('button', { name: 'Diagnose' }).click();
      const verdict = page.locator('.diag-verdict[aria-label="Verdict"]');
      await verdict.waitFor({ timeout: 30_000 });
      await expect.poll(() => verdict.textContent()).toMatch(/ssh-forwarding-refused/);
      expect(await verdict.locator('.audience-badge').textContent()).toBe('The SSH server’s admin');
      expect(await page.locator('[data-step="ssh-forward"]').getAttribute('data-status')).toBe('fail');
      expect(await page.locator('[data-step="ssh-auth"]').getAttribute('data-status')).toBe('ok');
      expect(await page.locator('[data-step="auth"]').getAttribute('data-status')).toBe('skip');
      await page.screenshot({ path: `${SHOTS}/diagnostics-ssh-tunnel-${theme}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
