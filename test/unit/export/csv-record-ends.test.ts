import { describe, expect, it } from 'vitest';
import { csvRecordEndCounter } from '../../../features/table-browser/core/export/csv-record-ends';

const csv = 'id,label\n1,plain\n2,"line\nbreak"\n3,"crlf\r\nbreak"\n4,"quote "" and\n newline"\n5,""\n6,\n';

describe('counting CSV records while they stream', () => {
  it('ignores line ends inside quoted fields', () => {
    expect(csvRecordEndCounter()(Buffer.from(csv))).toBe(7);
  });

  it('gives the same count however the stream is cut into chunks', () => {
    const bytes = Buffer.from(csv);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const count = csvRecordEndCounter();
      expect(count(bytes.subarray(0, cut)) + count(bytes.subarray(cut))).toBe(7);
    }
    const count = csvRecordEndCounter();
    let total = 0;
    for (const b of bytes) total += count(Uint8Array.of(b));
    expect(total).toBe(7);
  });
});
