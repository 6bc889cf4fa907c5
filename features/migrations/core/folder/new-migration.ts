import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { foreignToolLabels, isRunnableFormat, type MigrationFormat } from '../../../../shared/model/migrations';
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
  // Two windows writing into one folder at once would both take the same next version: one at a time.
  const key = resolve(dir);
  const before = writing.get(key) ?? Promise.resolve();
  const mine = before.then(() => writeInto(dir, slug, migration, now));
  const settled = mine.catch(() => undefined);
  writing.set(key, settled);
  void settled.then(() => {
    if (writing.get(key) === settled) writing.delete(key);
  });
  return mine;
}

/** Folders a migration is being written into right now, each with the end of its last write. */
const writing = new Map<string, Promise<unknown>>();

async function writeInto(dir: string, slug: string, migration: NewMigration, now: Date): Promise<WrittenMigration> {
  await mkdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw folderError(dir, err);
  });
  const folder = await readMigrationFolder(dir);
  if (folder.problems.some((p) => p.startsWith('The folder mixes'))) {
    throw new CoreError('invalid-input', `Not adding to "${dir}": ${folder.problems[0]}`);
  }
  if (!isRunnableFormat(folder.format)) {
    throw new CoreError('invalid-input', `"${dir}" holds ${foreignToolLabels[folder.format]} migrations, which DB Desk does not write or run: create the migration with ${foreignToolLabels[folder.format]} itself.`);
  }
  const up = migration.up ?? '';
  const down = migration.down ?? '';
  const keys = folder.migrations.filter((m) => !m.repeatable).map((m) => m.version);
  const write = async (file: string, text: string) => {
    const path = join(dir, file);
    if (existsSync(path)) throw new CoreError('conflict', `${file} already exists in the folder.`);
    await writeFile(path, text, { encoding: 'utf8', flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
      // Another program wrote the same file since the folder was read.
      if (err.code === 'EEXIST') throw new CoreError('conflict', `${file} appeared in the folder while it was being written. Try again.`);
      throw folderError(dir, err);
    });
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

/** What stops a migration being written into a folder, in words. */
function folderError(dir: string, err: NodeJS.ErrnoException): CoreError {
  switch (err.code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new CoreError('invalid-input', `"${dir}" is not a folder (a file is in its place or in its path).`);
    case 'EACCES':
    case 'EPERM':
      return new CoreError('forbidden', `No permission to write into "${dir}".`);
    case 'EROFS':
      return new CoreError('forbidden', `"${dir}" is on a read-only file system.`);
    default:
      return new CoreError('invalid-input', `Cannot write into "${dir}": ${err.code ?? err.message}.`);
  }
}
