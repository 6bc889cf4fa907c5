import { execFile, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { CoreError } from '../../../electron/core/errors';

export interface ToolRun {
  command: string;
  args: string[];
  /** Added to this process's environment (passwords, PGSSLMODE…). */
  env?: Record<string, string | undefined>;
  stdin?: Readable;
  stdout?: Writable;
  onStderrLine?: (line: string) => void;
  /** Lines of the tool's verbose chatter (progress), left out of the error text. */
  isChatter?: (line: string) => boolean;
  signal: AbortSignal;
  onSpawn?: (pid: number) => void;
  /** What to install when the tool is missing. */
  installHint: string;
}

/** How much of the tool's error output is kept for the message (the end says what failed). */
const STDERR_KEEP = 16 * 1024;

/**
 * Runs a client tool with an argument array (never a shell). Cancel kills it (SIGTERM, then SIGKILL
 * after 3 s) and rejects with `cancelled`; a non-zero exit rejects with the tool's own error text.
 */
export function runTool(run: ToolRun): Promise<void> {
  return new Promise((resolve, reject) => {
    refuseOwnBinary(run.command);
    if (run.signal.aborted) return reject(new CoreError('cancelled', 'Cancelled.'));
    const env: NodeJS.ProcessEnv = { ...process.env, ...run.env };
    // Undefined removes an inherited variable (a PGPASSWORD of the user's shell must not win over the passfile).
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const child = spawn(run.command, run.args, {
      shell: false,
      env,
      stdio: [run.stdin ? 'pipe' : 'ignore', run.stdout ? 'pipe' : 'ignore', 'pipe'],
      windowsHide: true,
    });
    let stderr = '';
    let partial = '';
    let cancelled = false;
    let killTimer: NodeJS.Timeout | null = null;
    const onAbort = () => {
      cancelled = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
    };
    run.signal.addEventListener('abort', onAbort, { once: true });
    child.once('spawn', () => {
      if (child.pid !== undefined) run.onSpawn?.(child.pid);
    });
    child.stderr!.setEncoding('utf8');
    const onLine = (line: string) => {
      if (!line.trim()) return;
      run.onStderrLine?.(line);
      if (!run.isChatter?.(line)) stderr = `${stderr}${line}\n`.slice(-STDERR_KEEP);
    };
    child.stderr!.on('data', (text: string) => {
      partial += text;
      const lines = partial.split(/\r?\n/);
      partial = lines.pop()!;
      lines.forEach(onLine);
    });
    let pipeError: Error | null = null;
    if (run.stdout) {
      child.stdout!.pipe(run.stdout, { end: false });
      run.stdout.once('error', (err) => {
        pipeError = err;
        child.kill('SIGTERM');
      });
    }
    if (run.stdin) {
      // The tool may stop reading (it failed): its error text matters, not the broken pipe.
      child.stdin!.on('error', () => undefined);
      run.stdin.on('error', (err) => {
        pipeError = err;
        child.kill('SIGTERM');
      });
      run.stdin.pipe(child.stdin!);
    }
    child.once('error', (err: NodeJS.ErrnoException) => {
      run.signal.removeEventListener('abort', onAbort);
      if (err.code === 'ENOENT') reject(new CoreError('unsupported', `${run.command} was not found on this machine. ${run.installHint}`, { tool: run.command, missing: true }));
      else reject(new CoreError('internal', `${run.command} could not start: ${err.message}`, { tool: run.command }));
    });
    child.once('close', (code, sig) => {
      run.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      onLine(partial);
      if (cancelled) return reject(new CoreError('cancelled', 'Cancelled.'));
      if (pipeError) return reject(new CoreError('internal', `${run.command}: ${pipeError.message}`, { tool: run.command }));
      if (code === 0) return resolve();
      const text = stderr.trim() || `${run.command} exited with ${code ?? sig}.`;
      reject(new CoreError('query-failed', `${run.command} failed: ${text}`, { tool: run.command, exitCode: code, toolOutput: text }));
    });
  });
}

/**
 * Only a database's client tool is started here, never this program's own binary: in the packaged
 * app that is DB Desk itself (runners go through electron/core/runner/runner-launcher.ts).
 */
function refuseOwnBinary(command: string): void {
  if (command === process.execPath || command === process.argv0) throw new CoreError('internal', 'A client tool cannot be DB Desk’s own binary.');
}

/** The first line a tool prints for `--version`; a tool that cannot be run says what to install. */
export function toolVersionText(command: string, installHint: string): Promise<string> {
  refuseOwnBinary(command);
  return new Promise((resolve, reject) => {
    execFile(command, ['--version'], { shell: false, timeout: 15_000, windowsHide: true }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new CoreError('unsupported', `${command} was not found on this machine. ${installHint}`, { tool: command, missing: true }));
        return reject(new CoreError('unsupported', `${command} --version failed: ${err.message}`, { tool: command }));
      }
      resolve(stdout.split('\n')[0]!.trim());
    });
  });
}

/** "15.20" → [15, 20]; "10.11.19-MariaDB" → [10, 11, 19]. */
export function versionParts(text: string): number[] {
  const m = /(\d+(?:\.\d+)*)/.exec(text);
  return m ? m[1]!.split('.').map(Number) : [];
}

/** Compares version numbers part by part over the first `depth` parts; negative when a < b. */
export function compareVersions(a: number[], b: number[], depth: number): number {
  for (let i = 0; i < depth; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
