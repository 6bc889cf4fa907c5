import type { IpcError, IpcErrorCode } from '../../shared/ipc/errors';
import { IpcCallError } from '../../shared/ipc/errors';
import { CANCELLED_MESSAGE } from '../../shared/ipc/call-frames';
import { SecretScrubber } from '../../shared/security/secrets';

/** An error the core raises on purpose, with the code the renderer acts on. */
export class CoreError extends Error {
  override name = 'CoreError';
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Facts a driver error carries that help a person, copied field by field (never the config). */
export function driverErrorDetail(err: unknown): Record<string, unknown> {
  if (typeof err !== 'object' || err === null) return {};
  const e = err as Record<string, unknown>;
  const detail: Record<string, unknown> = {};
  for (const key of ['code', 'errno', 'sqlState', 'severity', 'position', 'detail', 'hint', 'routine', 'syscall', 'address', 'port']) {
    const v = e[key];
    if (typeof v === 'string' || typeof v === 'number') detail[key === 'code' ? 'driverCode' : key] = v;
  }
  // PostgreSQL puts the SQLSTATE in `code`.
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && e.severity) detail.sqlState = e.code;
  if (Array.isArray(e.errors)) {
    detail.causes = (e.errors as unknown[]).map((c) => ({ message: c instanceof Error ? c.message : String(c), ...driverErrorDetail(c) }));
  }
  return detail;
}

/**
 * Removes secrets from text: the given secret strings, URL passwords, `password=` parameters,
 * private keys, password hashes. The one redactor of the app (shared/security/secrets.ts).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  return new SecretScrubber(secrets).scrub(text);
}

function redactDetail(detail: Record<string, unknown>, secrets: readonly (string | undefined)[]): Record<string, unknown> {
  return JSON.parse(redactSecrets(JSON.stringify(detail), secrets)) as Record<string, unknown>;
}

/** What a call stopped by its caller's signal answers. */
export function cancelledError(): IpcError {
  return { code: 'cancelled', message: CANCELLED_MESSAGE };
}

/** True for what `AbortSignal.throwIfAborted()`, `AbortSignal.timeout()` or a driver given a signal throws. */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR');
}

/**
 * Maps anything thrown to the contract's error shape; driver errors become `fallback`. An abort —
 * or a driver's failure once the call's `signal` was aborted (the killed query's own error) — is
 * `cancelled`; a CoreError keeps its code.
 */
export function toIpcError(err: unknown, fallback: IpcErrorCode = 'internal', secrets: readonly (string | undefined)[] = [], signal?: AbortSignal): IpcError {
  if (isAbortError(err) || (signal?.aborted && !(err instanceof CoreError))) return cancelledError();
  if (err instanceof CoreError) {
    const e: IpcError = { code: err.code, message: redactSecrets(err.message, secrets) };
    if (err.detail) e.detail = redactDetail(err.detail, secrets);
    return e;
  }
  if (err instanceof IpcCallError) return err.toIpcError();
  const raw = err instanceof Error ? err.message || (err as { code?: string }).code || err.name : String(err);
  const detail = driverErrorDetail(err);
  const message = plainSqliteMessage(raw, detail.driverCode);
  const e: IpcError = { code: fallback, message: redactSecrets(message || 'Unknown error', secrets) };
  if (Object.keys(detail).length > 0) e.detail = redactDetail(detail, secrets);
  return e;
}

/** SQLite's words for a damaged file ("database disk image is malformed") do not say it is the file. */
function plainSqliteMessage(message: string, driverCode: unknown): string {
  if (typeof driverCode !== 'string') return message;
  if (driverCode.startsWith('SQLITE_CORRUPT')) return `The database file is damaged (${message}). Diagnose checks how much of it can be read.`;
  if (driverCode === 'SQLITE_NOTADB') return `The file is not a SQLite database (any more), or it is encrypted (${message}).`;
  return message;
}
