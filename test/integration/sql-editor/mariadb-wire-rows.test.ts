import mysql from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { mysqlConnectionOptions } from '../../../electron/core/engines/mysql/mysql-connection-options';
import { encodeRows } from '../../../electron/core/engines/common/row-batch';
import { ColumnEncoding, decodeColumnarBatch } from '../../../shared/model/columnar-batch';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import type { CellValue } from '../../../shared/model/values';
import { MARIADB, mariadbExec } from '../../support/servers';
import { encodingsOf, openRunner, type Runner } from './harness';

/**
 * The SQL editor reads MariaDB's rows from the protocol's bytes (mysql-wire-rows.ts) rather than
 * through mysql2's row parser. These tests hold it to what mysql2 gives with the app's own
 * connection options, cell for cell, over every column type, NULLs, long values and the types
 * it leaves to mysql2.
 */
const TABLE = `CREATE TABLE every_type (
  id int PRIMARY KEY,
  ti tinyint, si smallint unsigned, mi mediumint, i int, iu int unsigned, bi bigint, bu bigint unsigned,
  fl float, db double, de decimal(30,10), dt date, dtm datetime(6), ts timestamp(3) NULL, tm time(2), yr year,
  b1 bit(1), b12 bit(12), bo boolean,
  vc varchar(300), tx mediumtext, ch char(5), en enum('a','é'), st set('x','y'), js json,
  bn binary(4), vb varbinary(100), bl blob, lt longtext
) DEFAULT CHARSET=utf8mb4`;

const ROWS = `INSERT INTO every_type VALUES
  (1, -128, 65535, -8388608, -2147483648, 4294967295, 9223372036854775807, 18446744073709551615,
   1.5, 0.30000000000000004, -12345678901234567890.0123456789, '2024-02-29', '2024-01-01 23:59:59.123456',
   '2024-06-01 12:00:00.5', '-838:59:59.99', 2155, b'1', b'101010101010', true,
   'plain ascii', 'é à ü 日本語 🦄 𝄞', 'ab', 'é', 'x,y', '{"a": [1, 2.50, "ü"], "big": 12345678901234567890}',
   x'00ff10ab', x'', x'deadbeef', REPEAT('é', 40000)),
  (2, 0, 0, 0, 0, 0, -9007199254740993, 0,
   -0.0, 1.7976931348623157e308, 0, '1000-01-01', '9999-12-31 23:59:59.999999',
   NULL, '00:00:00', 1901, b'0', b'0', false,
   '', '', '', 'a', '', 'null',
   x'00000000', x'00', NULL, ''),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 127, 1, 1, 2147483647, 1, -1, 1, -3.25e-10, 5e-324, 0.0000000001, '2000-01-01', '2000-01-01 00:00:00',
   '2038-01-19 03:14:07', '12:34:56.7', 2000, b'1', b'111111111111', NULL,
   REPEAT('x', 251), REPEAT('y', 70000), 'abcde', NULL, 'y', '[]', x'01020304', REPEAT(x'ab', 100), REPEAT(x'cd', 300), NULL)`;

const SELECT = 'SELECT * FROM every_type ORDER BY id';

/** What mysql2 itself reads, with the app's connection options, encoded and decoded as the stream's older path did. */
async function throughMysql2(url: string, sql: string): Promise<CellValue[][]> {
  const fields = { ...parseConnectionUrl(url).fields, poolSize: 1 } as EngineConfig;
  const conn = mysql.createConnection(mysqlConnectionOptions(fields, MARIADB.host, MARIADB.port, undefined));
  try {
    const rows = await new Promise<unknown[][]>((resolve, reject) =>
      conn.query({ sql, rowsAsArray: true }, (err, result) => (err ? reject(err) : resolve(result as unknown[][]))),
    );
    return decodeColumnarBatch(encodeRows(rows).values).values;
  } finally {
    conn.destroy();
  }
}

describe('MariaDB rows read from the wire in the SQL editor', () => {
  let r: Runner;
  beforeAll(async () => {
    r = await openRunner('mariadb');
    await mariadbExec(r.db.name, `${TABLE}; ${ROWS}`);
  });
  afterAll(async () => {
    await r?.close();
  });

  it('gives every column type exactly the cells mysql2 gives, NULLs and long values included', async () => {
    const { result, encodings } = await encodingsOf(r, () => r.run(SELECT));
    const { output, rows } = result;
    expect(output.results[0]!.status).toBe('ok');
    // Read from the wire: text columns arrive as the server's bytes (Utf8), not as JS strings re-encoded (Text).
    expect(encodings[0]![output.results[0]!.columns!.findIndex((c) => c.name === 'vc')]).toBe(ColumnEncoding.Utf8);
    const got = rows.get(0)!;
    expect(got).toEqual(await throughMysql2(r.db.url, SELECT));
    // And what those cells are, so both readers cannot drift together.
    const col = (name: string) => got[output.results[0]!.columns!.findIndex((c) => c.name === name)]!;
    expect(col('bu')).toEqual(['18446744073709551615', '0', null, '1']);
    expect(col('bi')).toEqual(['9223372036854775807', '-9007199254740993', null, '-1']);
    expect(col('iu')).toEqual([4294967295, 0, null, 1]);
    expect(col('db')).toEqual([0.30000000000000004, 1.7976931348623157e308, null, 5e-324]);
    expect(col('de')).toEqual(['-12345678901234567890.0123456789', '0.0000000000', null, '0.0000000001']);
    expect(col('tm')).toEqual(['-838:59:59.99', '00:00:00.00', null, '12:34:56.70']);
    expect(col('b12')).toEqual(['2730', '0', null, '4095']);
    expect(col('tx')).toEqual(['é à ü 日本語 🦄 𝄞', '', null, 'y'.repeat(70000)]);
    expect(col('lt')![0]).toBe('é'.repeat(40000));
    expect(col('vb')).toEqual([{ bytes: '', size: 0, truncated: false }, { bytes: '00', size: 1, truncated: false }, null, expect.objectContaining({ size: 100 })]);
  });

  it('leaves a result with a type it does not read (GEOMETRY) to mysql2, with the same cells', async () => {
    const sql = "SELECT 1 AS n, ST_GeomFromText('POINT(1 2)') AS g, 'é' AS t";
    const { result, encodings } = await encodingsOf(r, () => r.run(sql));
    const { output, rows } = result;
    expect(encodings[0]![2]).toBe(ColumnEncoding.Text);
    expect(output.results[0]!.status).toBe('ok');
    expect(rows.get(0)).toEqual(await throughMysql2(r.db.url, sql));
  });

  it('reads the first of several result sets from the wire and the rest through mysql2, then the session goes on', async () => {
    const script = `DELIMITER //
CREATE PROCEDURE two_sets() BEGIN SELECT id, vc FROM every_type ORDER BY id; SELECT ST_GeomFromText('POINT(0 0)') AS g; END //
DELIMITER ;
CALL two_sets();
SELECT 'after' AS t;`;
    const { output, rows } = await r.run(script);
    expect(output.results.map((x) => x.status)).toEqual(['ok', 'ok', 'ok']);
    expect(output.results[1]!.notices.some((n) => /2 result sets/.test(n.message))).toBe(true);
    expect(rows.get(1)![0]).toEqual([1, 2, 3, 4]);
    expect(rows.get(2)).toEqual([['after']]);
  });

  it('splits a large result into batches at the row cap, the same way', async () => {
    const sql = 'SELECT seq, CONCAT(\'row \', seq, \' ü\'), seq / 3 FROM seq_1_to_25000';
    const { output, rows } = await r.run(sql, { maxRows: 20_000, batchRows: 3000 });
    expect(output.results[0]!.truncated).toBe(true);
    const got = rows.get(0)!;
    expect(got[0]!.length).toBe(20_000);
    const all = await throughMysql2(r.db.url, `${sql} LIMIT 20000`);
    expect(got).toEqual(all);
  });
});
