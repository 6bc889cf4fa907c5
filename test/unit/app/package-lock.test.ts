import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm ci` (what .ci/run runs on a clean clone) refuses a lock that lacks an entry for any dependency a locked
// package declares, optional platform packages included. This machine's registry serves only some of them
// (dbmate's @dbmate/linux-x64, not the other platforms), so a plain `npm install` here writes a lock that CI
// then refuses. scripts/lock-foreign-platforms.mjs puts the entries back.
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
};

/** Where Node would find `name` from the package at `from`: its own node_modules, then each parent's. */
function resolves(from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

describe('package-lock.json', () => {
  it('has an entry for every dependency a locked package declares, so npm ci accepts it', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const wanted = { ...entry.dependencies, ...entry.optionalDependencies, ...(path === '' ? entry.devDependencies : {}) };
      for (const name of Object.keys(wanted)) if (!resolves(path, name)) missing.push(`${name} (wanted by ${path || 'the project'})`);
    }
    expect(missing, 'run: node scripts/lock-foreign-platforms.mjs').toEqual([]);
  });
});
