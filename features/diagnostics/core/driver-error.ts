import type { DriverErrorEvidence } from '../../../shared/model/diagnostics';
import type { SecretScrubber } from '../../../shared/security/secrets';

const stringFields = ['code', 'sqlState', 'severity', 'routine', 'detail', 'hint', 'syscall', 'address'] as const;

/**
 * What a driver or system error says, copied from an allow-list of fields (never the driver's
 * config object, which for mysql2 holds the password in plain text), every text scrubbed.
 */
export function errorEvidence(err: unknown, scrubber: SecretScrubber, source?: string): DriverErrorEvidence {
  const base: DriverErrorEvidence = fields(err, scrubber);
  if (source) base.source = source;
  const causes = causesOf(err);
  if (causes.length > 0) base.causes = causes.slice(0, 8).map((c) => fields(c, scrubber));
  return base;
}

function fields(err: unknown, scrubber: SecretScrubber): Omit<DriverErrorEvidence, 'causes'> {
  if (typeof err !== 'object' || err === null) return { message: scrubber.scrub(String(err)) };
  const e = err as Record<string, unknown>;
  const name = typeof e.constructor === 'function' && e.constructor.name !== 'Object' ? e.constructor.name : typeof e.name === 'string' ? e.name : undefined;
  // AggregateError (every address refused) has an empty message: say what the code says.
  const rawMessage = typeof e.message === 'string' && e.message !== '' ? e.message : typeof e.code === 'string' ? e.code : String(e.name ?? 'Error');
  const out: Omit<DriverErrorEvidence, 'causes'> = { message: scrubber.scrub(rawMessage) };
  if (name) out.name = name;
  for (const key of stringFields) {
    const v = e[key];
    if (typeof v === 'string' && v !== '') out[key] = scrubber.scrub(v);
  }
  if (typeof e.errno === 'number' || typeof e.errno === 'string') out.errno = e.errno;
  if (typeof e.port === 'number') out.port = e.port;
  if (typeof e.fatal === 'boolean') out.fatal = e.fatal;
  // pg's DatabaseError carries the SQLSTATE in `code`.
  if (!out.sqlState && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string') out.sqlState = e.code;
  return out;
}

function causesOf(err: unknown): unknown[] {
  if (typeof err !== 'object' || err === null) return [];
  const e = err as { errors?: unknown; cause?: unknown };
  if (Array.isArray(e.errors)) return e.errors;
  if (e.cause !== undefined) return [e.cause];
  return [];
}
