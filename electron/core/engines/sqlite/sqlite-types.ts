import type { ValueKind } from '../../../../shared/model/values';

/** SQLite's type affinity rules (https://sqlite.org/datatype3.html §3.1), plus names people use for dates and JSON. */
export function sqliteValueKind(declaredType: string): ValueKind {
  const t = declaredType.toUpperCase();
  if (t === '') return 'other';
  if (t.includes('INT')) return 'bigint';
  if (/BOOL/.test(t)) return 'boolean';
  if (/JSON/.test(t)) return 'json';
  if (/^(DATETIME|TIMESTAMP)/.test(t)) return 'timestamp';
  if (/^DATE/.test(t)) return 'date';
  if (/^TIME/.test(t)) return 'time';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB')) return 'bytes';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'float';
  if (/DECIMAL|NUMERIC/.test(t)) return 'decimal';
  return 'other';
}
