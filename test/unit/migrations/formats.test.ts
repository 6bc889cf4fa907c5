import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { flywayChecksum, normaliseSql, sqlChecksum } from '../../../features/migrations/core/checksum';
import { DbmateParseError, dbmateFileText, parseDbmate } from '../../../features/migrations/core/folder/dbmate-format';
import { FLYWAY_REPEATABLE, FLYWAY_VERSIONED, flywayDescription } from '../../../features/migrations/core/folder/flyway-format';
import { migrationSlug, timestampVersion } from '../../../features/migrations/core/folder/new-migration';
import { compareVersionKeys, flywayKey, integerKey, versionKey } from '../../../features/migrations/core/folder/versions';

describe('checksums', () => {
  it('ignore line ends, trailing spaces and a BOM, but not SQL', () => {
    expect(sqlChecksum('\uFEFFCREATE TABLE a (id int);  \r\n\r\n')).toBe(sqlChecksum('CREATE TABLE a (id int);'));
    expect(sqlChecksum('CREATE TABLE a (id int);')).not.toBe(sqlChecksum('CREATE TABLE a (id bigint);'));
    expect(normaliseSql('a \r\nb\t\r\n\n')).toBe('a\nb');
  });

  it('compute Flyway’s CRC32 over lines without terminators, as a signed int', () => {
    const text = 'CREATE TABLE one (id int);\nINSERT INTO one VALUES (1);\n';
    const expected = crc32('CREATE TABLE one (id int);INSERT INTO one VALUES (1);') | 0;
    expect(flywayChecksum(text)).toBe(expected);
    expect(flywayChecksum(text.replace(/\n/g, '\r\n'))).toBe(expected);
    expect(flywayChecksum('\uFEFF' + text)).toBe(expected);
    // An empty line in the middle adds nothing, as in Flyway.
    expect(flywayChecksum('a\n\nb')).toBe(crc32('ab') | 0);
    expect(flywayChecksum('')).toBe(0);
    // Big CRCs come out negative, as Java's int does.
    expect(flywayChecksum('DROP TABLE x;')).toBe(crc32('DROP TABLE x;') | 0);
  });
});

describe('versions', () => {
  it('order numerically part by part, with repeatables last', () => {
    const keys = ['1.10', 'R:view', '2', '1.9', '1', '10'];
    expect([...keys].sort(compareVersionKeys)).toEqual(['1', '1.9', '1.10', '2', '10', 'R:view']);
  });
  it('normalise golang-migrate and Flyway versions', () => {
    expect(integerKey('000012')).toBe('12');
    expect(flywayKey('1_2')).toBe('1.2');
    expect(flywayKey('1.02.0')).toBe('1.2');
    expect(versionKey('golang-migrate', '0007')).toBe('7');
    expect(versionKey('dbmate', '0007')).toBe('0007');
  });
});

describe('dbmate files', () => {
  it('reads up and down sections with their options and first lines', () => {
    const parsed = parseDbmate('-- a comment first\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;\n');
    expect(parsed.up).toEqual([{ sql: 'CREATE INDEX CONCURRENTLY i ON t (a);', transaction: false, firstLine: 3 }]);
    expect(parsed.down[0]).toMatchObject({ sql: 'DROP INDEX i;\n', transaction: true, firstLine: 5 });
  });
  it('supports several up/down pairs', () => {
    const parsed = parseDbmate('-- migrate:up\nA;\n-- migrate:down\nB;\n-- migrate:up transaction:false\nC;\n-- migrate:down\nD;');
    expect(parsed.up.map((s) => [s.sql.trim(), s.transaction])).toEqual([
      ['A;', true],
      ['C;', false],
    ]);
  });
  it('refuses SQL before the first directive, unknown options and files without up', () => {
    expect(() => parseDbmate('SELECT 1;\n-- migrate:up\n')).toThrow(DbmateParseError);
    expect(() => parseDbmate('-- migrate:up transaction:maybe\n')).toThrow(/unknown option/);
    expect(() => parseDbmate('-- migrate:down\nDROP TABLE x;')).toThrow(/no "-- migrate:up"/);
  });
  it('writes the format dbmate reads back', () => {
    const text = dbmateFileText('CREATE TABLE a (id int);', 'DROP TABLE a;');
    expect(parseDbmate(text).up[0]!.sql.trim()).toBe('CREATE TABLE a (id int);');
    expect(parseDbmate(text).down[0]!.sql.trim()).toBe('DROP TABLE a;');
  });
});

describe('Flyway and new file names', () => {
  it('parses Flyway names', () => {
    expect(FLYWAY_VERSIONED.exec('V1_2__add_users_table.sql')?.slice(1)).toEqual(['1_2', 'add_users_table']);
    expect(flywayDescription('add_users_table')).toBe('add users table');
    expect(FLYWAY_REPEATABLE.test('R__views.sql')).toBe(true);
    expect(FLYWAY_VERSIONED.test('V__x.sql')).toBe(false);
  });
  it('makes dbmate versions and slugs', () => {
    expect(timestampVersion(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('20240102030405');
    expect(migrationSlug('Add “orders” table!')).toBe('add_orders_table');
    expect(() => migrationSlug('!!!')).toThrow(/needs a name/);
  });
});
