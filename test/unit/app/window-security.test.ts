import { describe, expect, it } from 'vitest';
import { isAppUrl, isTrustedSender } from '../../../electron/app/app-protocol';
import { createSecureWindow, secureWebPreferences } from '../../../electron/app/window-factory';
import { contentSecurityPolicy, CSP_NONCE_PLACEHOLDER, rendererHeadersAndBody } from '../../../electron/core/security/csp';

/** A stand-in for Electron's BrowserWindow that records what the factory asks of it. */
class RecordingWindow {
  static last: RecordingWindow;
  readonly handlers = new Map<string, (...args: unknown[]) => void>();
  windowOpenHandler?: () => { action: string };
  permissionRequest?: (wc: unknown, permission: string, cb: (ok: boolean) => void, details: { requestingUrl: string }) => void;
  permissionCheck?: (wc: unknown, permission: string, origin: string) => boolean;
  readonly webContents = {
    setWindowOpenHandler: (h: () => { action: string }) => (this.windowOpenHandler = h),
    on: (event: string, h: (...args: unknown[]) => void) => this.handlers.set(event, h),
    session: {
      setPermissionRequestHandler: (h: RecordingWindow['permissionRequest']) => (this.permissionRequest = h),
      setPermissionCheckHandler: (h: RecordingWindow['permissionCheck']) => (this.permissionCheck = h),
    },
  };
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    RecordingWindow.last = this;
  }
  once() {}
}

function prevented(handler: ((...args: unknown[]) => void) | undefined, ...rest: unknown[]): boolean {
  let stopped = false;
  handler?.({ preventDefault: () => (stopped = true) }, ...rest);
  return stopped;
}

describe('the Electron window factory', () => {
  const win = () => {
    createSecureWindow(RecordingWindow as never, { preloadPath: '/app/preload.cjs', backgroundColor: '#fff' });
    return RecordingWindow.last;
  };

  it('isolates and sandboxes the renderer with no Node', () => {
    const prefs = win().options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
    expect(secureWebPreferences('/x')).toEqual(win().options.webPreferences.preload === '/app/preload.cjs' ? { ...prefs, preload: '/x' } : prefs);
  });

  it('denies window.open, navigation away from the app, webviews and every permission but clipboard writes from the app', () => {
    const w = win();
    expect(w.windowOpenHandler?.()).toEqual({ action: 'deny' });
    expect(prevented(w.handlers.get('will-navigate'), 'https://evil.example/')).toBe(true);
    expect(prevented(w.handlers.get('will-navigate'), 'file:///etc/passwd')).toBe(true);
    expect(prevented(w.handlers.get('will-navigate'), 'app://dbdesk.evil/index.html')).toBe(true);
    expect(prevented(w.handlers.get('will-navigate'), 'app://dbdesk/index.html')).toBe(false);
    expect(prevented(w.handlers.get('will-redirect'), 'http://127.0.0.1/')).toBe(true);
    expect(prevented(w.handlers.get('will-attach-webview'))).toBe(true);
    const requested = (permission: string, url: string) => {
      let granted: boolean | undefined;
      w.permissionRequest?.({}, permission, (ok) => (granted = ok), { requestingUrl: url });
      return granted;
    };
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      expect(requested(p, 'app://dbdesk/index.html'), p).toBe(false);
      expect(w.permissionCheck?.({}, p, 'app://dbdesk'), p).toBe(false);
    }
    // The Copy buttons' navigator.clipboard.writeText: our own pages only.
    expect(requested('clipboard-sanitized-write', 'app://dbdesk/index.html')).toBe(true);
    expect(w.permissionCheck?.({}, 'clipboard-sanitized-write', 'app://dbdesk')).toBe(true);
    expect(requested('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(w.permissionCheck?.({}, 'clipboard-sanitized-write', 'app://dbdesk.evil')).toBe(false);
  });
});

describe('IPC sender check', () => {
  it('accepts only the top frame of our own renderer', () => {
    expect(isTrustedSender({ url: 'app://dbdesk/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://dbdesk/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://dbdesk/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://dbdesk.attacker.com/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isAppUrl('app://dbdesk@evil.com/')).toBe(false);
  });
});

describe('the content security policy', () => {
  const csp = contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:1234'] });
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('allows scripts and styles only from the app, nothing inline or evaluated', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('closes objects, frames, forms and base URIs, and limits the network to the transport', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:1234']);
  });
});

describe('the per-page style nonce (CodeMirror writes its styles into a <style> element)', () => {
  const page = { body: Buffer.from(`<head><meta name="dbdesk-csp-nonce" content="${CSP_NONCE_PLACEHOLDER}" /></head>`), type: 'text/html; charset=utf-8' };
  const nonceOf = (html: Buffer) => /content="([^"]+)"/.exec(html.toString())![1]!;
  const styleSrc = (headers: Record<string, string>) => headers['Content-Security-Policy']!.split('; ').find((d) => d.startsWith('style-src '))!;

  it('puts the same fresh nonce in the page and in its CSP, and nothing inline besides', () => {
    const { body, headers } = rendererHeadersAndBody(page);
    const nonce = nonceOf(body);
    expect(nonce).not.toBe(CSP_NONCE_PLACEHOLDER);
    expect(Buffer.from(nonce, 'base64').length).toBeGreaterThanOrEqual(16);
    expect(styleSrc(headers)).toBe(`style-src 'self' 'nonce-${nonce}'`);
    expect(headers['Content-Security-Policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(headers['Content-Security-Policy']).toMatch(/script-src 'self';/);
  });

  it('never reuses a nonce between page loads', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => nonceOf(rendererHeadersAndBody(page).body)));
    expect(nonces.size).toBe(50);
  });

  it('gives other files the plain policy, and refuses a nonce that is not random base64', () => {
    const { headers } = rendererHeadersAndBody({ body: Buffer.from('x'), type: 'text/javascript' });
    expect(styleSrc(headers)).toBe("style-src 'self'");
    expect(() => contentSecurityPolicy({ styleNonce: "x' 'unsafe-inline" })).toThrow();
  });
});

