// `npm start`: the Electron app where Electron's binary is (or can be) installed and better-sqlite3
// is (or can be) built for it; otherwise one line saying why and the browser shell instead.
// Arguments after `--` go to the app (e.g. --data-dir DIR).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const [major, minor] = process.versions.node.split('.').map(Number);
// electron ≥ 42 (its lazy download, @electron/get) and @electron/rebuild declare Node ≥ 22.12.
const electronTooling = major > 22 || (major === 22 && minor >= 12);

/** The Electron binary, downloading it once if this Node can; or why there is none. */
function electronBinary() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { why: 'Electron is not installed (npm install)' };
  }
  const pathFile = join(dir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return { binary: join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe ?? 'electron') };
  if (exe && existsSync(join(dir, 'dist', exe))) return { binary: join(dir, 'dist', exe) };
  if (!electronTooling) return { why: `Electron’s binary is not installed, and downloading it needs Node ≥ 22.12 (this is Node ${process.version})` };
  // Electron ≥ 42 downloads its binary on first use; try once, quietly.
  const install = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  if (install.status === 0 && existsSync(pathFile)) return { binary: join(dir, 'dist', readFileSync(pathFile, 'utf8')) };
  return { why: 'Electron’s binary is not installed and could not be downloaded here' };
}

function browserShell(why) {
  console.log(`${why}, so DB Desk starts in your browser instead (dbdesk serve).`);
  const child = spawn(process.execPath, ['dist/cli.cjs', 'serve', ...args], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

const { binary, why } = electronBinary();
if (!binary) browserShell(why);
else {
  // better-sqlite3 for Electron's ABI, apart from the Node build the CLI uses; nothing to do when it is current.
  const sqlite = spawnSync(process.execPath, ['scripts/electron-sqlite.mjs', '--if-needed'], { stdio: 'inherit' });
  if (sqlite.status !== 0) browserShell('better-sqlite3 could not be built for Electron (see above)');
  else {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const child = spawn(binary, ['dist/electron/main.cjs', ...args], { stdio: 'inherit', env });
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
