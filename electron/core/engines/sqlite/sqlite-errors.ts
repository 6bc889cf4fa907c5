import type { DriverErrorEvidence } from '../../../../shared/model/diagnostics';
import { classification as c, type Classification, type DialectErrors } from '../../../../features/diagnostics/core/classification';

/** SQLite errors by (extended) result code; file-system errors by errno code. */
function classifySqliteError(err: DriverErrorEvidence): Classification | null {
  const code = err.code ?? '';
  if (code.startsWith('SQLITE_NOTADB')) return c('sqlite-not-a-database');
  if (code.startsWith('SQLITE_CORRUPT')) return c('sqlite-corrupt');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return c('sqlite-locked');
  if (code.startsWith('SQLITE_READONLY')) return c('sqlite-read-only');
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return c('sqlite-permission-denied');
  if (code === 'ENOENT') return c('sqlite-not-found');
  if (code === 'EACCES' || code === 'EPERM') return c('sqlite-permission-denied');
  return null;
}

export const sqliteErrors: DialectErrors = {
  sources: ['better-sqlite3'],
  classify: (err) => classifySqliteError(err),
  isAmbiguousTransport: () => false,
  listenSettings: null,
};
