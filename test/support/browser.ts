import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { closeElectronApp, E2E_ELECTRON, electronClipboardText, launchElectronApp, newElectronPage } from './electron-app';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface ServedApp {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `dbdesk serve` (the built CLI) on a free port with its own data folder (and `cwd`, to see what lands in
 * it) — or, with DBDESK_E2E_ELECTRON=1, the desktop app in Electron (electron-app.ts), whose windows newPage hands out.
 */
export async function serveApp(options: { env?: Record<string, string>; dataDir?: string; cwd?: string } = {}): Promise<ServedApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dbdesk-e2e-'));
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env };
  for (const k of Object.keys(env)) if (k.startsWith('DB_') && !options.env?.[k]) delete env[k];
  if (E2E_ELECTRON) return desktopApp(dataDir, env, !options.dataDir, options.cwd);
  const cli = join(process.cwd(), 'dist', 'cli.cjs');
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir, '--no-open'], { env, stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dbdesk serve printed no URL within 15 s:\n${out}`)), 15_000);
    const onData = () => {
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\S+\/)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`dbdesk serve exited with ${code}:\n${out}`)));
  });
  return {
    url,
    dataDir,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function desktopApp(dataDir: string, env: Record<string, string>, ownDataDir: boolean, cwd?: string): Promise<ServedApp> {
  const { url, app } = await launchElectronApp(dataDir, env, cwd);
  let out = '';
  app.process().stdout?.on('data', (d: Buffer) => (out += d.toString()));
  app.process().stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return {
    url,
    dataDir,
    process: app.process(),
    output: () => out,
    async stop() {
      await closeElectronApp(url);
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A 1280×800 page on the app; uncaught page errors are collected in `errors` so tests can assert none happened. */
export async function newPage(browser: Browser, url: string, theme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const errors: string[] = [];
  if (E2E_ELECTRON && url.startsWith('app://')) {
    const page = await newElectronPage(url, theme);
    page.on('pageerror', (e) => errors.push(e.message));
    return { page, errors };
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

/** What a Copy button put on the clipboard (in the desktop app, read from the main process: pages may not read it). */
export async function readClipboard(page: Page): Promise<string> {
  if (E2E_ELECTRON) {
    const text = await electronClipboardText(page);
    if (text !== null) return text;
  }
  return page.evaluate(() => navigator.clipboard.readText());
}
