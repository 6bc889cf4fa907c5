import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { recordedModuleVersion } from '../../electron/core/native/sqlite-binding';

const require = createRequire(import.meta.url);

/** The better-sqlite3 build npm made for this Node: the only one this machine can build (no Electron headers). */
export function nodeSqliteBuild(): string {
  return join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
}

/** The NODE_MODULE_VERSION Electron's npm package declares for the Electron it installs. */
export function electronAbi(): number {
  return Number(readFileSync(join(dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim());
}

/**
 * A copy of a native addon whose recorded NODE_MODULE_VERSION says `abi` instead: a stand-in that
 * claims another runtime's ABI (the digits of `node_register_module_v<N>` rewritten in place, so the
 * length must match). It cannot be loaded by anything; it tests what reads the recorded version.
 */
export function copyWithRecordedAbi(source: string, dest: string, abi: number): void {
  const from = recordedModuleVersion(source);
  if (from === null || String(from).length !== String(abi).length) throw new Error(`Cannot rewrite ABI ${from} of ${source} as ${abi}.`);
  const bytes = readFileSync(source);
  const marker = Buffer.from(`node_register_module_v${from}`, 'latin1');
  const replacement = Buffer.from(`node_register_module_v${abi}`, 'latin1');
  for (let at = bytes.indexOf(marker); at >= 0; at = bytes.indexOf(marker, at + 1)) replacement.copy(bytes, at);
  writeFileSync(dest, bytes);
  if (recordedModuleVersion(dest) !== abi) throw new Error(`Rewriting the ABI of ${dest} failed.`);
}

