import type { EditValue } from '../../../../shared/model/table-query';

/**
 * SQLite keeps any value in any column (type affinity): 'TOOLONG1' goes into VARCHAR(5) and 99999
 * into SMALLINT without a word. Someone coming from PostgreSQL or MySQL expects the declared type to
 * hold, so Review SQL says where a staged value goes past it — and that SQLite will not stop it.
 */

const INTEGER_RANGES: [RegExp, bigint, bigint][] = [
  [/^tinyint\b/, -128n, 127n],
  [/^(smallint|int2)\b/, -32768n, 32767n],
  [/^mediumint\b/, -8388608n, 8388607n],
  [/^(int|int4)\b/, -2147483648n, 2147483647n],
  [/^(integer|bigint|int8)\b/, -(2n ** 63n), 2n ** 63n - 1n],
];
const UNSIGNED_MAX: Record<string, bigint> = { tinyint: 255n, smallint: 65535n, int2: 65535n, mediumint: 16777215n, int: 4294967295n, int4: 4294967295n };

const NOT_ENFORCED = 'SQLite does not enforce declared types: it would store the value as it is.';
const STORED_AS_TEXT = 'SQLite does not enforce declared types: it would store it as text.';

/** Characters as a person counts them (code points, not UTF-16 units). */
function lengthOf(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function quoted(text: string): string {
  return `'${text.length > 40 ? `${text.slice(0, 37)}…` : text}'`;
}

/** A warning when `value` goes past what `declaredType` says, or null when it fits (or the type says nothing checkable). */
export function sqliteDeclaredTypeWarning(declaredType: string, value: EditValue): string | null {
  if (value === null || typeof value === 'object') return null;
  const type = declaredType.trim().toLowerCase();
  const text = String(value);

  const chars = /^(?:national\s+)?(?:n?var)?char(?:acter)?(?:\s+varying)?\s*\(\s*(\d+)\s*\)|^n?varchar2?\s*\(\s*(\d+)\s*\)/.exec(type);
  if (chars) {
    const limit = Number(chars[1] ?? chars[2]);
    const length = lengthOf(text);
    return length > limit ? `${quoted(text)} is ${length} characters, longer than ${declaredType.trim()} allows (${limit}). ${NOT_ENFORCED}` : null;
  }

  const range = INTEGER_RANGES.find(([re]) => re.test(type));
  if (range) {
    const trimmed = text.trim();
    if (typeof value === 'boolean') return null;
    if (!/^[-+]?\d+$/.test(trimmed)) {
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)
        ? `${quoted(text)} is not a whole number, but the column is declared ${declaredType.trim()}. ${NOT_ENFORCED}`
        : `${quoted(text)} is not a number, but the column is declared ${declaredType.trim()}. ${STORED_AS_TEXT}`;
    }
    const n = BigInt(trimmed);
    const word = type.split(/\W/)[0]!;
    const unsigned = /\bunsigned\b/.test(type) && UNSIGNED_MAX[word] !== undefined;
    const [min, max] = unsigned ? [0n, UNSIGNED_MAX[word]!] : [range[1], range[2]];
    if (n >= min && n <= max) return null;
    if (range[2] === 2n ** 63n - 1n) return `${trimmed} does not fit a 64-bit integer: SQLite would store it as a floating-point number, losing digits.`;
    return `${trimmed} is outside the range of ${declaredType.trim()} (${min} to ${max}). ${NOT_ENFORCED}`;
  }

  const decimal = /^(?:decimal|numeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(type);
  if (decimal && typeof value !== 'boolean') {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2] ?? 0);
    const m = /^[-+]?0*(\d*)(?:\.(\d*))?$/.exec(text.trim());
    if (!m) return `${quoted(text)} is not a number, but the column is declared ${declaredType.trim()}. ${STORED_AS_TEXT}`;
    const whole = m[1]!.length;
    const fraction = (m[2] ?? '').replace(/0+$/, '').length;
    if (whole > precision - scale) return `${text.trim()} has ${whole} digits before the decimal point; ${declaredType.trim()} allows ${precision - scale}. ${NOT_ENFORCED}`;
    if (fraction > scale) return `${text.trim()} has ${fraction} digits after the decimal point; ${declaredType.trim()} keeps ${scale}. ${NOT_ENFORCED}`;
  }
  return null;
}
