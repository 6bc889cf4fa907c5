import type { ValueKind } from '../../../shared/model/values';
import type { NumberFormat } from '../shared/import-model';
import { ConversionError } from './import-error';

/**
 * A field converted for its column: exact text for numbers, dates and everything the server parses
 * itself (no float ever holds a 64-bit integer or a decimal; dates are never shifted by a time zone),
 * booleans as booleans, bytes as bytes. NULL is null; '' stays ''.
 */
export type ImportValue = string | boolean | Uint8Array | null;

export type Converter = (field: string | null) => ImportValue;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^(?:[+-]?(?:Infinity|inf)|NaN)$/i;
const TRUE = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', 'off', '0']);
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function numberText(field: string, format: NumberFormat): string {
  let s = field.trim();
  if (format.thousands) s = s.split(format.thousands).join('');
  if (format.decimal === ',') s = s.replace(',', '.');
  return s;
}

/** Bytes as this app's exports write them (PostgreSQL's hex form): `\x` and two hex digits per byte. */
export function bytesFromText(field: string): Uint8Array {
  if (!/^\\x(?:[0-9a-fA-F]{2})*$/.test(field)) throw new ConversionError('bytes must be written as \\x followed by hex digits (as DB Desk exports them).');
  return Buffer.from(field.slice(2), 'hex');
}

/** `DD/MM/YYYY HH:mm:ss` → a function that rewrites a matching value as `YYYY-MM-DD HH:mm:ss` (no time zone applied). */
export function datePattern(pattern: string): (field: string) => string {
  const tokens = ['YYYY', 'MM', 'DD', 'HH', 'mm', 'ss'];
  const order: string[] = [];
  let source = '';
  for (let i = 0; i < pattern.length; ) {
    const token = tokens.find((t) => pattern.startsWith(t, i));
    if (token) {
      order.push(token);
      source += token === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})';
      i += token.length;
    } else {
      source += pattern[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  const re = new RegExp(`^${source}(\\.\\d{1,9})?$`);
  const pad = (v: string | undefined) => (v ?? '0').padStart(2, '0');
  return (field) => {
    const m = re.exec(field.trim());
    if (!m) throw new ConversionError(`does not match the date format ${pattern}.`);
    const part = (t: string) => m[order.indexOf(t) + 1];
    const date = `${part('YYYY') ?? '0000'}-${pad(part('MM'))}-${pad(part('DD'))}`;
    const hasTime = order.includes('HH');
    const fraction = m[order.length + 1] ?? '';
    return hasTime ? `${date} ${pad(part('HH'))}:${pad(part('mm'))}:${pad(part('ss'))}${fraction}` : date;
  };
}

/** The converter of one column: checks the field fits the column's kind and writes it the way the engines take it. */
export function converterFor(kind: ValueKind, numbers: NumberFormat, dateFormat: string): Converter {
  switch (kind) {
    case 'integer':
    case 'bigint':
      return (f) => {
        if (f === null) return null;
        const s = numberText(f, numbers);
        if (!INTEGER.test(s)) throw new ConversionError(`${JSON.stringify(cut(f))} is not a whole number.`);
        // Up to 18 digits always fits 64 bits: only longer ones need the exact check (a BigInt per value is costly).
        if (s.length <= 18) return s;
        const n = BigInt(s);
        if (n > INT64_MAX || n < INT64_MIN) throw new ConversionError(`${cut(f)} is outside the 64-bit integer range.`);
        return n.toString();
      };
    case 'decimal':
    case 'float':
      return (f) => {
        if (f === null) return null;
        const s = numberText(f, numbers);
        if (DECIMAL.test(s)) return s;
        if (kind === 'float' && SPECIAL_FLOAT.test(s)) return s.replace(/^([+-]?)inf$/i, '$1Infinity');
        throw new ConversionError(`${JSON.stringify(cut(f))} is not a number.`);
      };
    case 'boolean':
      return (f) => {
        if (f === null) return null;
        const s = f.trim().toLowerCase();
        if (TRUE.has(s)) return true;
        if (FALSE.has(s)) return false;
        throw new ConversionError(`${JSON.stringify(cut(f))} is not true or false.`);
      };
    case 'bytes':
      return (f) => (f === null ? null : bytesFromText(f));
    case 'date':
    case 'timestamp':
    case 'time': {
      if (!dateFormat) return (f) => f;
      const rewrite = datePattern(dateFormat);
      return (f) => (f === null || f === '' ? f : rewrite(f));
    }
    default:
      return (f) => f;
  }
}

function cut(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
