import { z } from 'zod';

/**
 * Error codes every shell understands. A code says what kind of thing went wrong; `message`
 * says it to a person; `detail` carries structured facts (driver code, SQLSTATE, errno…).
 */
export const ipcErrorCodes = [
  'invalid-input', // the payload did not match the contract
  'unknown-command',
  'not-found', // a profile, connection or table that does not exist
  'connection-failed', // the database could not be reached or refused us
  'not-connected', // a command for a connection this session has not opened
  'query-failed', // the server rejected a statement
  'conflict', // someone else changed what we were about to change
  'read-only', // the connection is read-only
  'forbidden', // refused by the app (production confirmation missing, sender not allowed…)
  'cancelled',
  'timeout',
  'worker-crashed', // the session's worker died while the command ran; it has been restarted
  'unsupported',
  'internal',
] as const;
export const IpcErrorCode = z.enum(ipcErrorCodes);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z.object({
  code: IpcErrorCode,
  message: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type IpcError = z.infer<typeof IpcError>;

export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Thrown by the typed client when a command answers with an error. */
export class IpcCallError extends Error {
  override name = 'IpcCallError';
  readonly code: IpcErrorCode;
  readonly detail: Record<string, unknown> | undefined;
  constructor(readonly command: string, error: IpcError) {
    super(error.message);
    this.code = error.code;
    this.detail = error.detail;
  }
  toIpcError(): IpcError {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}
