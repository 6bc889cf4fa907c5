import { describe, expect, it } from 'vitest';
import { CsvWriter, JsonLinesWriter, SqlInsertWriter } from '../../../features/table-browser/core/export/row-writers';
import type { SqlText } from '../../../electron/core/engines/engine';

const columns = [
  { name: 'id', dataType: 'bigint', kind: 'bigint' as const },
  { name: 'note', dataType: 'text', kind: 'text' as const },
  { name: 'doc', dataType: 'json', kind: 'json' as const },
  { name: 'bin', dataType: 'bytea', kind: 'bytes' as const },
];
const rows = [
  [9223372036854775807n, 'comma, "quote"\nline', '{"a": [1, 2.50]}', new Uint8Array([0, 255])],
  [2, '', null, null],
  [3, null, 'not json', new Uint8Array([])],
];

describe('export writers', () => {
  it('CSV: NULL empty, the empty string quoted, specials quoted, exact numbers', () => {
    const w = new CsvWriter(columns, { header: true, delimiter: ',' });
    expect(w.start() + w.rows(rows)).toBe('id,note,doc,bin\n9223372036854775807,"comma, ""quote""\nline","{""a"": [1, 2.50]}",\\x00ff\n2,"",,\n3,,not json,\\x\n');
    const tsv = new CsvWriter(columns.slice(0, 2), { header: false, delimiter: '\t' });
    expect(tsv.rows([[1, 'a\tb'], [2, 'a,b']])).toBe('1\t"a\tb"\n2\ta,b\n');
  });

  it('JSON lines: big numbers as strings, JSON embedded when valid, bytes as hex', () => {
    const lines = new JsonLinesWriter(columns).rows(rows).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { id: '9223372036854775807', note: 'comma, "quote"\nline', doc: { a: [1, 2.5] }, bin: '\\x00ff' },
      { id: 2, note: '', doc: null, bin: null },
      { id: 3, note: null, doc: 'not json', bin: '\\x' },
    ]);
  });

  it('SQL: one INSERT per rowsPerInsert rows whatever the batches, literals from the engine', () => {
    const text: SqlText = { literal: (v) => (v === null ? 'NULL' : v instanceof Uint8Array ? `X'${Buffer.from(v).toString('hex')}'` : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v)), qualifiedName: (t) => `"${t.schema}"."${t.name}"`, quoteIdentifier: (n) => `"${n}"` };
    const expected = `INSERT INTO "s"."t" ("id", "note", "doc", "bin") VALUES\n(9223372036854775807, 'comma, "quote"\nline', '{"a": [1, 2.50]}', X'00ff'),\n(2, '', NULL, NULL);\nINSERT INTO "s"."t" ("id", "note", "doc", "bin") VALUES\n(3, NULL, 'not json', X'');\n`;
    const whole = new SqlInsertWriter(columns, { schema: 's', name: 't' }, text, 2);
    expect(whole.rows(rows) + whole.end()).toBe(expected);
    // A slow server hands the stream short batches: the statements are the same.
    const split = new SqlInsertWriter(columns, { schema: 's', name: 't' }, text, 2);
    expect(split.rows(rows.slice(0, 1)) + split.rows(rows.slice(1, 1)) + split.rows(rows.slice(1)) + split.end()).toBe(expected);
    expect(split.end()).toBe('');
  });
});
