import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * In the packaged app process.execPath is DB Desk's own binary and its runAsNode fuse is off:
 * child_process.fork (which always runs process.execPath) or a spawn of it starts a second copy of
 * the app, not a Node child. So no module of the desktop app's processes may start a process
 * except through a runner launcher, which the desktop app points at Electron's utilityProcess.
 * (test/integration/desktop/main-process.test.ts checks the same at run time: there every fork of
 * process.execPath from any thread is logged and fails.)
 */
const root = process.cwd();
const desktopEntries = {
  main: 'electron/app/main.ts',
  preload: 'electron/preload/preload.ts',
  worker: 'electron/core/worker/worker-main.ts',
  'sqlite-runner': 'electron/core/engines/sqlite/sqlite-runner-main.ts',
};

async function desktopModuleGraph(): Promise<Record<string, { imports: { path: string }[] }>> {
  const result = await build({
    entryPoints: desktopEntries,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    external: ['electron'],
    outdir: 'out',
    logLevel: 'silent',
    absWorkingDir: root,
    define: { 'import.meta.url': '""' },
  });
  return result.metafile.inputs;
}

describe('processes of the desktop app', () => {
  it('only the Node runner launcher can start a child process; nothing else imports child_process', async () => {
    const inputs = await desktopModuleGraph();
    const starters = Object.entries(inputs)
      .filter(([, m]) => m.imports.some((i) => i.path === 'node:child_process' || i.path === 'child_process'))
      .map(([file]) => file);
    // The one other place: the database's own client tools (pg_dump, mariadb-dump…) for backup and restore, by name
    // from PATH; it refuses to start process.execPath.
    expect([...starters].sort(), 'route new processes through runner/runner-launcher.ts (LaunchRunner)').toEqual(['electron/core/runner/fork-runner.ts', 'features/backup/core/tool-process.ts'].sort());
    const forkRunnerUsers = Object.entries(inputs)
      .filter(([, m]) => m.imports.some((i) => i.path === 'electron/core/runner/fork-runner.ts'))
      .map(([file]) => file);
    // The launcher is the one place that decides; the desktop app's worker tells it to relay to the main process.
    expect(forkRunnerUsers).toEqual(['electron/core/runner/runner-launcher.ts']);
  });

  it('every SQLite database is opened through openSqlite, so every thread loads the same checked build', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(e.name) && /new Database\(/.test(readFileSync(path, 'utf8'))) offenders.push(relative(root, path));
      }
    };
    for (const dir of ['electron', 'features', 'shared']) walk(join(root, dir));
    expect(offenders).toEqual(['electron/core/native/open-sqlite.ts']);
  });
});
