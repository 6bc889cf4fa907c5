import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DbDeskTransport } from '../../shared/ipc/transport';

/**
 * The whole bridge: three functions (invoke, cancel, subscribe). No ipcRenderer, no channel names, no Node in the page.
 * Inputs are validated by the router on the other side, never trusted here.
 */
const transport: DbDeskTransport = {
  invoke: (command, input, callId) => ipcRenderer.invoke('dbdesk:invoke', command, input, callId),
  // The call's id alone: main aborts that call of this window's page (validated there, like every input).
  cancel: (callId) => ipcRenderer.send('dbdesk:cancel', callId),
  subscribe(listener) {
    const relay = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on('dbdesk:event', relay);
    return () => {
      ipcRenderer.removeListener('dbdesk:event', relay);
    };
  },
};

contextBridge.exposeInMainWorld('dbdesk', transport);
