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

  it('match a checksum Flyway itself wrote: V3__Couple.sql of its dry-run tutorial (trailing spaces kept)', () => {
    // flyway/flyway documentation/Reference/Tutorials/Tutorial - Dry Runs.md: the script, and the row
    // `flyway migrate -dryRunOutput` wrote for it with checksum -722651034.
    const couple = 'create table COUPLE (\n    ID int not null,\n    PERSON1 int not null references PERSON(ID), \n    PERSON2 int not null references PERSON(ID) \n);\n';
    expect(flywayChecksum(couple)).toBe(-722651034);
    expect(flywayChecksum(couple.replace(/\n/g, '\r\n'))).toBe(-722651034);
    expect(flywayChecksum(`\uFEFF${couple}`)).toBe(-722651034);
    // Trailing spaces are part of a line to Flyway: trimming them is an edit.
    expect(flywayChecksum(couple.replace(/ \n/g, '\n'))).not.toBe(-722651034);
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
    expect(parsed.warnings).toEqual([]);
  });
  it('cuts the file at every up directive, as dbmate does (several pairs parse)', () => {
    const parsed = parseDbmate('-- migrate:up\nA;\n-- migrate:down\nB;\n-- migrate:up transaction:false\nC;\n-- migrate:down\nD;');
    expect(parsed.up.map((s) => [s.sql.trim(), s.transaction])).toEqual([
      ['A;', true],
      ['C;', false],
    ]);
    expect(parseDbmate('--migrate:up\nA;\r\n--migrate:down\r\n').up[0]!.sql).toBe('A;');
  });
  it('refuses what dbmate refuses, with dbmate’s own words', () => {
    const refusal = (text: string) => {
      try {
        parseDbmate(text);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(DbmateParseError);
        return (err as DbmateParseError).dbmateError;
      }
    };
    expect(refusal('SELECT 1;\n-- migrate:up\n-- migrate:down\n')).toBe("dbmate does not support statements preceding the '-- migrate:up' block");
    expect(refusal('CREATE TABLE z (id int);\n')).toBe("dbmate requires each migration to define an up block with '-- migrate:up'");
    expect(refusal('  -- migrate:up\nA;\n-- migrate:down\n')).toBe("dbmate requires each migration to define an up block with '-- migrate:up'");
    expect(refusal('-- migrate:upgrade\nA;\n-- migrate:down\n')).toBe("dbmate requires each migration to define an up block with '-- migrate:up'");
    expect(refusal('-- migrate:up\nCREATE TABLE z (id int);\n')).toBe("dbmate requires each migration to define a down block with '-- migrate:down'");
    // Two up blocks before one down: the first piece has no down block.
    expect(refusal('-- migrate:up\nA;\n-- migrate:up\nB;\n-- migrate:down\n')).toBe("dbmate requires each migration to define a down block with '-- migrate:down'");
    expect(refusal('-- migrate:down\n-- migrate:up\nA;\n')).toBe("dbmate requires each migration to define a down block with '-- migrate:down'");
    expect(refusal('-- migrate:up\nA;\n-- migrate:down\nB;\n-- migrate:down\nC;\n')).toBe("dbmate requires every '-- migrate:down' to be preceded by a '-- migrate:up'");
  });
  it('reads options as dbmate does: only transaction:false turns the transaction off; others are ignored, with a warning', () => {
    const maybe = parseDbmate('-- migrate:up transaction:maybe foo:bar\nA;\n-- migrate:down\n');
    expect(maybe.up[0]!.transaction).toBe(true);
    expect(maybe.warnings).toEqual(['Line 1: dbmate reads "transaction:maybe" as transaction:true (only "false" turns the transaction off).', 'Line 1: dbmate ignores the option "foo:bar" (it knows only transaction:false).']);
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
