// Puts back the package-lock entries of optional platform packages that this machine's npm registry does not
// serve. dbmate ships its binary as @dbmate/<os>-<cpu> optional dependencies; the registry reachable here has
// only @dbmate/linux-x64, so `npm install` leaves the other five out of package-lock.json and `npm ci` then
// refuses the lock ("Missing: @dbmate/darwin-arm64@ from lock file"). An entry with os/cpu set is what npm
// writes where the registry has them; npm ci skips it on any other platform without fetching it.
// Run after every `npm install` that rewrites the lock (test/unit/app/package-lock.test.ts checks it).
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const platform = /^@dbmate\/(darwin|linux|win32|freebsd)-(x64|arm64|arm|ia32)$/.exec(name);
    if (!platform || lock.packages[`node_modules/${name}`]) continue;
    lock.packages[`node_modules/${name}`] = {
      version,
      cpu: [platform[2]],
      ...(entry.dev ? { dev: true } : {}),
      license: entry.license,
      optional: true,
      os: [platform[1]],
    };
    added.push(`${name}@${version} (wanted by ${path.replace(/^node_modules\//, '')})`);
  }
}
// npm orders the keys with localeCompare; keep its order so a later `npm install` changes nothing else.
const ordered = {};
for (const key of Object.keys(lock.packages).sort((a, b) => a.localeCompare(b, 'en'))) ordered[key] = lock.packages[key];
lock.packages = ordered;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `package-lock.json: added ${added.join(', ')}` : 'package-lock.json: nothing to add');
