'use strict';
// A process that plays Electron's main process for dist/electron/main.cjs: 'electron' resolves to
// the stand-in, worker threads are counted, and the test drives it over IPC (see ../electron-standin.ts).
// Started with --require forbid-exec-path.cjs, so no thread here may fork process.execPath.
const Module = require('node:module');
const { join } = require('node:path');
const workerThreads = require('node:worker_threads');
const electron = require('./electron.cjs');

const { record } = electron;
const workers = { started: 0, exited: 0 };
const OriginalWorker = workerThreads.Worker;
workerThreads.Worker = class CountedWorker extends OriginalWorker {
  constructor(...args) {
    super(...args);
    workers.started++;
    this.once('exit', () => workers.exited++);
  }
};

const loadModule = Module._load;
Module._load = function load(request, ...rest) {
  return request === 'electron' ? electron : loadModule.call(this, request, ...rest);
};

electron.app.on('standin-exit', (code) => {
  process.send({ event: 'exit', code, state: state() });
  setTimeout(() => process.exit(code), 50);
});

function windowState(w) {
  const c = w.webContents;
  return {
    contentsId: c.id,
    options: w.options,
    url: c.url,
    destroyed: w.destroyed,
    shown: w.shown,
    sentEvents: c.sent.map((s) => s[1]),
    listens: c.eventNames().map(String),
  };
}

function state() {
  return {
    calls: record.calls,
    privileged: record.privileged,
    protocols: [...record.protocolHandlers.keys()],
    ipcChannels: [...record.ipcHandlers.keys(), ...record.ipcListeners.keys()],
    windows: record.windows.map(windowState),
    dialogs: record.dialogs,
    utilityForks: record.utilityForks,
    paths: record.paths,
    workers: { ...workers, live: workers.started - workers.exited },
  };
}

const win = (i) => {
  const w = record.windows[i];
  if (!w) throw new Error(`There is no window ${i}.`);
  return w;
};

const ops = {
  state,
  ready() {
    electron.markReady();
  },
  async fetch({ url }) {
    const handler = record.protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`No protocol handler for ${url}.`);
    const res = await handler(new Request(url));
    return { status: res.status, headers: Object.fromEntries(res.headers), body: new Uint8Array(await res.arrayBuffer()) };
  },
  async invoke({ window, frameUrl, subframe, contentsId, name, input, callId }) {
    const handler = record.ipcHandlers.get('dbdesk:invoke');
    const sender = contentsId !== undefined ? { id: contentsId } : win(window).webContents;
    return handler({ sender, senderFrame: { url: frameUrl ?? 'app://dbdesk/index.html', parent: subframe ? {} : null } }, name, input, callId);
  },
  /** What the preload's cancel(callId) sends: dbdesk:cancel with the id alone. */
  cancel({ window, frameUrl, subframe, contentsId, callId }) {
    const listener = record.ipcListeners.get('dbdesk:cancel');
    if (!listener) throw new Error('Nothing listens on dbdesk:cancel.');
    const sender = contentsId !== undefined ? { id: contentsId } : win(window).webContents;
    listener({ sender, senderFrame: { url: frameUrl ?? 'app://dbdesk/index.html', parent: subframe ? {} : null } }, callId);
  },
  sent({ window, event }) {
    return win(window).webContents.sent.filter((s) => s[1] === event).map((s) => s[2]);
  },
  reload({ window }) {
    win(window).webContents.reload();
  },
  crash({ window, reason }) {
    const c = win(window).webContents;
    c.emit('render-process-gone', { preventDefault() {} }, { reason, exitCode: 139 });
  },
  close({ window }) {
    win(window).close();
  },
  secondInstance() {
    electron.app.emit('second-instance', { preventDefault() {} }, ['dbdesk'], process.cwd(), {});
  },
  messageBoxResponse({ response }) {
    record.messageBoxResponse = response;
  },
  /** What the next open/save dialogs answer: `path`, or dismissed when `canceled`. */
  pathAnswer({ canceled, path }) {
    record.pathAnswer = { canceled: Boolean(canceled), path: path ?? null };
  },
};

process.on('message', async (msg) => {
  try {
    const value = await ops[msg.op](msg.args ?? {});
    process.send({ id: msg.id, ok: true, value });
  } catch (err) {
    process.send({ id: msg.id, ok: false, error: err.stack ?? String(err) });
  }
});

require(join(__dirname, '..', '..', '..', 'dist', 'electron', 'main.cjs'));
process.send({ event: 'loaded' });
