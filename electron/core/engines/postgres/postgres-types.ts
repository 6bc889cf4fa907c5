import type { ValueKind } from '../../../../shared/model/values';
import { CoreError } from '../../errors';

/**
 * pg's type parsers, replaced: every value arrives as the server's text except the few types a
 * JavaScript value holds exactly. int8 and numeric stay strings (no precision lost), timestamps
 * stay the server's text (no local-timezone shift), bytea becomes bytes.
 */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
} as const;

const identity = (v: string) => v;
const toInt = (v: string) => Number(v);
const toFloat = (v: string) => {
  const n = Number(v);
  return Number.isFinite(n) ? n : v; // 'NaN', 'Infinity' stay text
};
const toBool = (v: string) => v === 't';
const toBytes = (v: string): Uint8Array => {
  // bytea_output = hex (the default since 9.0): '\x' followed by hex digits.
  if (v.startsWith('\\x')) return Buffer.from(v.slice(2), 'hex');
  return Buffer.from(v, 'latin1'); // escape format: rare, shown as is
};

export const pgTypeParsers = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (format === 'binary') return identity;
    switch (oid) {
      case OID.bool:
        return toBool;
      case OID.int2:
      case OID.int4:
      case OID.oid:
        return toInt;
      case OID.float4:
      case OID.float8:
        return toFloat;
      case OID.bytea:
        return toBytes;
      default:
        return identity;
    }
  },
};

/** How the grid treats a column, from the type name `format_type` gives. */
export function postgresValueKind(dataType: string): ValueKind {
  const t = dataType.toLowerCase();
  if (t.endsWith('[]')) return 'other';
  if (t === 'smallint' || t === 'integer' || t === 'oid') return 'integer';
  if (t === 'bigint') return 'bigint';
  if (t.startsWith('numeric') || t === 'money') return 'decimal';
  if (t === 'real' || t === 'double precision') return 'float';
  if (t === 'boolean') return 'boolean';
  if (t === 'json' || t === 'jsonb') return 'json';
  if (t === 'bytea') return 'bytes';
  if (t === 'uuid') return 'uuid';
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t.startsWith('time')) return 'time';
  if (t.startsWith('character') || t === 'text' || t === 'name' || t === 'citext' || t.startsWith('varchar') || t.startsWith('char')) return 'text';
  return 'other';
}

export function quotePgIdent(name: string): string {
  if (name.includes('\u0000')) throw new CoreError('invalid-input', 'A name cannot contain the NUL character.');
  return `"${name.replace(/"/g, '""')}"`;
}
