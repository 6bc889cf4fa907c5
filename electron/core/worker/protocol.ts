import type { IpcResult } from '../../../shared/ipc/errors';

/** Messages between a Session (main thread) and its worker. */
export type ToWorker = { type: 'call'; id: number; name: string; input: unknown };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: IpcResult }
  | { type: 'event'; name: string; payload: unknown };
