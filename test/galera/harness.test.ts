import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Command lines of every live process that mention `text`. */
function processesMentioning(text: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(text)) out.push(`${pid} ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('the Galera test harness', () => {
  it('leaves no node process and no folder behind when the test process is killed outright', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-harness-'));
    const script = join(dir, 'start-and-die.mts');
    const harness = resolve('test/support/galera/galera-cluster.ts');
    writeFileSync(
      script,
      `import { GaleraCluster } from ${JSON.stringify(harness)};
       const cluster = await GaleraCluster.start(1);
       console.log('ROOT ' + cluster.root);
       process.kill(process.pid, 'SIGKILL'); // no afterAll, no exit hook: only the watchdog is left`,
    );
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const signal = await new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, sig) => r(sig)));
      expect(signal, out).toBe('SIGKILL');
      const root = /^ROOT (\S+)$/m.exec(out)?.[1];
      expect(root, out).toBeTruthy();
      // The node was really running when its owner died.
      expect(out).not.toMatch(/Error/);
      await expect.poll(() => processesMentioning(root!), { timeout: 15_000, interval: 250 }).toEqual([]);
      await expect.poll(() => existsSync(root!), { timeout: 15_000, interval: 250 }).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
