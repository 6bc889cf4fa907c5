import type { ValueKind } from '../../../../shared/model/values';
import { CoreError } from '../../errors';

export function quoteMysqlIdent(name: string): string {
  if (name.includes('\u0000')) throw new CoreError('invalid-input', 'A name cannot contain the NUL character.');
  return '`' + name.replace(/`/g, '``') + '`';
}

/** How the grid treats a column, from `COLUMN_TYPE` (`int(11) unsigned`, `decimal(12,2)`, `tinyint(1)`…). */
export function mysqlValueKind(columnType: string): ValueKind {
  const t = columnType.toLowerCase();
  if (t.startsWith('tinyint(1)')) return 'boolean';
  if (/^(tinyint|smallint|mediumint)/.test(t)) return 'integer';
  if (/^int/.test(t)) return t.includes('unsigned') ? 'bigint' : 'integer';
  if (t.startsWith('bigint') || t.startsWith('bit')) return 'bigint';
  if (t.startsWith('decimal') || t.startsWith('numeric')) return 'decimal';
  if (t.startsWith('float') || t.startsWith('double') || t.startsWith('real')) return 'float';
  if (t === 'json') return 'json';
  if (t === 'date') return 'date';
  if (t.startsWith('datetime') || t.startsWith('timestamp')) return 'timestamp';
  if (t.startsWith('time')) return 'time';
  if (t === 'uuid') return 'uuid';
  if (/blob|binary/.test(t)) return 'bytes';
  if (/char|text|enum|set/.test(t)) return 'text';
  return 'other';
}

/** mysql2's field shape, as much of it as typeCast needs. */
interface CastField {
  type: string;
  length: number;
  string(): string | null;
  buffer(): Buffer | null;
}

/**
 * Values exactly as stored: BIT becomes its number as exact text. JSON is already the server's
 * text (`jsonStrings`), dates already strings (`dateStrings`), big numbers already strings
 * (`bigNumberStrings`), DECIMAL already strings.
 */
export function mysqlTypeCast(field: CastField, next: () => unknown): unknown {
  if (field.type === 'BIT') {
    const buf = field.buffer();
    if (buf === null) return null;
    let n = 0n;
    for (const b of buf) n = (n << 8n) | BigInt(b);
    return n.toString();
  }
  return next();
}
