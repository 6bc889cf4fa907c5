import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A watchdog outside the test process: when the test process dies without cleaning up (SIGKILL,
 * a crashed vitest worker, Ctrl-C), it SIGKILLs every node's process group and removes the cluster's
 * folder. It exits by itself once the folder is gone (the normal cleanup removed it).
 */
// bash, not sh: dash's kill builtin does not take a negative pid (a process group).
const SCRIPT = `
parent=$1; root=$2
alive() { [ -r "/proc/$parent/stat" ] && ! sed 's/.*) //' "/proc/$parent/stat" | grep -q '^Z'; }
while alive && [ -d "$root" ]; do sleep 0.5; done
[ -d "$root" ] || exit 0
killall_groups() { for f in "$root"/n*/pgid; do [ -f "$f" ] && kill -KILL -- "-$(cat "$f")" 2>/dev/null; done; }
killall_groups; sleep 1; killall_groups
rm -rf "$root"
`;

export function startReaper(root: string): number {
  const script = join(root, 'reaper.sh');
  writeFileSync(script, SCRIPT);
  const child = spawn('/bin/bash', [script, String(process.pid), root], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}
