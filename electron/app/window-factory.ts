import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { isAppUrl } from './app-protocol';

/** The renderer's web preferences: no Node, isolated, sandboxed. Exported for the tests. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/**
 * The one permission a page of ours gets: writing text to the clipboard (the Copy buttons use
 * navigator.clipboard.writeText, which Electron checks as 'clipboard-sanitized-write'). Reading the
 * clipboard, and everything else, is refused.
 */
function allowedPermission(permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

type WindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/**
 * Creates a DB Desk window with every lock of Electron's security checklist that belongs to a
 * window: secure preferences, no navigation away from the app, no new windows, no webviews,
 * every permission refused but clipboard writes from our own pages.
 */
export function createSecureWindow(BrowserWindowClass: WindowClass, options: { preloadPath: string; backgroundColor: string }): BrowserWindow {
  const win = new BrowserWindowClass({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    show: false,
    backgroundColor: options.backgroundColor,
    title: 'DB Desk',
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  const contents = win.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, permission, callback, details) => callback(allowedPermission(permission, details.requestingUrl)));
  contents.session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => allowedPermission(permission, requestingOrigin));
  win.once('ready-to-show', () => win.show());
  return win;
}
