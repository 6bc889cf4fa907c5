// electron-builder's afterPack hook: refuses a package whose native modules are not built for the
// Electron it ships. It reads the NODE_MODULE_VERSION recorded in every .node file that was
// packed (app.asar.unpacked) and compares it with node_modules/electron/abi_version; the Electron
// build of better-sqlite3 must be there. A mismatched package would start with an error dialog on
// every user's machine (or, before that check existed, not start at all).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const require = createRequire(import.meta.url);

function nativeModulesIn(dir) {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.node')) found.push(join(d, e.name));
    }
  };
  walk(dir);
  return found;
}

export default async function afterPack(context) {
  const { ELECTRON_SQLITE_BINDING, recordedModuleVersion, sqliteBindingProblem } = await tsImport('../../electron/core/native/sqlite-binding.ts', import.meta.url);
  const electronDir = dirname(require.resolve('electron/package.json'));
  const installed = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  const abi = Number(readFileSync(join(electronDir, 'abi_version'), 'utf8').trim());
  const packaged = context.packager.config.electronVersion ?? installed;
  const refuse = (why) => {
    // Nothing that fails this check is left where it could be shipped.
    rmSync(context.appOutDir, { recursive: true, force: true });
    throw new Error(`Packaging refused: ${why} Run \`npm run rebuild:electron-sqlite\` (Node ≥ 22.12, with access to Electron's headers) and package again.`);
  };
  if (packaged !== installed) refuse(`the package gets Electron ${packaged}, but node_modules/electron (whose abi_version the native modules are checked against) is ${installed}.`);

  const unpacked = join(context.packager.getResourcesDir(context.appOutDir), 'app.asar.unpacked');
  const problem = sqliteBindingProblem(join(unpacked, ELECTRON_SQLITE_BINDING), abi, `Electron ${installed}`);
  if (problem) refuse(problem);
  for (const file of nativeModulesIn(unpacked)) {
    // N-API modules record no NODE_MODULE_VERSION and load in any runtime.
    const recorded = recordedModuleVersion(file);
    if (recorded !== null && recorded !== abi) refuse(`${relative(context.appOutDir, file)} was built for NODE_MODULE_VERSION ${recorded}, but Electron ${installed} needs ${abi}.`);
  }
}
