import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of this module, bundled (the build defines import.meta.url) or from source. */
function hereDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

/** The package root: the nearest folder above this file whose package.json names "dbdesk". */
export function packageRoot(): string {
  let dir = hereDir();
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'dbdesk') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('Cannot find the dbdesk package root.');
    dir = up;
  }
}

/** Built artefacts (worker bundle, renderer) live in dist/ at the package root. */
export function distPath(...parts: string[]): string {
  return join(packageRoot(), 'dist', ...parts);
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where the app keeps its store unless --data-dir / DBDESK_DATA_DIR say otherwise. */
export function defaultDataDir(): string {
  const home = homedir();
  switch (process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'DB Desk');
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'DB Desk');
    default:
      return join(process.env.XDG_DATA_HOME || join(home, '.local', 'share'), 'dbdesk');
  }
}

/**
 * The encryption key of the file-based secret store sits apart from the store: in the user's
 * config folder by default. When the data folder is overridden (tests, portable installs) the key
 * goes next to it so nothing of the user's own setup is touched. DBDESK_KEY_FILE overrides both.
 */
export function defaultKeyFile(dataDirOverridden: boolean, dataDir: string): string {
  if (process.env.DBDESK_KEY_FILE) return process.env.DBDESK_KEY_FILE;
  if (dataDirOverridden) return join(dataDir, 'keys', 'secret.key');
  const home = homedir();
  switch (process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Preferences', 'DB Desk', 'secret.key');
    case 'win32':
      return join(process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'DB Desk', 'secret.key');
    default:
      return join(process.env.XDG_CONFIG_HOME || join(home, '.config'), 'dbdesk', 'secret.key');
  }
}

/** `--data-dir DIR` beats DBDESK_DATA_DIR beats the platform default. */
export function resolveDataDir(flag: string | undefined): { dataDir: string; overridden: boolean } {
  if (flag) return { dataDir: flag, overridden: true };
  if (process.env.DBDESK_DATA_DIR) return { dataDir: process.env.DBDESK_DATA_DIR, overridden: true };
  return { dataDir: defaultDataDir(), overridden: false };
}
