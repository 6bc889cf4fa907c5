import type { BrowserWindow, RenderProcessGoneDetails } from 'electron';
import type { AppCore } from '../core/app-core';
import { CallSignals } from '../core/call-signals';
import type { Session } from '../core/session/session';

/**
 * Each window's Session (its worker and connections) lives exactly as long as the page it serves:
 * every new page — the first load, a reload — gets a fresh one and the previous page's is disposed,
 * as it is when the renderer process dies or the window closes. So neither a reload nor a crash
 * leaves a worker holding connections nobody can reach (the browser shell does the same when a
 * tab's socket closes).
 */
export class WindowSessions {
  private readonly byContents = new Map<number, Session>();
  /** The calls each page has in flight that it may cancel (dbdesk:cancel), by webContents id. */
  private readonly callsByContents = new Map<number, CallSignals>();
  /** The window of each page's session (a native dialog is modal to the window that asked). */
  private readonly windowBySession = new Map<Session, BrowserWindow>();

  constructor(private readonly core: AppCore) {}

  attach(win: BrowserWindow, onRendererGone: (details: RenderProcessGoneDetails) => void): void {
    const contents = win.webContents;
    const id = contents.id;
    const end = () => {
      const session = this.byContents.get(id);
      if (!session) return;
      this.byContents.delete(id);
      this.windowBySession.delete(session);
      this.callsByContents.get(id)?.cancelAll();
      this.callsByContents.delete(id);
      void this.core.disposeSession(session);
    };
    contents.on('did-start-navigation', (details) => {
      if (!details.isMainFrame || details.isSameDocument) return;
      end();
      const session: Session = this.core.createSession((event, payload) => {
        // Only the page this session was made for hears it: never the next page after a reload.
        if (this.byContents.get(id) === session && !contents.isDestroyed()) contents.send('dbdesk:event', event, payload);
      });
      this.byContents.set(id, session);
      this.windowBySession.set(session, win);
      this.callsByContents.set(id, new CallSignals());
    });
    contents.on('render-process-gone', (_event, details) => {
      end();
      if (details.reason !== 'clean-exit') onRendererGone(details);
    });
    win.on('closed', end);
  }

  /** The session of the page a webContents shows now. */
  of(contentsId: number): Session | undefined {
    return this.byContents.get(contentsId);
  }

  /** The window whose page a session serves (none once that page is gone). */
  windowOf(session: Session): BrowserWindow | undefined {
    return this.windowBySession.get(session);
  }

  /** The cancellable calls of the page a webContents shows now (a new page starts with none). */
  callsOf(contentsId: number): CallSignals | undefined {
    return this.callsByContents.get(contentsId);
  }
}
