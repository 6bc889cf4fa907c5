import { hexToBytes } from '../../../../shared/model/values';
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
