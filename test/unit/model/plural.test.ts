import { describe, expect, it } from 'vitest';
import { plural } from '../../../shared/text/plural';

describe('plural', () => {
  it('puts the noun in the number of the count', () => {
    expect(plural(1, 'lint warning')).toBe('1 lint warning');
    expect(plural(2, 'lint warning')).toBe('2 lint warnings');
    expect(plural(0, 'row')).toBe('0 rows');
    expect(plural(1_234_567, 'row')).toBe('1,234,567 rows');
    expect(plural(3, 'IP address', 'IP addresses')).toBe('3 IP addresses');
  });
});
