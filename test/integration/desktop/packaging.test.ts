import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronSqliteBinding } from '../../../electron/app/sqlite-native';
import { ELECTRON_SQLITE_BINDING, recordedModuleVersion } from '../../../electron/core/native/sqlite-binding';
import { makeStandinElectronDist, readFuses } from '../../support/electron-dist';
import { copyWithRecordedAbi, electronAbi, nodeSqliteBuild } from '../../support/native-builds';

/**
 * The packaged layout: `electron-builder --dir` with this repository's electron-builder.yml, run
 * against a stand-in Electron distribution (no Electron zip can be downloaded here). Only the
 * native module's source folder and the output folder are swapped for temporary ones.
 *
 * What this machine can build is better-sqlite3 for Node's ABI, never Electron's (no headers). So:
 * - packing the genuine Node build must be refused by the afterPack check (a real ABI mismatch);
 * - the layout is checked on a package of a stand-in .node whose recorded NODE_MODULE_VERSION was
 *   rewritten to Electron's: it proves where the module goes and that the ABI it records is checked
 *   against node_modules/electron/abi_version — not that a real Electron build loads in Electron.
 */
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): Record<string, unknown> };
const asar = require('@electron/asar') as {
  listPackage(file: string, options: { isPack: boolean }): string[];
  statFile(archive: string, file: string): { unpacked?: boolean };
  extractFile(archive: string, file: string): Buffer;
};

const tmp = mkdtempSync(join(tmpdir(), 'dbdesk-pack-'));
const electronVersion = (require('electron/package.json') as { version: string }).version;
const dist = makeStandinElectronDist(join(tmp, 'electron-dist'), electronVersion);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Packs with the repository's configuration, the native module taken from `nativeDir`. */
function pack(name: string, nativeDir: string): Promise<{ code: number | null; output: string; appDir: string; ms: number }> {
  const config = yaml.load(readFileSync('electron-builder.yml', 'utf8'));
  const files = (config.files as (string | { from: string })[]).map((f) => (typeof f === 'object' && f.from === 'native/electron' ? { ...f, from: nativeDir } : f));
  expect(files.some((f) => typeof f === 'object' && f.from === nativeDir), 'electron-builder.yml takes the native module from native/electron').toBe(true);
  const out = join(tmp, name);
  const configFile = join(tmp, `${name}.json`);
  writeFileSync(configFile, JSON.stringify({ ...config, files, electronDist: dist, directories: { ...(config.directories as object), output: out } }));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('electron-builder/cli.js'), '--dir', '--linux', '--x64', '--config', configFile, '--projectDir', process.cwd()], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output, appDir: join(out, 'linux-unpacked'), ms: Date.now() - started }));
  });
}

function filesBelow(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else found.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return found;
}

let accepted: Awaited<ReturnType<typeof pack>>;
let refused: Awaited<ReturnType<typeof pack>>;

// The native module's stand-in folder sits where the real one does, below native/ in the project:
// electron-builder decides what to unpack by a file's path below the project, not where it lands.
const nativeRoot = join('native', `pack-test-${process.pid}-${Date.now()}`);
afterAll(() => rmSync(nativeRoot, { recursive: true, force: true }));

beforeAll(async () => {
  const claimsElectron = join(nativeRoot, 'claims-electron');
  const genuineNode = join(nativeRoot, 'node');
  mkdirSync(claimsElectron, { recursive: true });
  mkdirSync(genuineNode, { recursive: true });
  copyWithRecordedAbi(nodeSqliteBuild(), join(claimsElectron, 'better_sqlite3.node'), electronAbi());
  copyFileSync(nodeSqliteBuild(), join(genuineNode, 'better_sqlite3.node'));
  [accepted, refused] = await Promise.all([pack('accepted', claimsElectron), pack('refused', genuineNode)]);
}, 180_000);

describe('the packaged app (electron-builder --dir, stand-in Electron distribution)', () => {
  it('never rebuilds node_modules in place (that is the Node build the CLI and the tests load)', () => {
    expect(yaml.load(readFileSync('electron-builder.yml', 'utf8')).npmRebuild).toBe(false);
  });

  it('packs when the native module records Electron’s ABI', () => {
    expect(accepted.code, accepted.output).toBe(0);
    expect(existsSync(join(accepted.appDir, 'dbdesk'))).toBe(true);
  });

  it('app.asar holds the bundles, the worker files, the renderer and the demo seed — no source maps', () => {
    const inAsar = asar.listPackage(join(accepted.appDir, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    for (const f of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/worker.cjs', '/dist/sqlite-runner.cjs', '/dist/cli.cjs', '/dist/renderer/index.html', '/assets/demo/seed.sql', '/node_modules/better-sqlite3/lib/index.js']) {
      expect(inAsar, f).toContain(f);
    }
    expect(inAsar.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(inAsar.filter((f) => f.startsWith('/node_modules/better-sqlite3/') && /\/(build|deps|src)\//.test(f))).toEqual([]);
    const pkg = JSON.parse(asar.extractFile(join(accepted.appDir, 'resources', 'app.asar'), 'package.json').toString('utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.cjs');
  });

  it('no dev dependency is packed', () => {
    const inAsar = asar.listPackage(join(accepted.appDir, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    const packages = new Set(inAsar.map((f) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((x): x is string => !!x));
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(manifest.devDependencies).filter((d) => packages.has(d))).toEqual([]);
    for (const dep of Object.keys(manifest.dependencies)) expect(packages.has(dep), dep).toBe(true);
    // And every package the Node bundles load at run time is a dependency (a devDependency would be missing here).
    for (const bundle of ['dist/electron/main.cjs', 'dist/worker.cjs', 'dist/sqlite-runner.cjs', 'dist/cli.cjs']) {
      const required = [...readFileSync(bundle, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!).filter((r) => !r.startsWith('node:') && r !== 'electron');
      for (const r of required) expect(manifest.dependencies, `${bundle} requires ${r}`).toHaveProperty([/^(@[^/]+\/[^/]+|[^/]+)/.exec(r)![1]!]);
    }
  });

  it('the one native module is the Electron build, unpacked where the app looks for it, and records node_modules/electron/abi_version', () => {
    const resources = join(accepted.appDir, 'resources');
    const natives = filesBelow(accepted.appDir).filter((f) => f.endsWith('.node'));
    expect(natives).toEqual([join('resources', 'app.asar.unpacked', ELECTRON_SQLITE_BINDING)]);
    const shipped = join(accepted.appDir, natives[0]!);
    // Where the packaged main process resolves its binding from app.asar.
    expect(electronSqliteBinding(true, join(resources, 'app.asar'), {})).toBe(shipped);
    expect(asar.statFile(join(resources, 'app.asar'), ELECTRON_SQLITE_BINDING).unpacked).toBe(true);
    expect(recordedModuleVersion(shipped)).toBe(electronAbi());
  });

  it('the release fuses are burnt into the binary: no running as Node, no NODE_OPTIONS or --inspect, app only from the asar', () => {
    expect(readFuses(join(accepted.appDir, 'dbdesk'))).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packing a better-sqlite3 built for Node (what this machine builds) is refused, in one line that says what to do', () => {
    expect(refused.code).not.toBe(0);
    const lines = refused.output.split('\n').filter((l) => l.includes('Packaging refused'));
    expect(lines.length).toBeGreaterThan(0);
    expect(existsSync(refused.appDir), 'a refused package is not left behind').toBe(false);
    expect(lines[0]).toMatch(new RegExp(`was built for NODE_MODULE_VERSION ${process.versions.modules}, but Electron ${electronVersion.replace(/\./g, '\\.')} needs ${electronAbi()}\\. Run \`npm run rebuild:electron-sqlite\``));
    console.log(`electron-builder --dir: ${accepted.ms} ms packed, ${refused.ms} ms refused (in parallel)`);
  });
});
