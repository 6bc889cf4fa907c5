/**
 * Numbers from a server's text protocol, read straight from the bytes (MariaDB's and PostgreSQL's
 * rows, see wire-batch.ts), giving the same value the drivers give from the decoded string.
 */

/** An integer's digits, with an optional sign (as mysql2's parseIntNoBigCheck and Number() read them). */
export function parseAsciiInteger(buf: Uint8Array, at: number, end: number): number {
  let sign = 1;
  if (buf[at] === 0x2d) {
    sign = -1;
    at++;
  } else if (buf[at] === 0x2b) at++;
  let n = 0;
  for (; at < end; at++) n = n * 10 + (buf[at]! - 48);
  return n * sign;
}

/**
 * A float's text as the nearest double. Up to 15 digits with no exponent, the digits as an integer
 * and the power of ten are both exact, so one division is correctly rounded; anything else (an
 * exponent, more digits, 'NaN', 'Infinity') goes through Number(), correctly rounded too. Empty
 * text is 0, as both drivers read it.
 */
export function parseAsciiFloat(buf: Uint8Array, at: number, end: number): number {
  const start = at;
  if (start === end) return 0;
  let sign = 1;
  if (buf[at] === 0x2d) {
    sign = -1;
    at++;
  }
  let n = 0;
  let scale = 1;
  let digits = 0;
  let dot = false;
  for (; at < end; at++) {
    const ch = buf[at]!;
    if (ch === 0x2e && !dot) dot = true;
    else if (ch >= 0x30 && ch <= 0x39 && digits < 15) {
      n = n * 10 + (ch - 48);
      digits++;
      if (dot) scale *= 10;
    } else return Number(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1'));
  }
  return (sign * n) / scale;
}
