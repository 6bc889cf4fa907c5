import { describe, expect, it } from 'vitest';
import { RowBatcher } from '../../../electron/core/engines/common/row-batch';
import { ColumnEncoding, decodeColumnarBatch } from '../../../shared/model/columnar-batch';

const { Json, Numbers, Text, Masked } = ColumnEncoding;

const build = (rows: unknown[][], capacity?: number) => {
  const builder = new RowBatcher(capacity);
  for (const row of rows) builder.push(row);
  return builder.take();
};

/** Which encoding each column got (the u8 per column after the 12-byte header). */
const encodings = (bytes: Uint8Array, width: number) => [...bytes.subarray(12, 12 + width)];

describe('columnar batches', () => {
  it('send number columns as raw Float64 and keep every number exactly, NULLs included', () => {
    const rows = [
      [1, 0.1, -0, null],
      [Number.MAX_SAFE_INTEGER, 1e-300, 5e-324, 2],
      [-Number.MAX_SAFE_INTEGER, 1.7976931348623157e308, 123.456, null],
    ];
    const { rowCount, values } = build(rows);
    expect(rowCount).toBe(3);
    expect(encodings(values, 4)).toEqual([Numbers, Numbers, Numbers, Numbers | Masked]);
    const back = decodeColumnarBatch(values, 4);
    expect(back.values).toEqual([
      [1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
      [0.1, 1e-300, 1.7976931348623157e308],
      [-0, 5e-324, 123.456],
      [null, 2, null],
    ]);
    expect(Object.is(back.values[2]![0], -0)).toBe(true);
  });

  it('keep integers past 2^53 as their exact digits, and safe bigints as numbers', () => {
    const { values } = build([[9007199254740993n, 42n], [-9223372036854775808n, -42n]]);
    expect(encodings(values, 2)).toEqual([Json, Numbers]);
    expect(decodeColumnarBatch(values, 2).values).toEqual([
      ['9007199254740993', '-9223372036854775808'],
      [42, -42],
    ]);
  });

  it('switch a column to JSON mid-batch when a value is not a number, keeping the rows before it', () => {
    // SQLite lets one column hold any type: integers, then NULL, then text, then a real.
    const { values } = build([[1, 'a'], [null, 'b'], ['three', 'c'], [4.5, 'd'], [Number.NaN, 'e'], [Infinity, 'f']]);
    expect(encodings(values, 2)).toEqual([Json, Text]);
    expect(decodeColumnarBatch(values, 2).values).toEqual([
      [1, null, 'three', 4.5, 'NaN', 'Infinity'],
      ['a', 'b', 'c', 'd', 'e', 'f'],
    ]);
  });

  it('keep NULL apart from empty text, and text as it is (quotes, control characters, emoji, CJK)', () => {
    const tricky = ['', '"', '\\', '\u0000\n\t', 'zażółć 😀', '漢字', '\u2028'];
    const { values } = build(tricky.map((s, i) => [s, i % 2 ? null : '', null]));
    expect(encodings(values, 3)).toEqual([Text, Text | Masked, Numbers | Masked]);
    expect(decodeColumnarBatch(values, 3).values).toEqual([tricky, tricky.map((_, i) => (i % 2 ? null : '')), tricky.map(() => null)]);
  });

  it('keep lone surrogates: as JSON when a column’s text is not well-formed UTF-16 (UTF-8 cannot hold it)', () => {
    const lone = build([['a\ud800'], ['b']]).values;
    expect(encodings(lone, 1)).toEqual([Json]);
    expect(decodeColumnarBatch(lone, 1).values).toEqual([['a\ud800', 'b']]);
    // Two halves in neighbouring cells join into a valid pair: UTF-8 holds it and the offsets cut it apart again.
    const halves = build([['a\ud83d'], ['\ude00b']]).values;
    expect(encodings(halves, 1)).toEqual([Text]);
    expect(decodeColumnarBatch(halves, 1).values).toEqual([['a\ud83d', '\ude00b']]);
  });

  it('keep a text column text when NULLs come before the first text', () => {
    const { values } = build([[null], [null], ['x']]);
    expect(encodings(values, 1)).toEqual([Text | Masked]);
    expect(decodeColumnarBatch(values, 1).values).toEqual([[null, null, 'x']]);
  });

  it('turn bytes, dates and booleans into cells the same way the table browser does', () => {
    const { values } = build([[new Uint8Array([0, 255]), new Date('2024-01-02T03:04:05.678Z'), true]]);
    expect(decodeColumnarBatch(values, 3).values).toEqual([[{ bytes: '00ff', size: 2, truncated: false }], ['2024-01-02T03:04:05.678Z'], [true]]);
  });

  it('grow past their first capacity, and start each batch over with its own column encodings', () => {
    const builder = new RowBatcher(16);
    for (let i = 0; i < 1000; i++) builder.push([i, i % 7 === 0 ? null : i * 2]);
    const first = builder.take();
    expect(first.rowCount).toBe(1000);
    const decoded = decodeColumnarBatch(first.values, 2).values;
    expect(decoded[0]![999]).toBe(999);
    expect(decoded[1]![7]).toBeNull();
    expect(decoded[1]![8]).toBe(16);
    // The next batch: the second column is text now, the first has no NULL mask any more.
    builder.push([1, 'x']);
    const second = builder.take();
    expect(encodings(second.values, 2)).toEqual([Numbers, Text]);
    expect(decodeColumnarBatch(second.values, 2).values).toEqual([[1], ['x']]);
    expect(builder.rowCount).toBe(0);
  });

  it('decode a batch that arrives inside a larger buffer at an odd offset', () => {
    const { values } = build([[1.5, 'a'], [2.5, null]]);
    const host = new Uint8Array(values.length + 3);
    host.set(values, 3);
    expect(decodeColumnarBatch(host.subarray(3), 2).values).toEqual([[1.5, 2.5], ['a', null]]);
  });

  it('refuse a batch that is damaged or does not match the statement', () => {
    const { values } = build([[1, 'a'], [2, 'b']]);
    expect(() => decodeColumnarBatch(values, 3)).toThrow(/does not match/);
    expect(() => decodeColumnarBatch(values.subarray(0, 20), 2)).toThrow(/malformed/);
    expect(() => decodeColumnarBatch(new Uint8Array(8), 2)).toThrow(/malformed/);
    const badMagic = values.slice();
    badMagic[0] = 0;
    expect(() => decodeColumnarBatch(badMagic, 2)).toThrow(/malformed/);
    const badEncoding = values.slice();
    badEncoding[12] = 9;
    expect(() => decodeColumnarBatch(badEncoding, 2)).toThrow(/malformed/);
    const badText = values.slice();
    badText[badText.lastIndexOf(0x61)] = 0xff; // 'a' → not UTF-8
    expect(() => decodeColumnarBatch(badText, 2)).toThrow(/malformed/);
    const badEnds = values.slice();
    // The text column's last end offset (rows 'a','b' → 2) past the text.
    const endsAt = values.length - 8 - 4 - 4;
    expect(new DataView(values.buffer).getUint32(endsAt, true)).toBe(2);
    new DataView(badEnds.buffer).setUint32(endsAt, 3, true);
    expect(() => decodeColumnarBatch(badEnds, 2)).toThrow(/malformed/);
    const trailing = new Uint8Array(values.length + 8);
    trailing.set(values);
    expect(() => decodeColumnarBatch(trailing, 2)).toThrow(/malformed/);
    expect(() => decodeColumnarBatch('[[1,"a"]]' as unknown as Uint8Array, 2)).toThrow(/malformed/);
  });

  it('refuse a row whose width differs from the first', () => {
    const builder = new RowBatcher();
    builder.push([1, 2]);
    expect(() => builder.push([1])).toThrow(/1 values; the statement has 2 columns/);
  });
});
