import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { MigrationFormat } from '../../../../shared/model/migrations';
import { CoreError } from '../../../../electron/core/errors';
import { dbmateFileText } from './dbmate-format';
import { readMigrationFolder } from './read-folder';

export interface NewMigration {
  /** Words for the file name: "add orders table" → `…_add_orders_table.sql`. */
  name: string;
  /** SQL for the up and down sections; empty for a template to fill in. */
  up?: string;
  down?: string;
  /**
   * False when the SQL runs its own transaction (the schema designer's SQLite rebuilds). Only
   * dbmate's format can say so (`transaction:false`); other folders refuse such a migration.
   */
  transaction?: boolean;
}

export interface WrittenMigration {
  format: MigrationFormat;
  version: string;
  /** Files written, relative to the folder. */
  files: string[];
}

/** `add orders table` → `add_orders_table` (dbmate's file names are the version and these words). */
export function migrationSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);
  if (slug === '') throw new CoreError('invalid-input', 'A migration needs a name with at least one letter or digit, e.g. "add orders table".');
  return slug;
}

/** dbmate's version: the UTC time as YYYYMMDDHHMMSS. */
export function timestampVersion(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(now.getUTCFullYear(), 4)}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

/**
 * Writes a new migration into a folder (created when missing). An empty folder gets dbmate's
 * format; a folder that already holds golang-migrate or Flyway files gets that format, so a team
 * keeps one layout. The schema designer calls this with generated SQL; the GUI with a template.
 */
export async function writeNewMigration(dir: string, migration: NewMigration, now = new Date()): Promise<WrittenMigration> {
  const slug = migrationSlug(migration.name);
  // A relative folder would land wherever DB Desk was started (the contract refuses one too; this is the platform's own test).
  if (!isAbsolute(dir)) throw new CoreError('invalid-input', `"${dir}" is not an absolute path on the machine that runs DB Desk.`);
  await mkdir(dir, { recursive: true });
  const folder = await readMigrationFolder(dir);
  if (folder.problems.some((p) => p.startsWith('The folder mixes'))) {
    throw new CoreError('invalid-input', `Not adding to "${dir}": ${folder.problems[0]}`);
  }
  const up = migration.up ?? '';
  const down = migration.down ?? '';
  const keys = folder.migrations.filter((m) => !m.repeatable).map((m) => m.version);
  const write = async (file: string, text: string) => {
    const path = join(dir, file);
    if (existsSync(path)) throw new CoreError('conflict', `${file} already exists in the folder.`);
    await writeFile(path, text, { encoding: 'utf8', flag: 'wx' });
  };

  if (folder.format === 'dbmate') {
    let version = timestampVersion(now);
    // Two migrations in the same second: take the next free second.
    while (keys.includes(version)) version = timestampVersion(new Date(Date.UTC(+version.slice(0, 4), +version.slice(4, 6) - 1, +version.slice(6, 8), +version.slice(8, 10), +version.slice(10, 12), +version.slice(12, 14) + 1)));
    const file = `${version}_${slug}.sql`;
    await write(file, dbmateFileText(up, down, { transaction: migration.transaction ?? true }));
    return { format: 'dbmate', version, files: [file] };
  }

  if (migration.transaction === false) {
    throw new CoreError(
      'invalid-input',
      `This migration runs its own transaction, which only dbmate's format can say ("-- migrate:up transaction:false"); "${dir}" holds ${folder.format} migrations. Save it into a dbmate folder, or copy the SQL by hand.`,
    );
  }
  const sequential = keys.length > 0 && keys.every((k) => /^\d+$/.test(k) && k.length < 12);
  const next = () => {
    const max = keys.reduce((m, k) => (BigInt(k) > m ? BigInt(k) : m), 0n) + 1n;
    const width = Math.max(...keys.map((k) => k.length));
    return /^0/.test(keys[0] ?? '') ? max.toString().padStart(width, '0') : max.toString();
  };
  const body = (s: string) => (s.trim() === '' ? '' : `${s.trim()}\n`);
  if (folder.format === 'golang-migrate') {
    const version = sequential ? next() : timestampVersion(now);
    const files = [`${version}_${slug}.up.sql`, `${version}_${slug}.down.sql`];
    await write(files[0]!, body(up));
    await write(files[1]!, body(down));
    return { format: 'golang-migrate', version, files };
  }
  const version = sequential ? next() : timestampVersion(now);
  const files = [`V${version}__${slug}.sql`];
  await write(files[0]!, body(up));
  if (down.trim() !== '') {
    files.push(`U${version}__${slug}.sql`);
    await write(files[1]!, body(down));
  }
  return { format: 'flyway', version, files };
}
