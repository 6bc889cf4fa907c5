import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { PickPathRequest } from '../../shared/ipc/commands/host';
import type { HostCapabilities } from '../core/host';
import type { Session } from '../core/session/session';

/**
 * The desktop app's native file dialogs (host.pickPath), modal to the window that asked: a file to
 * open, a file to save, a folder. The request was checked against the contract by the router; the
 * field's current value is where the dialog opens.
 */
export function nativePathDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, windowOf: (session: Session) => BrowserWindow | undefined): HostCapabilities {
  return {
    async pickPath(request: PickPathRequest, session: Session): Promise<string | null> {
      const win = windowOf(session);
      const common = {
        ...(request.title ? { title: request.title } : {}),
        ...(request.defaultPath?.trim() ? { defaultPath: request.defaultPath.trim() } : {}),
        ...(request.filters?.length ? { filters: request.filters } : {}),
      };
      if (request.kind === 'save-file') {
        const options: SaveDialogOptions = { ...common, properties: ['createDirectory', 'showOverwriteConfirmation'] };
        const r = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        return r.canceled || !r.filePath ? null : r.filePath;
      }
      const options: OpenDialogOptions = { ...common, properties: request.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'] };
      const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };
}
