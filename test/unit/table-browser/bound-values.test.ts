import mysql from 'mysql2';
import { describe, expect, it } from 'vitest';
import { MysqlTableData } from '../../../electron/core/engines/mysql/mysql-table-data';
import { boundValueOf } from '../../../electron/core/engines/table-data/params';
import { literalForDisplay } from '../../../features/table-browser/renderer/edits/review-script';
import type { ValueKind } from '../../../shared/model/values';

describe('bound values in Review SQL', () => {
  // mysql2 writes bound values into the statement text, so what is sent is exactly mysql.format's output.
  const driver = new MysqlTableData(null as never, null as never, 'mariadb', null as never, () => null as never, null as never);
  const cases: [unknown, ValueKind][] = [
    ['-5', 'decimal'],
    ['7.5', 'decimal'],
    ['-123456789012345678901234567890.0123456789', 'decimal'],
    ['9223372036854775807', 'bigint'],
    ['-5', 'integer'],
    [42, 'integer'],
    [1.25, 'float'],
    [true, 'boolean'],
    [null, 'text'],
    [{ hex: '00ff' }, 'bytes'],
  ];
  it.each(cases)('MariaDB shows %j (%s) exactly as mysql2 writes it into the statement', (value, kind) => {
    const param = driver.toParam(value, kind);
    const sent = mysql.format('?', [param as never]);
    const shown = literalForDisplay(driver.boundValue(param));
    expect(shown.replace(/^x'([0-9a-f]*)' \(\d+ bytes\)$/, "X'$1'")).toBe(sent);
  });

  it('refuses to show a bound value of a shape it does not know, instead of printing {}', () => {
    expect(() => boundValueOf({ toSqlString: () => '1' })).toThrow(/cannot show a bound value of type Object/);
    expect(() => boundValueOf(new Date(0))).toThrow(/type Date/);
    expect(boundValueOf(2n ** 63n - 1n)).toEqual({ number: '9223372036854775807' });
    expect(boundValueOf(12n)).toBe(12);
  });
});
