import type { PickPathRequest } from '../../shared/ipc/commands/host';
import type { Session } from './session/session';

/**
 * What a shell offers beyond the core's commands: the desktop app's native dialogs. The Electron
 * main provides it (electron/app/path-dialogs.ts); the browser shell and the CLI do not, and
 * AppInfo.host says so to the page, which then shows no Browse… buttons (paths are typed).
 */
export interface HostCapabilities {
  /** The OS dialog over the window of `session`: the chosen path, or null when it was dismissed. */
  pickPath(request: PickPathRequest, session: Session): Promise<string | null>;
}
