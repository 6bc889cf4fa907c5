import type { IpcResult } from '../../../shared/ipc/errors';

/** Messages between a Session (main thread) and its worker. */
export type ToWorker =
  | { type: 'call'; id: number; name: string; input: unknown }
  /** The caller cancelled call `id`: its handler's signal is aborted (a call already answered is not). */
  | { type: 'cancel'; id: number }
  /** A runner process the main thread started for the worker (Electron) said something, or ended. */
  | { type: 'runner-message'; runnerId: number; message: unknown }
  | { type: 'runner-exit'; runnerId: number; code: number | null };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: IpcResult }
  | { type: 'event'; name: string; payload: unknown }
  /** Runner processes the worker cannot start itself (Electron: utilityProcess lives in the main process). */
  | { type: 'runner-launch'; runnerId: number }
  | { type: 'runner-send'; runnerId: number; message: unknown }
  | { type: 'runner-kill'; runnerId: number };
