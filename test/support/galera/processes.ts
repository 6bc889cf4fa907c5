import { readdirSync, readFileSync } from 'node:fs';

/**
 * Process-group bookkeeping from /proc. Each node runs in its own process group (spawned detached,
 * i.e. setsid), which also holds its SST helpers (wsrep_sst_rsync, rsync --daemon), so one signal
 * to the group reaches all of them.
 */

/** Non-zombie processes of a group. Zombies are ignored: PID 1 here takes ~2 s to reap orphans. */
export function liveMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone between readdir and read
    }
    // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(name));
  }
  return out;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Waits until no live process is left in the group; false when `timeoutMs` passed first. */
export async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (liveMembers(pgid).length > 0) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Whether a process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Whether any live member of the group was started for the cluster in `root` (its command line names it). */
export function groupBelongsTo(pgid: number, root: string): boolean {
  return liveMembers(pgid).some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(root);
    } catch {
      return false;
    }
  });
}
