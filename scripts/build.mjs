// Builds everything `dbdesk` runs: the Node bundles (CLI, session worker, Electron main/preload)
// with esbuild, and the renderer with Vite. Dependencies stay in node_modules (native modules
// such as better-sqlite3 cannot be bundled).
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.includes('--node-only') ? 'node' : 'all';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  // Source files that locate themselves with import.meta.url (ESM under vitest) get the CommonJS equivalent.
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
};

// The preload runs in Electron's sandbox: a function of (require, process, exports, module, Buffer,
// global, setImmediate, clearImmediate) whose require knows only 'electron', 'events', 'timers' and
// 'url'. So it is bundled whole and gets neither the banner nor the define above: __filename does
// not exist there (test/integration/desktop/preload-sandbox.test.ts runs it that way).
const preload = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  entryPoints: { preload: 'electron/preload/preload.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  external: ['electron'],
};

const started = Date.now();
// Only what this build makes: a bundle whose entry point is gone must not linger (packaging ships dist/).
for (const f of existsSync(join(root, 'dist')) ? readdirSync(join(root, 'dist')) : []) if (/\.cjs(\.map)?$/.test(f)) rmSync(join(root, 'dist', f));
rmSync(join(root, 'dist', 'electron'), { recursive: true, force: true });
if (only === 'all') rmSync(join(root, 'dist', 'renderer'), { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: { cli: 'electron/cli/main.ts', worker: 'electron/core/worker/worker-main.ts', 'sqlite-runner': 'electron/core/engines/sqlite/sqlite-runner-main.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { main: 'electron/app/main.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
  build(preload),
]);
if (only === 'all') {
  // Always React's production build: tests (NODE_ENV=test under vitest) must run what users run.
  process.env.NODE_ENV = 'production';
  await viteBuild({ configFile: join(root, 'vite.config.mts'), logLevel: 'warn', mode: 'production' });
}
console.log(`built in ${Date.now() - started} ms`);
