import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../../features/import/core/csv-fast-records';
import { CsvParseRecords } from '../../../features/import/core/csv-records';
import { CsvOptions } from '../../../features/import/shared/import-model';

type Reader = { feed(chunk: Buffer | null): unknown[] };

/**
 * Everything a reader says about a file: its records, or its error and line. (Which records came out
 * before an error depends on the chunking for csv-parse too; an error ends the import anyway.)
 */
function read(reader: Reader, bytes: Buffer, chunks: number[]): unknown {
  const out: unknown[] = [];
  try {
    let at = 0;
    for (const size of chunks) {
      if (at >= bytes.length) break;
      out.push(...reader.feed(bytes.subarray(at, at + size)));
      at += size;
    }
    if (at < bytes.length) out.push(...reader.feed(bytes.subarray(at)));
    out.push(...reader.feed(null));
    return { records: out };
  } catch (e) {
    const error = e as Error & { line?: number };
    return { error: error.message, line: error.line };
  }
}

/** A small deterministic generator (the failing seed is in the test name). */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

const pieces = ['a', 'b', 'xyz', '1', '-2.5', 'é', '日本', '🙂', ' ', '', ',', ';', '\t', '"', "'", '""', '\r', '\n', '\r\n', 'NULL'];

function field(r: (n: number) => number, delimiter: string, quote: string): string {
  const kind = r(10);
  if (kind < 5) return Array.from({ length: r(3) }, () => pieces[r(10)]).join('');
  if (kind < 8) {
    const inner = Array.from({ length: r(4) }, () => { const p = pieces[r(pieces.length)]!; return p === quote ? quote + quote : p; }).join('');
    return quote + inner + quote;
  }
  if (kind < 9) return Array.from({ length: r(3) }, () => pieces[r(pieces.length)]).join(''); // anything: maybe malformed
  return delimiter.repeat(r(2));
}

function file(r: (n: number) => number, delimiter: string, quote: string): string {
  const eol = ['\n', '\r\n', '\r\n', '\n', '\r'][r(5)]!;
  const width = 1 + r(4);
  const lines: string[] = [];
  for (let i = r(40); i >= 0; i--) {
    if (r(12) === 0) { lines.push(''); continue; }
    const n = r(8) === 0 ? 1 + r(6) : width; // ragged rows now and then
    const clean = r(3) > 0; // most lines have simple fields only
    lines.push(Array.from({ length: n }, () => (clean ? pieces[r(8)] : field(r, delimiter, quote))).join(delimiter));
  }
  const mixed = r(10) === 0 ? ['\n', '\r\n'][r(2)]! : eol;
  return lines.map((l, i) => l + (i % 7 === 3 ? mixed : eol)).join('') + (r(3) === 0 ? lines[0] ?? '' : '');
}

function same(text: string, options: Partial<CsvOptions>, encoding: BufferEncoding, r: (n: number) => number) {
  const o = CsvOptions.parse(options);
  const delimiter = options.delimiter ?? ',';
  const bytes = Buffer.from(text, encoding);
  const chunks = Array.from({ length: 64 }, () => 1 + r(r(2) ? 7 : 200));
  const expected = read(new CsvParseRecords(o, delimiter), bytes, [bytes.length]);
  expect(read(new CsvRecords(o, delimiter), bytes, chunks)).toEqual(expected);
  expect(read(new CsvRecords(o, delimiter), bytes, [bytes.length])).toEqual(expected);
}

describe('CSV fast reader gives what csv-parse gives', () => {
  const fixed = [
    'a,b,c\n1,,""\n\n"x\ny",2,3\n4,5,6',
    'a,b\n1,2\n"3,4\n5,6\n',
    'a,b\n1,2\n"3"x,4\n',
    'a,b\r\n1,2\r\n\r\n3,"4\r\n5"\r\n6,7',
    'a,b\n1,2\r\n3,4\n',
    'a,b\r\n1,2\n3,4\r\n',
    'a,b\r1,2\r',
    '"h",x\n1,2\n',
    'a,b',
    '',
    '\n\n',
    'a,b\n1,2,3\n4\n,\n',
    'a,b\n1,2\r',
    'a,b\n1,a"b\n2,3\n',
    'id,at,kind\n1,2020-01-01,"payload, 1"\n2,,kind 2\n',
    // One-line records with quoted fields (read without csv-parse) and their near misses (read by it).
    'a,b,c\n1,"x""y",3\n"",,""\n"""",",",""""""\n',
    'a,b\r\n"1","2"\r\n"3,4",5\r\n6,"7"\r\n',
    'a,b\n"1" ,2\n3,4\n',
    'a,b\n"1"x,2\n3,4\n',
    'a,b\n 1,"2"\n3,4\n',
    'a,b\nx"1",2\n3,4\n',
    'a,b\n"1,2\n3,4\n',
    'a,b\n"1","2\n3",4\n5,6\n',
    'a,b\n""\n1,2\n',
    'a\n"x"\n"y"',
  ];
  it('on hand-written files', () => {
    const r = random(7);
    for (const text of fixed) {
      same(text, {}, 'utf8', r);
      same(text, { unquotedEmpty: 'empty', quotedEmpty: 'null' }, 'utf8', r);
    }
    same("1;;''\n2;'a;b';\n", { delimiter: ';', quote: "'", unquotedEmpty: 'empty', quotedEmpty: 'null' }, 'utf8', r);
    same('a\tb\n1\t\t"x\ty"\n', { delimiter: '\t' }, 'utf8', r);
    same('a||b\n1||2\n', { delimiter: '||' }, 'utf8', r);
    same('nom,prix\ncafé,"1,5"\nthé,2\n', { encoding: 'latin1' }, 'latin1', r);
  });

  for (let seed = 1; seed <= 400; seed++) {
    it(`on generated file ${seed}`, () => {
      const r = random(seed * 2654435761);
      const [delimiter, quote] = ([[',', '"'], [';', '"'], ['\t', '"'], [',', "'"]] as const)[r(4)]!;
      const options: Partial<CsvOptions> = { delimiter, quote, unquotedEmpty: r(2) ? 'null' : 'empty', quotedEmpty: r(2) ? 'empty' : 'null' };
      const text = file(r, delimiter, quote);
      same(text, options, 'utf8', r);
      if (!/[^\u0000-\u00ff]/.test(text)) same(text, { ...options, encoding: 'latin1' }, 'latin1', r);
    });
  }
});
