import { randomBytes } from 'node:crypto';
import type { EngineFixture } from '../table-browser/fixtures';

/** The demo's value_showcase (assets/demo/seed.sql) in each engine's types, plus the text CSV gets wrong. */
export function hardValuesDdl(f: EngineFixture, name: string): string {
  const decimal = f.engine === 'postgresql' ? 'numeric' : f.engine === 'mariadb' ? 'decimal(65,30)' : 'TEXT';
  const text = f.engine === 'mariadb' ? 'longtext' : f.types.text;
  return `CREATE TABLE ${f.q(name)} (id ${f.types.bigint} PRIMARY KEY, label ${text} NOT NULL, big_integer ${f.types.bigint}, exact_decimal ${decimal}, real_number ${f.types.float}, text_value ${text}, day ${f.engine === 'sqlite' ? 'DATE' : 'date'}, moment ${f.types.timestamp}, document ${f.types.json}, raw ${f.types.bytes}, flag ${f.types.bool})`;
}

const LONG = 'x'.repeat(5000);
const RANDOM = randomBytes(300);

/** Rows of value_showcase and more: 64-bit extremes, 30-digit decimals, NULL beside '', astral characters, quotes, delimiters, line breaks. */
export const HARD_ROWS: unknown[][] = [
  [1, 'Largest 64-bit integer', '9223372036854775807', '12345678901234567890.123456789', 0.1, 'plain', '2024-02-29', '2024-03-31 02:30:00', '{"nested":{"list":[1,2,3]},"ok":true}', Buffer.from('00ff10', 'hex'), true],
  [2, 'Smallest 64-bit integer', '-9223372036854775808', '-0.000000000000000001', -1.5e-300, '', '1970-01-01', '1970-01-01 00:00:00', '[]', Buffer.alloc(0), false],
  [3, 'Just past 2^53', '9007199254740993', '0', 1e308, 'héllo 🐬 wörld — ünïcödé 𝄞', '9999-12-31', '2038-01-19 03:14:08', '"a JSON string"', Buffer.from('deadbeef', 'hex'), null],
  [4, 'All NULL', null, null, null, null, null, null, null, null, null],
  [5, 'Long text', '42', '3.141592653589793238462643383279', 3.141592653589793, LONG, '2000-01-01', '2000-01-01 12:00:00.123456', '{"emoji":"🐬","quote":"\\"hi\\""}', RANDOM, true],
  [6, 'Quotes, delimiters, breaks', '-1', '-12.5', -0.0001, 'a "quoted", b\tc;d|e\nline 2\r\nline 3\r', '2024-12-31', '2024-12-31 23:59:59.999999', '{"a":"x,y"}', Buffer.from('2c220a0d5c', 'hex'), false],
  // A JSON document `null` would read back as SQL NULL from JSON lines (the export writes both as null).
  [7, 'The word NULL', '0', '1', 0, 'NULL', null, null, '{"n":null}', Buffer.from('4e554c4c', 'hex'), null],
  [8, 'A backslash and a dot', '7', '7', 7, '\\.', null, null, null, Buffer.from('5c2e', 'hex'), true],
  [9, 'Only spaces', '8', '8', 8, '   ', null, null, null, null, null],
];
