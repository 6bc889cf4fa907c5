import type { ValueKind } from '../../../shared/model/values';

/** What a sample says about one field, for the engine to pick a type (`TableImporter.typeFor`). */
export interface FieldProfile {
  name: string;
  kind: ValueKind;
  nullable: boolean;
  /** The longest value in characters (text), and digits before/after the point (decimals). */
  maxLength: number;
  integerDigits: number;
  scale: number;
}

const INT32 = /^[+-]?\d{1,9}$/;
const INT64 = /^[+-]?\d{1,19}$/;
const DECIMAL = /^[+-]?\d*\.\d+$|^[+-]?\d+\.\d*$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;
const BOOL = /^(?:true|false|t|f)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;
const BYTES = /^\\x(?:[0-9a-fA-F]{2})*$/;

/** The narrowest kind every non-empty value of a field fits, in order of preference. */
const candidates: [ValueKind, (v: string) => boolean][] = [
  ['integer', (v) => INT32.test(v) && Math.abs(Number(v)) <= 2147483647],
  ['bigint', (v) => INT64.test(v) && BigInt(v) <= 9223372036854775807n && BigInt(v) >= -9223372036854775808n],
  ['decimal', (v) => INT64.test(v) || DECIMAL.test(v)],
  ['float', (v) => INT64.test(v) || DECIMAL.test(v) || FLOAT.test(v)],
  ['boolean', (v) => BOOL.test(v)],
  ['date', (v) => DATE.test(v)],
  ['timestamp', (v) => DATE.test(v) || TIMESTAMP.test(v)],
  ['bytes', (v) => BYTES.test(v) && v.length > 2],
  ['json', (v) => (v.startsWith('{') || v.startsWith('[')) && isJson(v)],
];

function isJson(v: string): boolean {
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}

/** Profiles each field of a sample of records: the kind all its values fit (text when none), NULLs, lengths. */
export function profileFields(sources: readonly string[], records: readonly (readonly (string | null)[])[]): FieldProfile[] {
  return sources.map((name, i) => {
    let alive = candidates.map((c) => c[0]);
    let nullable = false;
    let seen = 0;
    let maxLength = 0;
    let integerDigits = 0;
    let scale = 0;
    for (const r of records) {
      const v = r[i] ?? null;
      if (v === null || v === '') {
        nullable = true;
        continue;
      }
      seen++;
      maxLength = Math.max(maxLength, v.length);
      alive = alive.filter((k) => candidates.find((c) => c[0] === k)![1](v));
      const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(v);
      if (m) {
        integerDigits = Math.max(integerDigits, m[1]!.replace(/^0+(?=\d)/, '').length);
        scale = Math.max(scale, m[2]?.length ?? 0);
      }
    }
    const kind: ValueKind = seen === 0 ? 'text' : (alive[0] ?? 'text');
    return { name, kind, nullable, maxLength, integerDigits, scale };
  });
}
