import { describe, expect, it } from 'vitest';
import { WireBatch, WireColumn } from '../../../electron/core/engines/common/wire-batch';
import { ColumnEncoding, decodeColumnarBatch } from '../../../shared/model/columnar-batch';

const { Json, Numbers, Text, Utf8, Masked } = ColumnEncoding;
const encodings = (bytes: Uint8Array, width: number) => [...bytes.subarray(12, 12 + width)];

/** A batch of text cells given as bytes, as a protocol reader hands them over. */
function utf8Batch(cells: (Uint8Array | null)[], capacity?: number) {
  const batch = new WireBatch([WireColumn.Utf8], capacity);
  for (const cell of cells) {
    const r = batch.startRow();
    // Each cell sits inside a larger buffer, as a row's values do in a packet.
    if (cell === null) batch.setNull(0, r);
    else {
      const packet = Buffer.concat([Buffer.from([0xaa, 0xbb]), cell, Buffer.from([0xcc])]);
      batch.setBytes(0, r, packet, 2, 2 + cell.length);
    }
  }
  return batch.take();
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('wire batches (rows read from the protocol’s bytes)', () => {
  it('copy text as UTF-8 bytes and give back exactly the strings, NULL apart from the empty string', () => {
    const texts = ['plain', '', 'é à ü', '日本語', '🦄 and 𝄞', 'x'.repeat(300), 'ok'];
    const { rowCount, values } = utf8Batch([...texts.map(utf8), null]);
    expect(rowCount).toBe(8);
    expect(encodings(values, 1)).toEqual([Utf8 | Masked]);
    expect(decodeColumnarBatch(values, 1).values[0]).toEqual([...texts, null]);
  });

  it('decode an all-ASCII column by its byte ends, and a column of only NULLs', () => {
    const { values } = utf8Batch([utf8('2024-01-01 00:00:01'), utf8('12.50'), null]);
    expect(decodeColumnarBatch(values, 1).values[0]).toEqual(['2024-01-01 00:00:01', '12.50', null]);
    const nulls = utf8Batch([null, null]);
    expect(decodeColumnarBatch(nulls.values, 1).values[0]).toEqual([null, null]);
  });

  it('turn bytes that are not UTF-8 into text with U+FFFD, as a driver would, instead of refusing the batch', () => {
    const { values } = utf8Batch([utf8('fine'), Buffer.from([0x61, 0xc3, 0x28]), null]);
    expect(encodings(values, 1)).toEqual([Text | Masked]);
    expect(decodeColumnarBatch(values, 1).values[0]).toEqual(['fine', 'a\ufffd(', null]);
  });

  it('grow past its first capacity (rows and text bytes) and start over cleanly after take()', () => {
    const many = Array.from({ length: 100 }, (_, i) => utf8(`row ${i} ${'ü'.repeat(i % 7)}`));
    const first = utf8Batch(many, 16);
    expect(decodeColumnarBatch(first.values, 1).values[0]).toEqual(many.map((b) => b.toString('utf8')));

    const batch = new WireBatch([WireColumn.Number, WireColumn.Utf8, WireColumn.Cells], 16);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40; i++) {
        const r = batch.startRow();
        if (i % 5 === 0) batch.setNull(0, r);
        else batch.setNumber(0, r, i + round);
        batch.setBytes(1, r, utf8(`t${i}`), 0, `t${i}`.length);
        batch.setCell(2, r, i % 2 ? { bytes: 'ff', size: 1, truncated: false } : null);
      }
      const { rowCount, values } = batch.take();
      expect(rowCount).toBe(40);
      expect(encodings(values, 3)).toEqual([Numbers | Masked, Utf8, Json]);
      const [nums, texts, cells] = decodeColumnarBatch(values, 3).values;
      expect(nums![0]).toBeNull();
      expect(nums![1]).toBe(1 + round);
      expect(texts![39]).toBe('t39');
      expect(cells![0]).toBeNull();
      expect(cells![1]).toEqual({ bytes: 'ff', size: 1, truncated: false });
    }
  });

  it('counts its size as it grows, for cutting batches at BATCH_BYTES, and starts over after take()', () => {
    const batch = new WireBatch([WireColumn.Number, WireColumn.Utf8]);
    const text = utf8('x'.repeat(1000));
    for (let i = 0; i < 10; i++) {
      const r = batch.startRow();
      batch.setNumber(0, r, i);
      batch.setBytes(1, r, text, 0, text.length);
    }
    expect(batch.approxBytes).toBe(10 * 1000 + 10 * 2 * 8);
    batch.take();
    expect(batch.approxBytes).toBe(0);
  });

  it('send a cells column of text and NULL as Text', () => {
    const batch = new WireBatch([WireColumn.Cells]);
    batch.setCell(0, batch.startRow(), '5');
    batch.setNull(0, batch.startRow());
    const { values } = batch.take();
    expect(encodings(values, 1)).toEqual([Text | Masked]);
    expect(decodeColumnarBatch(values, 1).values[0]).toEqual(['5', null]);
  });

  it('refuse a damaged Utf8 column: ends that go back, or past the bytes', () => {
    const { values } = utf8Batch([utf8('abc'), utf8('def')]);
    const endsAt = 16; // header 12 + width 1, aligned to 8
    const backwards = values.slice();
    new DataView(backwards.buffer).setUint32(endsAt + 4, 5, true);
    new DataView(backwards.buffer).setUint32(endsAt + 8, 4, true);
    expect(() => decodeColumnarBatch(backwards, 1)).toThrow(/malformed/);
    const tooLong = values.slice();
    new DataView(tooLong.buffer).setUint32(endsAt + 8, 4000, true);
    expect(() => decodeColumnarBatch(tooLong, 1)).toThrow(/malformed/);
  });
});
