import type { DriverErrorEvidence } from '../../../shared/model/diagnostics';
import { dialectForErrorSource } from '../../../electron/core/engines/dialects';
import { classifySystemError, isAmbiguousSystemError, type Classification, type ErrorContext } from './classification';

export type { Classification, ErrorContext } from './classification';

/**
 * Names the class of one driver or system error, or returns null when the error alone cannot tell
 * (pg's `timeout expired`, mysql2's synthetic `connect ETIMEDOUT`, "connection terminated"): the
 * protocol probes decide those. The dialect that owns the error's source reads it (PostgreSQL by
 * SQLSTATE, MySQL/MariaDB by errno and product, SQLite by its result code); Node's own errors are
 * read here.
 */
export function classifyDriverError(err: DriverErrorEvidence, ctx: ErrorContext = {}): Classification | null {
  const dialect = err.source ? dialectForErrorSource(err.source) : undefined;
  return dialect?.errors.classify(err, ctx) ?? classifySystemError(err);
}

/** The errors a driver gives when it cannot tell a firewall, a silent port and a wrong service apart. */
export function isAmbiguousTransportError(err: DriverErrorEvidence): boolean {
  const dialect = err.source ? dialectForErrorSource(err.source) : undefined;
  return (dialect?.errors.isAmbiguousTransport(err) ?? false) || isAmbiguousSystemError(err);
}
