import type { BoundValue } from '../../../../shared/model/table-query';
import { bytesToCell, hexToBytes } from '../../../../shared/model/values';
import { CoreError } from '../../errors';

/** An integer literal that fits a signed 64-bit integer. */
export function isInt64Text(s: string): boolean {
  if (!/^-?\d{1,19}$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n <= 2n ** 63n - 1n;
}

/** An exact decimal literal (what DECIMAL/NUMERIC columns hold). */
export function isDecimalText(s: string): boolean {
  return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s);
}

/**
 * Bytes sent by the renderer: `{hex}` from an edit, or a bytes cell (`{bytes, size, truncated}`)
 * from a key or row id. A cut preview cannot stand for the value it was cut from.
 */
export function bytesParam(value: unknown): Buffer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { hex?: unknown; bytes?: unknown; truncated?: unknown };
  if (typeof v.hex === 'string') return Buffer.from(hexToBytes(v.hex));
  if (typeof v.bytes === 'string') {
    if (v.truncated === true) throw new CoreError('invalid-input', 'A shortened bytes preview cannot be used as a value; load the whole value first.');
    return Buffer.from(hexToBytes(v.bytes));
  }
  return undefined;
}

/** Bytes of a bound value Review SQL shows (the size is always shown whole). */
const PARAM_PREVIEW_BYTES = 256;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A value a driver binds, as Review SQL shows it: what the driver sends, by the driver's own types
 * (a JS string goes as text, a number or bigint as a number, bytes as bytes). Not `toCell`, which
 * reads values *from* a driver: a bound value of another shape is a bug to report, never `'{}'`.
 * A driver that binds wrapper objects (mysql2's exact decimals) describes those first.
 */
export function boundValueOf(param: unknown): BoundValue {
  if (param === null || param === undefined) return null;
  switch (typeof param) {
    case 'string':
    case 'boolean':
      return param;
    case 'number':
      if (Number.isFinite(param)) return param;
      break;
    case 'bigint':
      return param <= MAX_SAFE && param >= -MAX_SAFE ? Number(param) : { number: param.toString() };
    default:
      if (param instanceof Uint8Array) return bytesToCell(param, PARAM_PREVIEW_BYTES);
  }
  throw new CoreError('internal', `Review SQL cannot show a bound value of type ${param === null ? 'null' : typeof param === 'object' ? (param.constructor?.name ?? 'object') : typeof param}.`);
}
