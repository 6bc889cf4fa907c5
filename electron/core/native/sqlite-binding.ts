import { closeSync, existsSync, openSync, readSync, fstatSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native addon built against V8's own API (not N-API), so a build loads only
 * in the runtime whose NODE_MODULE_VERSION (the "ABI") it was compiled for: Node 20 is 115,
 * Electron 45 is 150. Node and Electron therefore each need their own build. The Node build stays
 * where npm puts it (node_modules/better-sqlite3/build/Release) for the CLI, the browser shell and
 * the tests; the Electron build is made separately (scripts/electron-sqlite.mjs) into
 * ELECTRON_SQLITE_BINDING and handed to better-sqlite3 through its `nativeBinding` option.
 *
 * This file has no dependencies beyond node:fs so the packaging hook and scripts can load it too.
 */

/** Where the Electron build of better-sqlite3 lives, below the package root (app.asar.unpacked when packaged). */
export const ELECTRON_SQLITE_BINDING = join('native', 'electron', 'better_sqlite3.node');

/** The environment variable that names the build every thread and runner process of the desktop app loads. */
export const SQLITE_BINDING_ENV = 'DBDESK_SQLITE_BINDING';

const MARKER = Buffer.from('node_register_module_v', 'latin1');

/**
 * The NODE_MODULE_VERSION a native addon was built for, read from the file itself: an addon made
 * with NODE_MODULE_INIT exports `node_register_module_v<N>` (ELF, Mach-O and PE alike). Null when
 * the file records none (not such an addon).
 */
export function recordedModuleVersion(file: string): number | null {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(fstatSync(fd).size);
    readSync(fd, bytes, 0, bytes.length, 0);
    for (let at = bytes.indexOf(MARKER); at >= 0; at = bytes.indexOf(MARKER, at + 1)) {
      let end = at + MARKER.length;
      while (end < bytes.length && bytes[end]! >= 0x30 && bytes[end]! <= 0x39) end++;
      if (end > at + MARKER.length) return Number(bytes.toString('latin1', at + MARKER.length, end));
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/** This runtime, as people know it: "Electron 45.5.0" or "Node v20.20.2". */
export function runtimeLabel(): string {
  return process.versions.electron ? `Electron ${process.versions.electron}` : `Node ${process.version}`;
}

/**
 * Why `file` cannot be loaded by a runtime of NODE_MODULE_VERSION `expected` (one line), or null
 * when it records exactly that version. Checked before the module is ever loaded: a mismatched
 * addon would otherwise fail deep inside the first database open.
 */
export function sqliteBindingProblem(file: string, expected: number, runtime = runtimeLabel()): string | null {
  if (!existsSync(file)) return `The SQLite module for ${runtime} is missing: ${file} does not exist.`;
  let recorded: number | null;
  try {
    recorded = recordedModuleVersion(file);
  } catch (err) {
    return `The SQLite module ${file} cannot be read (${(err as Error).message}).`;
  }
  if (recorded === null) return `The SQLite module ${file} records no NODE_MODULE_VERSION: it is not a build of better-sqlite3.`;
  if (recorded !== expected) return `The SQLite module ${file} was built for NODE_MODULE_VERSION ${recorded}, but ${runtime} needs ${expected}.`;
  return null;
}
