import { app, BrowserWindow, ipcMain, nativeTheme, protocol, safeStorage } from 'electron';
import { AppCore } from '../core/app-core';
import { rendererHeadersAndBody } from '../core/security/csp';
import { defaultKeyFile, distPath, resolveDataDir } from '../core/paths';
import { FileKeyCipher, type SecretCipher } from '../core/store/secret-cipher';
import type { Session } from '../core/session/session';
import { readStaticFile } from '../web/static-files';
import { APP_ENTRY_URL, APP_SCHEME, isTrustedSender } from './app-protocol';
import { SafeStorageCipher } from './safe-storage-cipher';
import { launchUtilityRunner } from './utility-runner';
import { createSecureWindow } from './window-factory';

/**
 * The Electron shell: thin by design. Everything it does besides windows and IPC plumbing lives
 * in electron/core and runs (and is tested) without Electron.
 */
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const dataDirFlag = (() => {
  const i = process.argv.indexOf('--data-dir');
  return i >= 0 ? process.argv[i + 1] : undefined;
})();

let core: AppCore;
const sessions = new Map<number, Session>();

function createWindow(): void {
  const win = createSecureWindow(BrowserWindow, {
    preloadPath: distPath('electron', 'preload.cjs'),
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
  });
  const contentsId = win.webContents.id;
  const session = core.createSession((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send('dbdesk:event', event, payload);
  });
  sessions.set(contentsId, session);
  win.on('closed', () => {
    sessions.delete(contentsId);
    void core.disposeSession(session);
  });
  void win.loadURL(APP_ENTRY_URL);
}

app.whenReady().then(() => {
  const { dataDir, overridden } = resolveDataDir(dataDirFlag);
  const cipher: SecretCipher = SafeStorageCipher.usable(safeStorage) ? new SafeStorageCipher(safeStorage) : new FileKeyCipher(defaultKeyFile(overridden, dataDir));
  core = new AppCore({ dataDir, shell: 'electron', cipher, env: process.env, workerPath: distPath('worker.cjs'), launchRunner: launchUtilityRunner });

  const rendererDir = distPath('renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = await readStaticFile(rendererDir, url.pathname.slice(1));
    if (!file) return new Response('Not found', { status: 404 });
    const { body, headers } = rendererHeadersAndBody(file);
    return new Response(new Uint8Array(body), { headers });
  });

  ipcMain.handle('dbdesk:invoke', async (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused.' } };
    }
    const session = sessions.get(event.sender.id);
    if (!session) return { ok: false, error: { code: 'internal', message: 'This window has no session.' } };
    return core.handle(session, name, input);
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void core?.close().finally(() => app.quit());
});
