import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { MigrationFormat } from '../../../../shared/model/migrations';
import { CoreError } from '../../../../electron/core/errors';
import { sqlChecksum } from '../checksum';
import { DBMATE_FILE, DbmateParseError, hasDbmateDirective, parseDbmate } from './dbmate-format';
import { FLYWAY_BASELINE, FLYWAY_REPEATABLE, FLYWAY_UNDO, FLYWAY_VERSIONED, flywayDescription, isFlywayFile, parseFlywayScriptConf } from './flyway-format';
import { GOLANG_MIGRATE_FILE } from './golang-migrate-format';
import type { MigrationFile, MigrationFolder, MigrationSection } from './migration-file';
import { isKyselyMigration, isPrismaMigration, KYSELY_FILE, parseAlembicRevision, readAlembic, readKysely, readPrisma } from './tool-folders';
import { compareVersionKeys, flywayKey, integerKey } from './versions';

/** Flyway scans its locations recursively; a few levels cover every layout seen in practice. */
const MAX_DEPTH = 4;
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__']);

/** Every file under the folder (a few levels deep), leaving out hidden folders and caches. */
async function listFiles(dir: string, depth = 0): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) out.push(...(await listFiles(path, depth + 1)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

const baseName = (path: string) => path.split(/[\\/]/).pop()!;

/**
 * Reads a migrations folder as it is: detects dbmate, golang-migrate or Flyway from the file
 * names (and dbmate's `-- migrate:up`), and returns every migration in order. Alembic, Prisma and
 * Kysely folders are recognised too (listed, never run). A folder with no migrations yet is a
 * dbmate folder, the format DB Desk writes.
 */
export async function readMigrationFolder(dir: string): Promise<MigrationFolder> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new CoreError('not-found', `The migrations folder "${dir}" does not exist.`);
  if (!info.isDirectory()) throw new CoreError('invalid-input', `"${dir}" is a file, not a folder of migrations.`);
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (err) {
    throw new CoreError('invalid-input', `Cannot read the folder "${dir}": ${(err as Error).message}`);
  }
  const texts = new Map<string, string>();
  const read = async (path: string) => {
    if (!texts.has(path)) texts.set(path, await readFile(path, 'utf8'));
    return texts.get(path)!;
  };
  const rel = (path: string) => relative(dir, path).split('\\').join('/');

  const byFormat: Record<MigrationFormat, string[]> = { dbmate: [], 'golang-migrate': [], flyway: [], alembic: [], prisma: [], kysely: [] };
  const numbered: string[] = [];
  for (const path of files) {
    const name = baseName(path);
    const topLevel = relative(dir, path) === name;
    if (name.endsWith('.py')) {
      if (parseAlembicRevision(await read(path))) byFormat.alembic.push(path);
    } else if (isPrismaMigration(rel(path))) byFormat.prisma.push(path);
    else if (topLevel && KYSELY_FILE.test(name)) {
      if (isKyselyMigration(await read(path))) byFormat.kysely.push(path);
    } else if (!/\.sql$/i.test(name)) continue;
    else if (isFlywayFile(name)) byFormat.flyway.push(path);
    else if (!topLevel) continue;
    else if (GOLANG_MIGRATE_FILE.test(name)) byFormat['golang-migrate'].push(path);
    else if (DBMATE_FILE.test(name)) (hasDbmateDirective(await read(path)) ? byFormat.dbmate : numbered).push(path);
  }

  const present = (Object.keys(byFormat) as MigrationFormat[]).filter((f) => byFormat[f].length > 0);
  const problems: string[] = [];
  const ignored: string[] = [];
  if (present.length > 1) {
    problems.push(
      `The folder mixes ${present.map((f) => `${f} (${byFormat[f].map(baseName).slice(0, 3).join(', ')}${byFormat[f].length > 3 ? ', …' : ''})`).join(' and ')} files. Keep one format per folder.`,
    );
  }
  const format = present.sort((a, b) => byFormat[b].length - byFormat[a].length)[0] ?? 'dbmate';
  let migrations: MigrationFile[];
  if (format === 'flyway') migrations = await readFlyway(byFormat.flyway, read, rel, problems, ignored);
  else if (format === 'golang-migrate') migrations = await readGolangMigrate(byFormat['golang-migrate'], read, rel, problems);
  else if (format === 'alembic') migrations = await readAlembic(byFormat.alembic, read, rel, problems);
  else if (format === 'prisma') migrations = await readPrisma(byFormat.prisma, read, rel);
  else if (format === 'kysely') migrations = await readKysely(byFormat.kysely, read, rel);
  // dbmate takes every top-level file named `<digits>….sql` as a migration, and refuses those it cannot parse.
  else migrations = await readDbmate([...byFormat.dbmate, ...numbered], read, rel, problems);
  if (format !== 'dbmate') for (const path of numbered) ignored.push(`${rel(path)} (numbered like a migration but without "-- migrate:up")`);

  const seen = new Map<string, string>();
  for (const m of migrations) {
    const other = seen.get(m.key);
    if (other && format !== 'alembic') problems.push(`${other} and ${m.file} have the same version ${m.version}.`);
    seen.set(m.key, m.file);
  }
  // Alembic's order is its revision graph (already followed); the others order by version.
  if (format !== 'alembic') migrations.sort((a, b) => compareVersionKeys(a.key, b.key) || (a.file < b.file ? -1 : 1));
  return { dir, format, migrations, problems, ignored };
}

type Reader = (path: string) => Promise<string>;
type Rel = (path: string) => string;

const joinSections = (sections: MigrationSection[]) => sections.map((s) => s.sql).join('\n');

async function readDbmate(paths: string[], read: Reader, rel: Rel, problems: string[]): Promise<MigrationFile[]> {
  const out: MigrationFile[] = [];
  for (const path of paths) {
    const m = DBMATE_FILE.exec(baseName(path))!;
    const text = await read(path);
    try {
      const sections = parseDbmate(text);
      if (sections.up.length > 1) {
        // dbmate parses these (since 2.20) but records the version after every pair, and the second
        // insert breaks schema_migrations' primary key: `dbmate up` stops after the first pair.
        problems.push(
          `${rel(path)}: dbmate cannot apply a file with ${sections.up.length} up/down pairs: it records the version after each pair and fails on the second record (duplicate key in schema_migrations), leaving the first pair applied. Split it into one file per pair, or merge the pairs into one.`,
        );
        continue;
      }
      out.push({
        version: m[1]!,
        key: m[1]!,
        name: m[2] ?? '',
        repeatable: false,
        file: rel(path),
        downFile: null,
        up: sections.up,
        down: sections.down.length > 0 ? sections.down : null,
        checksum: sqlChecksum(joinSections(sections.up)),
        upText: text,
        notes: sections.warnings,
      });
    } catch (err) {
      if (!(err instanceof DbmateParseError)) throw err;
      problems.push(`${rel(path)}: ${err.message}`);
    }
  }
  return out;
}

async function readGolangMigrate(paths: string[], read: Reader, rel: Rel, problems: string[]): Promise<MigrationFile[]> {
  const groups = new Map<string, { version: string; name: string; up?: string; down?: string }>();
  for (const path of paths) {
    const m = GOLANG_MIGRATE_FILE.exec(baseName(path))!;
    const key = integerKey(m[1]!);
    const g = groups.get(key) ?? { version: m[1]!, name: m[2]! };
    const dir = m[3]!.toLowerCase() as 'up' | 'down';
    if (g[dir]) problems.push(`Version ${key} has two ${dir} files: ${rel(g[dir])} and ${rel(path)}.`);
    g[dir] = path;
    groups.set(key, g);
  }
  const out: MigrationFile[] = [];
  for (const [key, g] of groups) {
    if (!g.up) {
      problems.push(`${rel(g.down!)} has no matching .up.sql file.`);
      continue;
    }
    const upText = await read(g.up);
    const up: MigrationSection[] = [{ sql: upText, transaction: true, firstLine: 1 }];
    const down = g.down ? [{ sql: await read(g.down), transaction: true, firstLine: 1 }] : null;
    out.push({ version: g.version, key, name: g.name, repeatable: false, file: rel(g.up), downFile: g.down ? rel(g.down) : null, up, down, checksum: sqlChecksum(upText), upText, notes: [] });
  }
  return out;
}

async function readFlyway(paths: string[], read: Reader, rel: Rel, problems: string[], ignored: string[]): Promise<MigrationFile[]> {
  const out = new Map<string, MigrationFile>();
  const undo = new Map<string, string>();
  const section = async (path: string): Promise<MigrationSection> => {
    const conf = existsSync(`${path}.conf`) ? parseFlywayScriptConf(await readFile(`${path}.conf`, 'utf8')) : { executeInTransaction: null };
    return { sql: await read(path), transaction: conf.executeInTransaction ?? true, firstLine: 1 };
  };
  for (const path of paths) {
    const name = baseName(path);
    let m: RegExpExecArray | null;
    if ((m = FLYWAY_VERSIONED.exec(name))) {
      const key = flywayKey(m[1]!);
      const upText = await read(path);
      const existing = out.get(key);
      if (existing) problems.push(`${existing.file} and ${rel(path)} have the same version ${key}.`);
      out.set(key, { version: m[1]!.replace(/_/g, '.'), key, name: flywayDescription(m[2]!), repeatable: false, file: rel(path), downFile: null, up: [await section(path)], down: null, checksum: sqlChecksum(upText), upText, notes: [] });
    } else if ((m = FLYWAY_UNDO.exec(name))) {
      undo.set(flywayKey(m[1]!), path);
    } else if ((m = FLYWAY_REPEATABLE.exec(name))) {
      const description = flywayDescription(m[1]!);
      const upText = await read(path);
      const key = `R:${description}`;
      out.set(key, { version: 'R', key, name: description, repeatable: true, file: rel(path), downFile: null, up: [await section(path)], down: null, checksum: sqlChecksum(upText), upText, notes: [] });
    } else if (FLYWAY_BASELINE.test(name)) {
      ignored.push(`${rel(path)} (Flyway baseline migrations are not run by DB Desk; use "baseline" instead)`);
    }
  }
  for (const [key, path] of undo) {
    const target = out.get(key);
    if (!target) {
      problems.push(`${rel(path)} undoes version ${key}, which has no V file.`);
      continue;
    }
    target.downFile = rel(path);
    target.down = [await section(path)];
  }
  return [...out.values()];
}
