import { execFileSync, spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { chownSync } from 'node:fs';

/** Whether this process runs as root (then servers must be started as their own OS users). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** uid/gid of an OS account, for chown. */
export function accountIds(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
  return { uid, gid };
}

/** Gives a path to an OS account when running as root (no-op otherwise). */
export function chownTo(path: string, user: string): void {
  if (!isRoot()) return;
  const { uid, gid } = accountIds(user);
  chownSync(path, uid, gid);
}

/** The command line that runs `argv` as `user` when we are root, or as ourselves otherwise. */
export function asUser(user: string, argv: string[]): [string, string[]] {
  if (!isRoot()) return [argv[0]!, argv.slice(1)];
  return ['runuser', ['-u', user, '--', ...argv]];
}

/** Runs a command as `user` and waits; throws with its output when it fails. */
export function runAsSync(user: string, argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  const [cmd, args] = asUser(user, argv);
  const r = spawnSync(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error?.message}`);
  return r.stdout;
}

/** Runs a command as `user` and resolves with its exit code and output (never throws for a non-zero exit). */
export function runAs(user: string, argv: string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [cmd, args] = asUser(user, argv);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
