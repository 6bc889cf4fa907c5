// `npm start`: the Electron app where Electron's binary is (or can be) installed; otherwise one line
// saying so and the browser shell instead. Arguments after `--` go to the app (e.g. --data-dir DIR).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(dir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe ?? 'electron');
  if (exe && existsSync(join(dir, 'dist', exe))) return join(dir, 'dist', exe);
  // Electron ≥ 42 downloads its binary on first use; try once, quietly.
  const install = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  if (install.status === 0 && existsSync(pathFile)) return join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return null;
}

const binary = electronBinary();
if (binary) {
  const child = spawn(binary, ['dist/electron/main.cjs', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron’s binary is not installed and could not be downloaded here, so DB Desk starts in your browser instead (dbdesk serve).');
  const child = spawn(process.execPath, ['dist/cli.cjs', 'serve', ...args], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
