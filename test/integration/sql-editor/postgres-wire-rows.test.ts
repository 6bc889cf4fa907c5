import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { postgresClientOptions } from '../../../electron/core/engines/postgres/postgres-client-options';
import { pgTypeParsers } from '../../../electron/core/engines/postgres/postgres-types';
import { encodeRows } from '../../../electron/core/engines/common/row-batch';
import { ColumnEncoding, decodeColumnarBatch } from '../../../shared/model/columnar-batch';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import type { CellValue } from '../../../shared/model/values';
import { POSTGRES, postgresExec } from '../../support/servers';
import { encodingsOf, openRunner, type Runner } from './harness';

/**
 * The SQL editor reads PostgreSQL's result rows from the socket's bytes (postgres-wire-rows.ts)
 * rather than through pg's parser and type parsers. These tests hold it to what pg gives with the
 * app's own client options, cell for cell, over the server's types, NULLs, long values, results
 * larger than a socket read, and errors in the middle of a result.
 */
const TABLE = `CREATE TABLE every_type (
  id int PRIMARY KEY, i2 int2, i4 int4, i8 int8, o oid, f4 float4, f8 float8, nu numeric, mo money,
  b bool, by bytea, t text, vc varchar(20), bp char(4), nm name, u uuid, d date, tm time, tz timetz,
  ts timestamp(6), tstz timestamptz, iv interval, j json, jb jsonb, ia int[], ta text[], p point, ip inet, x xml, bi bit(5), r int4range
)`;

const ROWS = `INSERT INTO every_type VALUES
  (1, -32768, -2147483648, 9223372036854775807, 4294967295, 1.5, 0.30000000000000004, 12345678901234567890.0123456789, 12.34,
   true, '\\x00ff10ab', 'é à ü 日本語 🦄 𝄞', 'plain', 'ab', 'pg_class', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '23:59:59.999999', '12:00+05:30',
   '2024-01-01 23:59:59.123456', '2024-06-01 12:00:00.5+00', '1 year 2 mons 3 days 04:05:06.7', '{"a": [1, 2.50]}', '{"b": "ü", "big": 12345678901234567890}',
   '{1,2,NULL}', '{"a b","c,d"}', '(1.5,-2)', '192.168.0.1/24', '<a>ü</a>', B'10101', '[1,10)'),
  (2, 0, 0, -9007199254740993, 0, 'NaN', 'Infinity', 'NaN', 0, false, '\\x', '', '', '', '', NULL, 'infinity', '00:00', '00:00+00',
   '-infinity', 'infinity', '0', 'null', '[]', '{}', '{}', '(0,0)', '::1', '', B'00000', 'empty'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 1, 2147483647, -1, 1, -3.25e-10, 5e-324, 0.0000000001, -1, NULL, decode(repeat('cd', 300), 'hex'), repeat('é', 100000), repeat('x', 20), 'abcd',
   'x', '00000000-0000-0000-0000-000000000000', '0001-01-01', '12:34:56.7', '01:02:03-08', '2000-01-01', '1999-12-31 23:59:59-08', '-1 day', '"s"', '1', '{-1}', '{NULL}', '(1e300,-0)', '10.0.0.0/8', '<b/>', B'11111', NULL)`;

const SELECT = 'SELECT * FROM every_type ORDER BY id';

/** What pg itself reads, with the app's client options, encoded and decoded as the stream's older path did. */
async function throughPg(url: string, sql: string): Promise<CellValue[][]> {
  const config = { ...parseConnectionUrl(url).fields, poolSize: 1 } as EngineConfig;
  const client = new pg.Client(postgresClientOptions(config, POSTGRES.host, POSTGRES.port, false, 5000));
  await client.connect();
  try {
    const result = await client.query({ text: sql, rowMode: 'array', types: pgTypeParsers });
    return decodeColumnarBatch(encodeRows(result.rows as unknown[][]).values).values;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL rows read from the wire in the SQL editor', () => {
  let r: Runner;
  beforeAll(async () => {
    r = await openRunner('postgres');
    await postgresExec(r.db.name, `${TABLE}; ${ROWS}`);
  });
  afterAll(async () => {
    await r?.close();
  });

  it('gives every type exactly the cells pg gives, NULLs and long values included', async () => {
    const { result, encodings } = await encodingsOf(r, () => r.run(SELECT));
    const { output, rows } = result;
    expect(output.results[0]!.status).toBe('ok');
    const names = output.results[0]!.columns!.map((c) => c.name);
    // Read from the wire: text columns arrive as the server's bytes (Utf8), not as JS strings re-encoded (Text).
    expect(encodings[0]![names.indexOf('t')]).toBe(ColumnEncoding.Utf8);
    const got = rows.get(0)!;
    expect(got).toEqual(await throughPg(r.db.url, SELECT));
    // And what those cells are, so both readers cannot drift together.
    const col = (name: string) => got[names.indexOf(name)]!;
    expect(col('i8')).toEqual(['9223372036854775807', '-9007199254740993', null, '-1']);
    expect(col('i4')).toEqual([-2147483648, 0, null, 2147483647]);
    expect(col('f8')).toEqual([0.30000000000000004, 'Infinity', null, 5e-324]);
    expect(col('nu')).toEqual(['12345678901234567890.0123456789', 'NaN', null, '0.0000000001']);
    expect(col('b')).toEqual([true, false, null, null]);
    expect(col('t')).toEqual(['é à ü 日本語 🦄 𝄞', '', null, 'é'.repeat(100000)]);
    expect(col('ts')).toEqual(['2024-01-01 23:59:59.123456', '-infinity', null, '2000-01-01 00:00:00']);
    expect(col('by')![0]).toEqual({ bytes: '00ff10ab', size: 4, truncated: false });
  });

  it('reads a result larger than many socket reads, in batches, at the row cap', async () => {
    const sql = "SELECT g, 'row ' || g || ' ü', g / 3.0, g::float8 / 7, g % 2 = 0 FROM generate_series(1, 30000) g";
    const { output, rows } = await r.run(sql, { maxRows: 25_000, batchRows: 4000 });
    expect(output.results[0]!.truncated).toBe(true);
    const got = rows.get(0)!;
    expect(got[0]!.length).toBe(25_000);
    expect(got).toEqual(await throughPg(r.db.url, `${sql} LIMIT 25000`));
  });

  it('stops at an error in the middle of a result, with the server’s message, and the session goes on', async () => {
    const { output } = await r.run('SELECT g, 1 / (g - 15000) FROM generate_series(1, 20000) g;\nSELECT \'after\' AS t', { continueOnError: true, batchRows: 1000 });
    expect(output.results[0]!.status).toBe('error');
    expect(output.results[0]!.error?.message).toMatch(/division by zero/);
    expect(output.results[1]!.status).toBe('ok');
    const again = await r.run("SELECT 'é' AS t, 2 AS n");
    expect(again.rows.get(0)).toEqual([['é'], [2]]);
  });

  it('leaves other statements’ rows to pg: EXPLAIN, and what runs between editor statements', async () => {
    const plan = await r.w.client.call('query.explain', { sessionId: 'tab1', runId: 'explain1', sql: SELECT, analyze: true });
    expect(plan.analyzed).toBe(true);
    expect(plan.raw).toMatch(/every_type/);
    const { rows } = await r.run('SELECT count(*)::int AS n FROM every_type');
    expect(rows.get(0)).toEqual([[4]]);
  });
});
