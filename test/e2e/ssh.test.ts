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
import { newTotpSecret, totp } from '../support/totp';

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
let locked: TestKey;
let otp: PrivateSshd;
let otpSecret: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-e2e-ssh-'));
  dataDir = join(dir, 'data');
  key = makeKey(dir, 'id_ed25519', 'ed25519');
  locked = makeKey(dir, 'id_locked', 'ed25519', { passphrase: 'open sesame' });
  otpSecret = newTotpSecret();
  writeFileSync(join(dir, 'otp_secret'), `${otpSecret}\n" TOTP_AUTH\n`, { mode: 0o600 });
  [bastion, otp] = await Promise.all([
    startPrivateSshd({ authorizedKeys: [key.publicLine, locked.publicLine], listen: { noForward: ['AllowTcpForwarding no'] } }),
    // The account's password (pam_unix), then a one-time code shown as typed (pam_google_authenticator).
    startPrivateSshd({
      password: 'otp pw',
      pamAuth: ['auth required pam_unix.so nodelay', `auth required pam_google_authenticator.so secret=${join(dir, 'otp_secret')} user=root echo_verification_code`],
      config: ['AuthenticationMethods keyboard-interactive'],
    }),
  ]);
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
    writeFileSync(join(dir, 'known_hosts_asked'), [bastion.knownHostsLine(), otp.knownHostsLine()].join('\n') + '\n');
    const asked = (name: string, ssh: Record<string, unknown>) =>
      core.store.profiles.save(
        ConnectionFields.parse({ name, engine: 'postgresql', host: '127.0.0.1', port: 5432, user: 'postgres', database: db.name, tls: { mode: 'disable' }, ssh: { enabled: true, host: '127.0.0.1', user: 'root', knownHostsFile: join(dir, 'known_hosts_asked'), useSshConfig: false, ...ssh } }),
        undefined,
      );
    asked('Locked key via bastion', { port: bastion.port, auth: 'key', keyFile: locked.file });
    // The bastion's port filed with the one-time-code server's key: the key the bastion shows is a changed key.
    writeFileSync(join(dir, 'known_hosts_swapped'), `[127.0.0.1]:${bastion.port} ${otp.hostKey.publicLine.split(' ').slice(0, 2).join(' ')}\n`);
    core.store.profiles.save(
      ConnectionFields.parse({ name: 'Swapped key bastion', engine: 'postgresql', host: '127.0.0.1', port: 5432, user: 'postgres', database: db.name, tls: { mode: 'disable' }, ssh: { enabled: true, host: '127.0.0.1', port: bastion.port, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: join(dir, 'known_hosts_swapped'), useSshConfig: false } }),
      undefined,
    );
    asked('One-time code bastion', { port: otp.port, auth: 'keyboard-interactive' });
    asked('Depot via bastion', { port: bastion.port, auth: 'key', keyFile: key.file });
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
  await otp?.stop();
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

  it('asks for what the saved profiles lack: a key passphrase (wrong, then right and remembered), the password and a one-time code', async () => {
    const { page, errors } = await newPage(browser, app.url);
    const connect = async (name: string) => {
      await page.getByRole('option', { name: new RegExp(name) }).click();
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
    };
    await connect('Locked key via bastion');
    const passphrase = page.getByRole('dialog', { name: 'SSH key passphrase' });
    await passphrase.waitFor({ timeout: 30_000 });
    expect(await passphrase.textContent()).toContain(locked.file);
    const field = passphrase.getByLabel(`Enter passphrase for key '${locked.file}':`);
    expect(await field.getAttribute('type')).toBe('password');
    await field.fill('not the one');
    await field.press('Enter');
    await expect.poll(() => passphrase.getByRole('alert').textContent().catch(() => ''), { timeout: 20_000 }).toMatch(/Wrong passphrase/);
    await page.screenshot({ path: `${SHOTS}/ssh-passphrase-light.png` });
    await field.fill('open sesame');
    await passphrase.getByLabel(/Remember the passphrase/).check();
    await passphrase.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('tree', { name: 'Schema of Locked key via bastion' }).waitFor({ timeout: 30_000 });
    // Remembered: connecting again asks nothing.
    await page.getByRole('button', { name: 'Disconnect Locked key via bastion' }).click();
    await connect('Locked key via bastion');
    await page.getByRole('tree', { name: 'Schema of Locked key via bastion' }).waitFor({ timeout: 30_000 });
    expect(await passphrase.count()).toBe(0);

    await page.emulateMedia({ colorScheme: 'dark' });
    await connect('One-time code bastion');
    const password = page.getByRole('dialog', { name: 'SSH password' });
    await password.waitFor({ timeout: 30_000 });
    expect(await password.getByLabel('Password:').getAttribute('type')).toBe('password');
    await password.getByLabel('Password:').fill('otp pw');
    await password.getByRole('button', { name: 'Continue' }).click();
    const code = page.getByRole('dialog', { name: 'SSH login' });
    await code.waitFor({ timeout: 30_000 });
    // The server's own prompt; echo on (echo_verification_code), so the code shows as it is typed.
    const codeField = code.getByLabel('Verification code:');
    expect(await codeField.getAttribute('type')).toBe('text');
    await codeField.fill(totp(otpSecret));
    await page.screenshot({ path: `${SHOTS}/ssh-one-time-code-dark.png` });
    await codeField.press('Enter');
    await page.getByRole('tree', { name: 'Schema of One-time code bastion' }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a changed host key is a hard stop: the man-in-the-middle warning with both fingerprints, and only Close', async () => {
    const { page, errors } = await newPage(browser, app.url);
    const filed = readFileSync(join(dir, 'known_hosts_swapped'), 'utf8');
    await page.getByRole('option', { name: /Swapped key bastion/ }).click();
    await page.getByRole('button', { name: 'Connect Swapped key bastion' }).click();
    const dialog = page.getByRole('dialog', { name: 'SSH host key changed — connection refused' });
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toMatch(/man-in-the-middle/);
    expect(text).toContain(bastion.hostKey.fingerprint);
    expect(text).toContain(otp.hostKey.fingerprint);
    // Nothing to click through: no Trust button, only the two ways to close (× and Close).
    expect(await dialog.getByRole('button', { name: /trust/i }).count()).toBe(0);
    expect(await dialog.getByRole('button').count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/ssh-host-key-changed-light.png` });
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });
    expect(readFileSync(join(dir, 'known_hosts_swapped'), 'utf8')).toBe(filed);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a tunnel that drops: a warning within a second, the connection stays open, and the next reload of the rows reconnects', async () => {
    const { page, errors } = await newPage(browser, app.url);
    await page.getByRole('option', { name: /Depot via bastion/ }).click();
    await page.getByRole('button', { name: 'Connect Depot via bastion' }).click();
    const tree = page.getByRole('tree', { name: 'Schema of Depot via bastion' });
    await tree.waitFor({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: 'shipments' }).click();
    const row1 = page.getByRole('grid').first().locator('[role=row][aria-rowindex="2"] [role=gridcell]');
    await expect.poll(() => row1.allTextContents(), { timeout: 20_000 }).toEqual(expect.arrayContaining(['1', 'city-1']));
    const logins = () => (bastion.log().match(/Accepted publickey/g) ?? []).length;
    const before = logins();

    const t0 = Date.now();
    bastion.dropConnections();
    const warning = page.getByRole('status').filter({ hasText: 'The SSH tunnel of Depot via bastion dropped' });
    // About a second: the core says it within one (I/ssh-behind-bastion); the browser's polling adds its share.
    await warning.waitFor({ timeout: 1500 });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(await warning.textContent()).toMatch(/It reconnects on the next use\./);
    expect(await warning.getByRole('button', { name: 'Diagnose' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/ssh-tunnel-dropped-light.png` });
    // Still open: no failure, no Reconnect, the schema and the table stay where they were.
    expect(await page.getByRole('alert').filter({ hasText: /Lost the connection/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Disconnect Depot via bastion' }).isVisible()).toBe(true);
    expect(await tree.isVisible()).toBe(true);

    // The next use opens the tunnel again: the reload shows a row changed meanwhile, over one new SSH login.
    const admin = new pg.Client(db.url);
    await admin.connect();
    await admin.query(`UPDATE shipments SET city = 'after the drop' WHERE id = 1`);
    await admin.end();
    await page.getByRole('button', { name: 'Reload rows' }).first().click();
    await expect.poll(() => row1.allTextContents(), { timeout: 20_000 }).toEqual(expect.arrayContaining(['1', 'after the drop']));
    expect(logins()).toBe(before + 1);
    expect(await page.getByRole('alert').count()).toBe(0);
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
