import { distPath } from '../paths';
import { forkRunner } from './fork-runner';
import type { LaunchRunner, RunnerChannel } from './runner-channel';

/**
 * How this thread starts runner processes: a forked Node child of the runner bundle, unless it was
 * told otherwise. The desktop app's session workers are: they relay to the main process, which
 * starts a utilityProcess — Electron's own binary must never be forked, since the release build
 * cannot run as Node (the runAsNode fuse is off) and would start a second DB Desk instead.
 */
let launcher: LaunchRunner = () => forkRunner(distPath('sqlite-runner.cjs'));

export function setRunnerLauncher(launch: LaunchRunner): void {
  launcher = launch;
}

export function launchRunner(): RunnerChannel {
  return launcher();
}
