import { utilityProcess } from 'electron';
import { distPath } from '../core/paths';
import type { LaunchRunner } from '../core/runner/runner-channel';

/**
 * Runner processes in Electron: a utilityProcess, because the release build turns the runAsNode
 * fuse off (so child_process.fork of Electron's own binary cannot work). Electron's advice for
 * "a SQLite server process" is exactly this.
 */
export const launchUtilityRunner: LaunchRunner = () => {
  const child = utilityProcess.fork(distPath('sqlite-runner.cjs'), [], { serviceName: 'DB Desk SQLite runner', stdio: 'inherit' });
  let alive = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      alive = false;
      resolve();
    }),
  );
  return {
    send: (message) => {
      if (alive) child.postMessage(message);
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.once('exit', (code: number) => listener(code)),
    kill: async () => {
      if (alive) child.kill();
      await exited;
    },
  };
};
