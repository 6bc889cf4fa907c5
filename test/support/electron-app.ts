import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';

/**
 * The e2e suite against the real desktop app: with DBDESK_E2E_ELECTRON=1 (`npm run test:e2e:electron`)
 * test/support/browser.ts starts the built app (dist/electron/main.cjs) in Electron's binary through
 * Playwright's `_electron.launch` instead of `dbdesk serve`, and every page a test asks for is a
 * window of that app. It needs the binary (node_modules/electron/dist) and the Electron build of
 * better-sqlite3 (native/electron): neither can be had on the team's machines, so this path has
 * never run there — see the README.
 */
export const E2E_ELECTRON = process.env.DBDESK_E2E_ELECTRON === '1';

const require = createRequire(import.meta.url);

/** Electron's binary, found as `npm start` finds it, without require('electron') (which would try to download it). */
function electronBinary(): string {
  const dir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe ?? 'electron') : exe ? join(dir, 'dist', exe) : null;
  if (!binary || !existsSync(binary)) throw new Error('Electron’s binary is not installed: run `node node_modules/electron/install.js` (Node ≥ 22.12, network access to Electron’s releases).');
  return binary;
}

const apps = new Map<string, { app: ElectronApplication; pagesTaken: number }>();
const appOfPage = new WeakMap<Page, ElectronApplication>();
let launched = 0;

/** Starts the desktop app on its own data folder; `url` identifies it to newElectronPage. */
export async function launchElectronApp(dataDir: string, env: Record<string, string>, cwd?: string): Promise<{ url: string; app: ElectronApplication }> {
  const main = join(process.cwd(), 'dist', 'electron', 'main.cjs');
  const app = await _electron.launch({ executablePath: electronBinary(), args: [main, '--data-dir', dataDir], env, timeout: 60_000, ...(cwd ? { cwd } : {}) });
  const url = `app://dbdesk/index.html?e2e-app=${++launched}`;
  apps.set(url, { app, pagesTaken: 0 });
  return { url, app };
}

/**
 * A window of the app as a test's page: the first window the app opened, then one more per call
 * (a second start of DB Desk opens another window, which is what `second-instance` does). Closing
 * the page's "context" closes that window, as closing a browser context closes its page; clipboard
 * permissions need no grant (the app allows its pages to write; reading goes through readClipboard).
 */
export async function newElectronPage(url: string, theme: 'light' | 'dark'): Promise<Page> {
  const entry = apps.get(url);
  if (!entry) throw new Error(`No desktop app was started for ${url}.`);
  let page: Page;
  if (entry.pagesTaken++ === 0) page = await entry.app.firstWindow();
  else {
    const next = entry.app.waitForEvent('window');
    await entry.app.evaluate(({ app }) => app.emit('second-instance', {}, [], process.cwd(), {}));
    page = await next;
  }
  await page.waitForLoadState('domcontentloaded');
  await page.emulateMedia({ colorScheme: theme });
  await page.setViewportSize({ width: 1280, height: 800 });
  const context = new Proxy(page.context(), {
    get(target, prop, receiver) {
      if (prop === 'close') return () => page.close();
      if (prop === 'grantPermissions') return async () => undefined;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const proxy = new Proxy(page, {
    get(target, prop) {
      if (prop === 'context') return () => context;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  appOfPage.set(proxy, entry.app);
  return proxy;
}

/** The clipboard's text: the OS clipboard through Electron's main process for a window of the app. */
export async function electronClipboardText(page: Page): Promise<string | null> {
  const app = appOfPage.get(page);
  return app ? app.evaluate(({ clipboard }) => clipboard.readText()) : null;
}

export async function closeElectronApp(url: string): Promise<void> {
  const entry = apps.get(url);
  apps.delete(url);
  await entry?.app.close();
}
