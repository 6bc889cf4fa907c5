// `npm run test:e2e:electron`: the end-to-end suite (test/e2e) against the desktop app itself —
// every test's pages are windows of the built app in Electron's binary, driven by Playwright's
// `_electron.launch` (test/support/electron-app.ts) — instead of the browser shell in Chromium.
// Needs Electron's binary and Node ≥ 22.12 (to build better-sqlite3 for Electron the first time).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const run = (args, env = process.env) => spawnSync(process.execPath, args, { stdio: 'inherit', env }).status ?? 1;

const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist'), readFileSync(pathFile, 'utf8')) : null;
if (!binary || !existsSync(binary)) {
  console.error('test:e2e:electron: Electron’s binary is not installed: run `node node_modules/electron/install.js` first (Node ≥ 22.12, access to Electron’s releases).');
  process.exit(1);
}
if (run(['scripts/build.mjs']) !== 0) process.exit(1);
if (run(['scripts/electron-sqlite.mjs', '--if-needed']) !== 0) process.exit(1);
process.exit(run(['node_modules/vitest/vitest.mjs', 'run', '--project', 'e2e', ...process.argv.slice(2)], { ...process.env, DBDESK_E2E_ELECTRON: '1', DBDESK_SKIP_BUILD: '1' }));
