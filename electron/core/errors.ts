import type { IpcError, IpcErrorCode } from '../../shared/ipc/errors';
import { IpcCallError } from '../../shared/ipc/errors';

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
 * Removes secrets from text: the given secret strings wherever they appear, the password part of
 * URLs, `password=` parameters and PEM private keys.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 1) out = out.split(s).join('[secret removed]');
  }
  out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1[secret removed]@');
  out = out.replace(/\b(password|passwd|pwd|sslpassword)=([^&\s;]+)/gi, '$1=[secret removed]');
  out = out.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[private key removed]');
  return out;
}

function redactDetail(detail: Record<string, unknown>, secrets: readonly (string | undefined)[]): Record<string, unknown> {
  return JSON.parse(redactSecrets(JSON.stringify(detail), secrets)) as Record<string, unknown>;
}

/** Maps anything thrown to the contract's error shape; driver errors become `fallback`. */
export function toIpcError(err: unknown, fallback: IpcErrorCode = 'internal', secrets: readonly (string | undefined)[] = []): IpcError {
  if (err instanceof CoreError) {
    const e: IpcError = { code: err.code, message: redactSecrets(err.message, secrets) };
    if (err.detail) e.detail = redactDetail(err.detail, secrets);
    return e;
  }
  if (err instanceof IpcCallError) return err.toIpcError();
  const message = err instanceof Error ? err.message || (err as { code?: string }).code || err.name : String(err);
  const detail = driverErrorDetail(err);
  const e: IpcError = { code: fallback, message: redactSecrets(message || 'Unknown error', secrets) };
  if (Object.keys(detail).length > 0) e.detail = redactDetail(detail, secrets);
  return e;
}
