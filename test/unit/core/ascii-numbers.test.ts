import { describe, expect, it } from 'vitest';
import { parseAsciiFloat, parseAsciiInteger } from '../../../electron/core/engines/common/ascii-numbers';

/** The text inside a larger buffer, as a value sits inside a protocol message. */
const at = (text: string) => {
  const buf = Buffer.from(`xx${text}yy`, 'latin1');
  return [buf, 2, 2 + text.length] as const;
};

describe('numbers read from a server’s text', () => {
  it('reads integers as the drivers do', () => {
    for (const t of ['0', '-1', '+7', '2147483647', '-2147483648', '4294967295', '9007199254740991', '-9007199254740991']) {
      expect(parseAsciiInteger(...at(t))).toBe(Number(t));
    }
    expect(parseAsciiInteger(...at(''))).toBe(0);
  });

  it('reads floats as exactly the double Number() gives, whatever the digits', () => {
    const fixed = ['0', '-0', '1.5', '0.1', '0.30000000000000004', '1.7976931348623157e+308', '5e-324', '-3.25e-10', '123456789012345', '1234567890123456', '12345678901234567', '0.000001', 'NaN', 'Infinity', '-Infinity', '1e300', '100'];
    for (const t of fixed) expect(Object.is(parseAsciiFloat(...at(t)), Number(t)), t).toBe(true);
    expect(parseAsciiFloat(...at(''))).toBe(0);
    // Random doubles in their shortest text, and random decimal strings up to 17 digits.
    for (let i = 0; i < 20_000; i++) {
      const d = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 40 - 20);
      const t = String(d);
      expect(Object.is(parseAsciiFloat(...at(t)), Number(t)), t).toBe(true);
      const digits = String(Math.floor(Math.random() * 1e17)).slice(0, 1 + Math.floor(Math.random() * 17));
      const cut = Math.floor(Math.random() * digits.length);
      const s = `${i % 2 ? '-' : ''}${digits.slice(0, cut) || '0'}.${digits.slice(cut)}`;
      expect(Object.is(parseAsciiFloat(...at(s)), Number(s)), s).toBe(true);
    }
  });
});
