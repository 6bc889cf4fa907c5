'use strict';
// Loaded with --require into every thread of the stand-in Electron process (Node runs --require
// in worker threads too) and into its utility processes. In a packaged DB Desk, process.execPath is
// the app's own binary, and the runAsNode fuse is off: forking or spawning it starts a second copy
// of the app instead of a Node child. So here every fork, spawn or exec of process.execPath is
// written to DBDESK_STANDIN_FORK_LOG and fails. The stand-in's utilityProcess uses the original fork.
const childProcess = require('node:child_process');
const { appendFileSync } = require('node:fs');
const { isMainThread, threadId } = require('node:worker_threads');

const original = { ...childProcess };
const where = () => ({ thread: isMainThread ? 'main' : `worker ${threadId}`, pid: process.pid });
// Recorded so a test can tell the trap really is in every thread and process it means to watch.
if (process.env.DBDESK_STANDIN_FORK_LOG) appendFileSync(process.env.DBDESK_STANDIN_FORK_LOG, `${JSON.stringify({ api: 'loaded', ...where() })}\n`);
globalThis.__dbdeskStandinFork = original.fork;

function refuse(api, file, args) {
  const entry = { api, file, args: (Array.isArray(args) ? args : []).map(String), ...where() };
  if (process.env.DBDESK_STANDIN_FORK_LOG) appendFileSync(process.env.DBDESK_STANDIN_FORK_LOG, `${JSON.stringify(entry)}\n`);
  throw new Error(`A desktop code path called child_process.${api} on process.execPath (${file}): in the packaged app that starts a second DB Desk. Start a runner (LaunchRunner) instead.`);
}

const optionsOf = (args, options) => (Array.isArray(args) ? options : args) ?? {};
const isExecPath = (file) => file === process.execPath;

childProcess.fork = function fork(modulePath, args, options) {
  const opts = optionsOf(args, options);
  if (!opts.execPath || isExecPath(opts.execPath)) refuse('fork', opts.execPath ?? process.execPath, [modulePath, ...(Array.isArray(args) ? args : [])]);
  return original.fork.apply(this, arguments);
};
for (const api of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) {
  childProcess[api] = function (file, args) {
    if (isExecPath(file)) refuse(api, file, args);
    return original[api].apply(this, arguments);
  };
}
for (const api of ['exec', 'execSync']) {
  childProcess[api] = function (command) {
    if (typeof command === 'string' && (command.startsWith(process.execPath) || command.startsWith(`"${process.execPath}"`))) refuse(api, command, []);
    return original[api].apply(this, arguments);
  };
}
