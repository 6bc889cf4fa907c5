// `npm run rebuild:electron-sqlite`: builds better-sqlite3 for the installed Electron into
// native/electron/better_sqlite3.node, which the desktop app loads through better-sqlite3's
// `nativeBinding` option. The Node build in node_modules — the one the CLI, the browser shell and
// the tests load — is never touched: the module is copied to native/.build/ and rebuilt there by
// @electron/rebuild (a prebuilt binary when one can be downloaded, else node-gyp with Electron's
// headers from electronjs.org). Needs Node ≥ 22.12 (Electron's tooling) and that network access.
//
//   --if-needed   do nothing when the build there already records this Electron's ABI and this better-sqlite3
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { ELECTRON_SQLITE_BINDING, recordedModuleVersion } = await tsImport('../electron/core/native/sqlite-binding.ts', import.meta.url);

const target = join(root, ELECTRON_SQLITE_BINDING);
const infoFile = join(dirname(target), 'build.json');
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const abi = Number(readFileSync(join(electronDir, 'abi_version'), 'utf8').trim());
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
const wanted = { electron: electronVersion, abi, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch };

// A private copy to build in, inside the repository so prebuild-install (node_modules/) is found from it.
const stage = join(root, 'native', '.build');

function fail(line) {
  rmSync(stage, { recursive: true, force: true });
  console.error(`electron-sqlite: ${line}`);
  process.exit(1);
}

if (process.argv.includes('--if-needed') && existsSync(target) && existsSync(infoFile)) {
  const info = JSON.parse(readFileSync(infoFile, 'utf8'));
  const current = Object.keys(wanted).every((k) => info[k] === wanted[k]);
  if (current && recordedModuleVersion(target) === abi) process.exit(0);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  fail(`building better-sqlite3 for Electron ${electronVersion} needs Node ≥ 22.12 (Electron's tooling); this is Node ${process.version}.`);
}

// npm's `nodedir` setting makes node-gyp build against the local Node's headers while @electron/rebuild
// reports success: the result would be a Node build under an Electron name. Cleared here, checked below.
for (const k of Object.keys(process.env)) if (/^npm_config_nodedir$/i.test(k)) delete process.env[k];

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'node_modules'), { recursive: true });
cpSync(sqliteDir, join(stage, 'node_modules', 'better-sqlite3'), { recursive: true, filter: (src) => !src.startsWith(join(sqliteDir, 'build')) });
writeFileSync(join(stage, 'package.json'), JSON.stringify({ name: 'dbdesk-electron-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }));

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (NODE_MODULE_VERSION ${abi}, ${process.platform}-${process.arch})…`);
try {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: stage, electronVersion, arch: process.arch, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
} catch (err) {
  fail(`@electron/rebuild failed: ${String(err?.message ?? err).split('\n')[0]} (it needs Electron's headers from https://www.electronjs.org/headers, or a prebuilt binary from GitHub).`);
}

const built = join(stage, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(built)) fail(`@electron/rebuild reported success but left no ${built}.`);
const recorded = recordedModuleVersion(built);
if (recorded !== abi) {
  fail(`@electron/rebuild left a build for NODE_MODULE_VERSION ${recorded}, not Electron ${electronVersion}'s ${abi}: check npm's nodedir setting (npm config get nodedir) and node-gyp's environment.`);
}
mkdirSync(dirname(target), { recursive: true });
cpSync(built, `${target}.tmp`);
renameSync(`${target}.tmp`, target);
writeFileSync(infoFile, `${JSON.stringify(wanted, null, 2)}\n`);
rmSync(stage, { recursive: true, force: true });
console.log(`Built ${target} (NODE_MODULE_VERSION ${abi}).`);
