import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { converterFor, datePattern } from '../../../features/import/core/convert';
import { CsvRecords } from '../../../features/import/core/csv-fast-records';
import { FileChunks } from '../../../features/import/core/file-chunks';
import { profileFields } from '../../../features/import/core/infer';
import { JsonRecords } from '../../../features/import/core/json-records';
import { CsvOptions, NumberFormat } from '../../../features/import/shared/import-model';

const dir = mkdtempSync(join(tmpdir(), 'dbdesk-import-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(text: string, options: Partial<CsvOptions> = {}, chunk = 3) {
  const r = new CsvRecords(CsvOptions.parse(options), options.delimiter ?? ',');
  const out = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) out.push(...r.feed(bytes.subarray(i, i + chunk)));
  out.push(...r.feed(null));
  return out;
}

describe('CSV records (csv-parse with its field hook)', () => {
  it('keeps an unquoted empty field NULL and a quoted one the empty string, and names the line each record starts on', () => {
    expect(csv('a,b,c\n1,,""\n\n"x\ny",2,3\n4,5,6')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', null, ''] },
      { line: 4, fields: ['x\ny', '2', '3'] },
      { line: 6, fields: ['4', '5', '6'] },
    ]);
  });

  it('follows the configured empty-field rules, delimiter and quote', () => {
    expect(csv("1;;''\n", { delimiter: ';', quote: "'", unquotedEmpty: 'empty', quotedEmpty: 'null' })).toEqual([{ line: 1, fields: ['1', '', null] }]);
  });

  it('names the line of a quote never closed and of text after a closing quote', () => {
    expect(() => csv('a,b\n1,2\n"3,4\n5,6\n')).toThrow(/^line 3: .*never closed/);
    expect(() => csv('a,b\n1,2\n"3"x,4\n')).toThrow(/^line 3: .*closing quote/);
  });
});

describe('JSON records', () => {
  it('streams one array in any chunking, keeping numbers as written and nested values as JSON text', () => {
    const text = '[\n {"id": 9223372036854775807, "s": "a\\"b\\n", "doc": {"x":[1,"]"]}, "n": null},\n {"id": 2, "t": true}\n]';
    for (const size of [1, 5, 64]) {
      const r = new JsonRecords(false, 'utf-8');
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...r.feed(Buffer.from(text.slice(i, i + size))));
      out.push(...r.feed(null));
      expect(out.map((x) => x.fields)).toEqual([
        ['9223372036854775807', 'a"b\n', '{"x":[1,"]"]}', null],
        ['2', null, null, null, 'true'],
      ]);
      expect(out.map((x) => x.line)).toEqual([2, 3]);
      expect(r.sources).toEqual(['id', 's', 'doc', 'n', 't']);
    }
  });

  it('reads JSON lines and names the line of a broken one', () => {
    const r = new JsonRecords(true, 'utf-8');
    expect(r.feed(Buffer.from('{"a":1}\n\n{"a":2,"b":"x"}\n')).map((x) => x.line)).toEqual([1, 3]);
    expect(() => new JsonRecords(true, 'utf-8').feed(Buffer.from('{"a":1}\n{"a":2,,}\n'))).toThrow(/^line 2:/);
    expect(() => new JsonRecords(false, 'utf-8').feed(null)).toThrow(/empty/);
  });
});

describe('file chunks', () => {
  it('skips a UTF-8 byte order mark and names the line of bytes that are not UTF-8', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\nb\nc'), Buffer.from([0xc3]), Buffer.from('\n')]));
    const file = await FileChunks.open(path, true);
    await expect(file.next()).rejects.toThrow(/^line 3: the file is not UTF-8/);
    await file.close();
    const latin = await FileChunks.open(path, false);
    expect((await latin.next())!.subarray(0, 1).toString()).toBe('a');
    await latin.close();
  });
});

describe('conversions', () => {
  const numbers = NumberFormat.parse({});
  it('keeps every digit of integers and decimals and refuses what does not fit', () => {
    expect(converterFor('bigint', numbers, '')('-9223372036854775808')).toBe('-9223372036854775808');
    expect(() => converterFor('bigint', numbers, '')('9223372036854775808')).toThrow(/64-bit/);
    expect(() => converterFor('integer', numbers, '')('1.5')).toThrow(/whole number/);
    expect(converterFor('decimal', NumberFormat.parse({ decimal: ',', thousands: '.' }), '')('1.234.567,000000000000000000001')).toBe('1234567.000000000000000000001');
    expect(converterFor('bytes', numbers, '')('\\x00ff')).toEqual(Buffer.from([0, 255]));
    expect(() => converterFor('bytes', numbers, '')('00ff')).toThrow(/\\x/);
    expect(converterFor('boolean', numbers, '')('Yes')).toBe(true);
    expect(converterFor('text', numbers, '')(null)).toBeNull();
  });

  it('rewrites dates by pattern without any time zone', () => {
    expect(datePattern('DD/MM/YYYY HH:mm:ss')('31/12/2024 23:59:59.123456')).toBe('2024-12-31 23:59:59.123456');
    expect(datePattern('MM-DD-YYYY')('2-3-2024')).toBe('2024-02-03');
    expect(() => datePattern('DD/MM/YYYY')('2024-12-31')).toThrow(/DD\/MM\/YYYY/);
  });

  it('infers the narrowest kind a sample fits', () => {
    const kinds = profileFields(['i', 'b', 'd', 'f', 't', 'ts', 'x', 'n'], [
      ['1', '9223372036854775807', '1.50', '1e3', 'true', '2024-01-01 10:00:00', '\\x00', null],
      ['-2', '1', '', '2', 'false', '2024-01-02', 'plain', ''],
    ]).map((p) => p.kind);
    expect(kinds).toEqual(['integer', 'bigint', 'decimal', 'float', 'boolean', 'timestamp', 'text', 'text']);
  });
});
