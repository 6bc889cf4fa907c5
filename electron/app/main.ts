import { app, BrowserWindow, dialog, ipcMain, nativeTheme, protocol, safeStorage, type RenderProcessGoneDetails } from 'electron';
import { join } from 'node:path';
import { AppCore } from '../core/app-core';
import { CallSignals } from '../core/call-signals';
import { defaultKeyFile, distPath, resolveDataDir } from '../core/paths';
import { rendererHeadersAndBody } from '../core/security/csp';
import { FileKeyCipher, type SecretCipher } from '../core/store/secret-cipher';
import { keepServingThroughUnhandledErrors } from '../core/unhandled-errors';
import { readStaticFile } from '../web/static-files';
import { APP_ENTRY_URL, APP_SCHEME, isTrustedSender } from './app-protocol';
import { SafeStorageCipher } from './safe-storage-cipher';
import { useElectronSqlite } from './sqlite-native';
import { failStartup } from './startup-failure';
import { nativePathDialogs } from './path-dialogs';
import { launchUtilityRunner } from './utility-runner';
import { createSecureWindow } from './window-factory';
import { WindowSessions } from './window-sessions';

/**
 * The Electron shell: thin by design. Everything it does besides windows and IPC plumbing lives
 * in electron/core and runs (and is tested) without Electron. test/integration/desktop/ runs this
 * file's bundle under a stand-in 'electron' module.
 */
// A bug in one window's call is logged, never the end of every window (electron/core/unhandled-errors.ts).
keepServingThroughUnhandledErrors({ processName: 'DB Desk (Electron main)' });
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const dataDirFlag = (() => {
  const i = process.argv.indexOf('--data-dir');
  return i >= 0 ? process.argv[i + 1] : undefined;
})();
const { dataDir, overridden } = resolveDataDir(dataDirFlag);

let core: AppCore | undefined;
let sessions: WindowSessions | undefined;

function openWindow(): void {
  const win = createSecureWindow(BrowserWindow, {
    preloadPath: distPath('electron', 'preload.cjs'),
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
  });
  sessions!.attach(win, (details) => void offerReload(win, details));
  void win.loadURL(APP_ENTRY_URL);
}

/** A dead renderer leaves a dead window: say so and offer a fresh page (its session is already gone). */
async function offerReload(win: BrowserWindow, details: RenderProcessGoneDetails): Promise<void> {
  if (win.isDestroyed()) return;
  const { response } = await dialog.showMessageBox(win, {
    type: 'error',
    title: 'DB Desk',
    message: 'This window stopped working.',
    detail: `Its page ended (${details.reason}, exit code ${details.exitCode}). Its connections have been closed; changes that were staged but not applied are lost.`,
    buttons: ['Reload', 'Close window'],
    defaultId: 0,
    cancelId: 1,
  });
  if (win.isDestroyed()) return;
  if (response === 0) win.webContents.reload();
  else win.close();
}

function start(): void {
  // Before anything opens a database: the Electron build of better-sqlite3, checked.
  useElectronSqlite(app.isPackaged);
  const cipher: SecretCipher = SafeStorageCipher.usable(safeStorage) ? new SafeStorageCipher(safeStorage) : new FileKeyCipher(defaultKeyFile(overridden, dataDir));
  const appCore = new AppCore({
    dataDir,
    shell: 'electron',
    cipher,
    env: process.env,
    workerPath: distPath('worker.cjs'),
    launchRunner: launchUtilityRunner,
    // Browse… buttons: the OS's own file and folder dialogs, over the window that asked.
    host: nativePathDialogs(dialog, (session) => sessions?.windowOf(session)),
  });
  core = appCore;
  sessions = new WindowSessions(appCore);

  const rendererDir = distPath('renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = await readStaticFile(rendererDir, url.pathname.slice(1));
    if (!file) return new Response('Not found', { status: 404 });
    const { body, headers } = rendererHeadersAndBody(file);
    return new Response(new Uint8Array(body), { headers });
  });

  ipcMain.handle('dbdesk:invoke', async (event, name: unknown, input: unknown, rawCallId: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused.' } };
    }
    const session = sessions?.of(event.sender.id);
    const calls = sessions?.callsOf(event.sender.id);
    if (!session || !calls) return { ok: false, error: { code: 'internal', message: 'This window has no session: reload it (Ctrl+R).' } };
    if (rawCallId === undefined) return appCore.handle(session, name, input);
    const callId = CallSignals.parseId(rawCallId);
    if (callId === null) return { ok: false, error: { code: 'invalid-input', message: 'A call id must be a positive integer.' } };
    const signal = calls.start(callId);
    try {
      return await appCore.handle(session, name, input, signal);
    } finally {
      calls.finish(callId, signal);
    }
  });
  // A page cancels one of its own calls: its id, checked; an id of no call in flight does nothing.
  ipcMain.on('dbdesk:cancel', (event, rawCallId: unknown) => {
    if (!isTrustedSender(event.senderFrame)) return;
    const callId = CallSignals.parseId(rawCallId);
    if (callId !== null) sessions?.callsOf(event.sender.id)?.cancel(callId);
  });

  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

// One DB Desk per data folder: two processes on one store would fight over it, so starting it again
// opens another window in the running one. Electron keys this lock on its profile folder, so a data
// folder given on the command line gets its own.
if (overridden) app.setPath('userData', join(dataDir, 'electron-profile'));
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (core) openWindow();
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => failStartup(err, dataDir));
  app.on('window-all-closed', () => {
    void (core?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
}
