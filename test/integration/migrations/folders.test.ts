import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrationFolder } from '../../../features/migrations/core/folder/read-folder';
import { writeNewMigration } from '../../../features/migrations/core/folder/new-migration';
import { dbmateFile, migrationFolder } from '../../support/migrations';

/** Folder reading on real files (no database). */
describe('reading migration folders as they are', () => {
  it('dbmate: leading digits are the version, sections parsed; a numbered file without directives is refused as dbmate refuses it', async () => {
    const f = migrationFolder({
      '20240102000000_second.sql': dbmateFile('CREATE TABLE b (id int);', 'DROP TABLE b;'),
      '20240101000000_first.sql': dbmateFile('CREATE TABLE a (id int);'),
      '001_schema.sql': 'CREATE TABLE x (id int);',
      'README.md': '# notes',
    });
    try {
      const folder = await readMigrationFolder(f.dir);
      expect(folder.format).toBe('dbmate');
      expect(folder.migrations.map((m) => [m.version, m.name, m.file])).toEqual([
        ['20240101000000', 'first', '20240101000000_first.sql'],
        ['20240102000000', 'second', '20240102000000_second.sql'],
      ]);
      expect(folder.migrations[1]!.down![0]!.sql.trim()).toBe('DROP TABLE b;');
      expect(folder.ignored).toEqual([]);
      expect(folder.problems).toEqual([expect.stringMatching(/^001_schema\.sql: dbmate refuses it \("dbmate requires each migration to define an up block with '-- migrate:up'"\)/)]);
    } finally {
      f.remove();
    }
  });

  it('golang-migrate: pairs up and down files, numeric order, and reports an orphan down file', async () => {
    const f = migrationFolder({ '10_ten.up.sql': 'SELECT 10;', '2_two.up.sql': 'SELECT 2;', '2_two.down.sql': 'SELECT -2;', '3_three.down.sql': 'SELECT -3;' });
    try {
      const folder = await readMigrationFolder(f.dir);
      expect(folder.format).toBe('golang-migrate');
      expect(folder.migrations.map((m) => [m.key, m.downFile])).toEqual([
        ['2', '2_two.down.sql'],
        ['10', null],
      ]);
      expect(folder.problems).toEqual(['3_three.down.sql has no matching .up.sql file.']);
    } finally {
      f.remove();
    }
  });

  it('Flyway: V, U and R files (in sub-folders too), .sql.conf, duplicate versions', async () => {
    const f = migrationFolder({
      'V1__init.sql': 'CREATE TABLE a (id int);',
      'V1.1__more.sql': 'CREATE TABLE b (id int);',
      'U1.1__more.sql': 'DROP TABLE b;',
      'views/R__all_views.sql': 'CREATE OR REPLACE VIEW v AS SELECT 1;',
      'V2__index.sql': 'CREATE INDEX CONCURRENTLY i ON a (id);',
      'V2__index.sql.conf': 'executeInTransaction=false\n',
      'V01__dup.sql': 'SELECT 1;',
    });
    try {
      const folder = await readMigrationFolder(f.dir);
      expect(folder.format).toBe('flyway');
      expect(folder.migrations.map((m) => [m.key, m.name, m.repeatable])).toEqual([
        ['1', expect.any(String), false],
        ['1.1', 'more', false],
        ['2', 'index', false],
        ['R:all views', 'all views', true],
      ]);
      expect(folder.migrations.find((m) => m.key === '1.1')!.downFile).toBe('U1.1__more.sql');
      expect(folder.migrations.find((m) => m.key === '2')!.up[0]!.transaction).toBe(false);
      expect(folder.problems.some((p) => /same version 1/.test(p))).toBe(true);
    } finally {
      f.remove();
    }
  });

  it('refuses a folder that mixes formats, and a folder that does not exist', async () => {
    const f = migrationFolder({ 'V1__a.sql': 'SELECT 1;', '1_b.up.sql': 'SELECT 1;' });
    try {
      const folder = await readMigrationFolder(f.dir);
      expect(folder.problems[0]).toMatch(/mixes (golang-migrate \(1_b\.up\.sql\) and flyway \(V1__a\.sql\)|flyway \(V1__a\.sql\) and golang-migrate \(1_b\.up\.sql\)) files/);
      await expect(readMigrationFolder(join(f.dir, 'nope'))).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      f.remove();
    }
  });
});

describe('writing new migrations', () => {
  it('an empty folder gets dbmate files; two in the same second get different versions', async () => {
    const f = migrationFolder();
    try {
      const now = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
      const a = await writeNewMigration(f.dir, { name: 'Add orders', up: 'CREATE TABLE orders (id int);', down: 'DROP TABLE orders;' }, now);
      const b = await writeNewMigration(f.dir, { name: 'add customers' }, now);
      expect(a).toEqual({ format: 'dbmate', version: '20240506070809', files: ['20240506070809_add_orders.sql'] });
      expect(b.version).toBe('20240506070810');
      expect(readFileSync(join(f.dir, a.files[0]!), 'utf8')).toBe('-- migrate:up\nCREATE TABLE orders (id int);\n\n-- migrate:down\nDROP TABLE orders;\n');
      expect(readFileSync(join(f.dir, b.files[0]!), 'utf8')).toBe('-- migrate:up\n\n\n-- migrate:down\n\n');
      expect((await readMigrationFolder(f.dir)).migrations.map((m) => m.name)).toEqual(['add_orders', 'add_customers']);
    } finally {
      f.remove();
    }
  });

  it('a golang-migrate or Flyway folder keeps its own format and numbering', async () => {
    const g = migrationFolder({ '000001_a.up.sql': '', '000001_a.down.sql': '' });
    const fw = migrationFolder({ 'V1__a.sql': '', 'V2__b.sql': '' });
    try {
      expect(await writeNewMigration(g.dir, { name: 'next' })).toEqual({ format: 'golang-migrate', version: '000002', files: ['000002_next.up.sql', '000002_next.down.sql'] });
      expect(await writeNewMigration(fw.dir, { name: 'next', up: 'SELECT 1;', down: 'SELECT 2;' })).toEqual({ format: 'flyway', version: '3', files: ['V3__next.sql', 'U3__next.sql'] });
    } finally {
      g.remove();
      fw.remove();
    }
  });
});
