'use strict';
// A stand-in for the 'electron' module of the main process, for running the built main bundle under
// Node (no Electron binary can be downloaded on the team's machines). It does what Electron does
// with the calls DB Desk makes — windows whose page loads start a main-frame navigation, a reload
// that starts another, renderer crashes, utility processes — and records everything it is asked.
const { EventEmitter } = require('node:events');

const record = {
  calls: [],
  privileged: [],
  protocolHandlers: new Map(),
  ipcHandlers: new Map(),
  /** ipcMain.on channels (messages without an answer: dbdesk:cancel). */
  ipcListeners: new Map(),
  windows: [],
  dialogs: [],
  utilityForks: [],
  paths: {},
  messageBoxResponse: 0,
  /** What showOpenDialog/showSaveDialog answer: a path, or dismissed (set by the test). */
  pathAnswer: { canceled: true, path: null },
  ready: false,
};

let resolveReady;
const whenReady = new Promise((resolve) => (resolveReady = resolve));

class StandinApp extends EventEmitter {
  isPackaged = false;
  whenReady() {
    return whenReady;
  }
  isReady() {
    return record.ready;
  }
  requestSingleInstanceLock() {
    record.calls.push('app.requestSingleInstanceLock');
    return process.env.DBDESK_STANDIN_SECOND_INSTANCE !== '1';
  }
  setPath(name, value) {
    if (record.ready) throw new Error(`app.setPath('${name}') after ready has no effect on the profile in Electron.`);
    record.paths[name] = value;
  }
  getPath(name) {
    return record.paths[name] ?? `/standin/${name}`;
  }
  quit() {
    record.calls.push('app.quit');
    this.emit('standin-exit', 0);
  }
  exit(code = 0) {
    record.calls.push(`app.exit(${code})`);
    this.emit('standin-exit', code);
  }
}
const app = new StandinApp();

let nextContentsId = 1;
class WebContents extends EventEmitter {
  id = nextContentsId++;
  sent = [];
  url = '';
  destroyed = false;
  windowOpenHandler = null;
  permissionRequestHandler = null;
  permissionCheckHandler = null;
  session = {
    setPermissionRequestHandler: (h) => (this.permissionRequestHandler = h),
    setPermissionCheckHandler: (h) => (this.permissionCheckHandler = h),
  };
  constructor(win) {
    super();
    this.win = win;
  }
  setWindowOpenHandler(h) {
    this.windowOpenHandler = h;
  }
  send(channel, ...args) {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push([channel, ...args]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** What Electron does for loadURL and reload: a main-frame, cross-document navigation starts, then the page loads. */
  navigate(url) {
    this.emit('did-start-navigation', { url, isMainFrame: true, isSameDocument: false, preventDefault() {} }, url, false, true);
    this.url = url;
    this.emit('did-finish-load');
    this.win.emit('ready-to-show');
  }
  reload() {
    this.navigate(this.url);
  }
}

class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return record.windows.filter((w) => !w.destroyed);
  }
  destroyed = false;
  shown = false;
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents(this);
    record.windows.push(this);
  }
  loadURL(url) {
    record.calls.push(`loadURL ${url}`);
    this.webContents.navigate(url);
    return Promise.resolve();
  }
  show() {
    this.shown = true;
  }
  focus() {}
  isMinimized() {
    return false;
  }
  restore() {}
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    if (this.destroyed) return;
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.webContents.emit('destroyed');
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

/** Electron's utilityProcess, played by a Node child on the same IPC messages (never a fork of process.execPath as such: see forbid-exec-path.cjs). */
const utilityProcess = {
  fork(modulePath, args = [], options = {}) {
    record.utilityForks.push({ modulePath, serviceName: options.serviceName });
    const fork = globalThis.__dbdeskStandinFork ?? require('node:child_process').fork;
    const child = fork(modulePath, args, {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: options.env ?? process.env,
      execArgv: process.execArgv.filter((a, i, all) => a === '--require' || all[i - 1] === '--require'),
    });
    const proc = new EventEmitter();
    child.on('message', (m) => proc.emit('message', m));
    child.once('exit', (code) => proc.emit('exit', code ?? -1));
    proc.pid = child.pid;
    proc.postMessage = (m) => {
      if (child.connected) child.send(m);
    };
    proc.kill = () => child.kill('SIGKILL');
    return proc;
  },
};

module.exports = {
  record,
  markReady() {
    record.ready = true;
    resolveReady();
  },
  app,
  BrowserWindow,
  utilityProcess,
  ipcMain: {
    handle(channel, handler) {
      record.ipcHandlers.set(channel, handler);
    },
    on(channel, listener) {
      record.ipcListeners.set(channel, listener);
    },
  },
  protocol: {
    registerSchemesAsPrivileged(schemes) {
      if (record.ready) throw new Error('protocol.registerSchemesAsPrivileged must be called before the app is ready.');
      record.privileged.push(...schemes);
    },
    handle(scheme, handler) {
      record.protocolHandlers.set(scheme, handler);
    },
  },
  dialog: {
    showErrorBox(title, content) {
      record.dialogs.push({ kind: 'error', title, content });
    },
    async showOpenDialog(win, options) {
      const opts = options ?? win;
      record.dialogs.push({ kind: 'open', window: options ? win.webContents.id : null, ...opts });
      const a = record.pathAnswer;
      return { canceled: a.canceled, filePaths: a.canceled || a.path === null ? [] : [a.path] };
    },
    async showSaveDialog(win, options) {
      const opts = options ?? win;
      record.dialogs.push({ kind: 'save', window: options ? win.webContents.id : null, ...opts });
      const a = record.pathAnswer;
      return { canceled: a.canceled, filePath: a.canceled || a.path === null ? '' : a.path };
    },
    async showMessageBox(win, options) {
      const opts = options ?? win;
      record.dialogs.push({ kind: 'message', ...opts });
      return { response: record.messageBoxResponse, checkboxChecked: false };
    },
  },
  nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: 'system' }),
  safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
};
