import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DbDeskTransport } from '../../shared/ipc/transport';

/**
 * The whole bridge: two functions. No ipcRenderer, no channel names, no Node in the page.
 * Inputs are validated by the router on the other side, never trusted here.
 */
const transport: DbDeskTransport = {
  invoke: (command, input) => ipcRenderer.invoke('dbdesk:invoke', command, input),
  subscribe(listener) {
    const relay = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on('dbdesk:event', relay);
    return () => {
      ipcRenderer.removeListener('dbdesk:event', relay);
    };
  },
};

contextBridge.exposeInMainWorld('dbdesk', transport);
