import { fork } from 'node:child_process';
import type { RunnerChannel } from './runner-channel';

/** A runner as a Node child process (CLI, browser shell, tests). Structured-clone IPC keeps BigInt and bytes intact. */
export function forkRunner(modulePath: string): RunnerChannel {
  const child = fork(modulePath, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A message to a process that just died must not throw into the caller.
  child.on('error', () => undefined);
  return {
    send(message) {
      if (child.connected) child.send(message as never);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      child.once('exit', (code) => listener(code));
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
