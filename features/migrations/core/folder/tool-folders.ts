import { basename, dirname } from 'node:path';
import { sqlChecksum } from '../checksum';
import type { MigrationFile } from './migration-file';

/**
 * Folders of tools whose migrations DB Desk does not run (Python, TypeScript, Prisma's engine):
 * recognised so they are not mistaken for an empty dbmate folder, and read far enough to list
 * each migration and join it with the tool's history table.
 */

type Reader = (path: string) => Promise<string>;
type Rel = (path: string) => string;

const readOnlyFile = (key: string, name: string, file: string, text: string, extra: Partial<MigrationFile> = {}): MigrationFile => ({
  version: key,
  key,
  name,
  repeatable: false,
  file,
  downFile: null,
  up: [],
  down: null,
  checksum: sqlChecksum(text),
  upText: text,
  notes: [],
  ...extra,
});

// ---- Alembic: versions/<rev>_<slug>.py with `revision = "…"` and `down_revision = …`.

const ALEMBIC_REVISION = /^revision(?:\s*:[^=\n]+)?\s*=\s*['"]([^'"]+)['"]/m;
const ALEMBIC_DOWN = /^down_revision(?:\s*:[^=\n]+)?\s*=\s*(None|['"][^'"]*['"]|\(([^)]*)\)|\[([^\]]*)\])/m;

/** The revision id and parents of an Alembic revision file, or null when the text is not one. */
export function parseAlembicRevision(text: string): { revision: string; parents: string[] } | null {
  const rev = ALEMBIC_REVISION.exec(text);
  const down = ALEMBIC_DOWN.exec(text);
  if (!rev || !down) return null;
  const parents = down[1] === 'None' ? [] : [...down[1]!.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return { revision: rev[1]!, parents };
}

/** Revisions from the base up: every revision after all of its parents (ties by file name). */
export async function readAlembic(paths: string[], read: Reader, rel: Rel, problems: string[]): Promise<MigrationFile[]> {
  const byRev = new Map<string, MigrationFile>();
  for (const path of paths) {
    const text = await read(path);
    const parsed = parseAlembicRevision(text)!;
    const slug = basename(path, '.py').replace(new RegExp(`^${parsed.revision.replace(/[^\w]/g, '')}_?`), '');
    const other = byRev.get(parsed.revision);
    if (other) problems.push(`${other.file} and ${rel(path)} are both revision ${parsed.revision}.`);
    byRev.set(parsed.revision, readOnlyFile(parsed.revision, slug, rel(path), text, { parents: parsed.parents }));
  }
  const ordered: MigrationFile[] = [];
  const placed = new Set<string>();
  const pending = [...byRev.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
  while (pending.length > 0) {
    const i = pending.findIndex((m) => m.parents!.every((p) => placed.has(p) || !byRev.has(p)));
    if (i < 0) {
      problems.push(`The revisions ${pending.map((m) => m.key).join(', ')} form a cycle through down_revision.`);
      ordered.push(...pending);
      break;
    }
    const [m] = pending.splice(i, 1);
    placed.add(m!.key);
    ordered.push(m!);
  }
  for (const m of ordered) for (const p of m.parents!) if (!byRev.has(p)) problems.push(`${m.file} follows revision ${p}, which is not in the folder.`);
  return ordered;
}

// ---- Prisma Migrate: <timestamp>_<name>/migration.sql, applied by name.

/** `20240101000000_init/migration.sql`: a Prisma migration, named by its folder. */
export function isPrismaMigration(relPath: string): boolean {
  return basename(relPath) === 'migration.sql' && /^\d+_.+/.test(basename(dirname(relPath)));
}

export async function readPrisma(paths: string[], read: Reader, rel: Rel): Promise<MigrationFile[]> {
  const out: MigrationFile[] = [];
  for (const path of paths) {
    const name = basename(dirname(path));
    out.push(readOnlyFile(name, name.replace(/^\d+_/, ''), rel(path), await read(path)));
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}

// ---- Kysely: modules exporting up (and down), named by the file name without its extension.

export const KYSELY_FILE = /^(?!.*\.d\.[cm]?ts$).+\.([cm]?ts|[cm]?js)$/;
const EXPORTS_UP = /\bexport\s+(?:async\s+)?function\s+up\s*\(|\bexport\s+const\s+up\b/;

export function isKyselyMigration(text: string): boolean {
  return EXPORTS_UP.test(text) && /\bkysely\b/i.test(text);
}

/** Kysely's FileMigrationProvider names a migration by its file name; the Migrator sorts names as strings. */
export async function readKysely(paths: string[], read: Reader, rel: Rel): Promise<MigrationFile[]> {
  const out: MigrationFile[] = [];
  for (const path of paths) {
    const file = basename(path);
    const name = file.slice(0, file.lastIndexOf('.'));
    out.push(readOnlyFile(name, name, rel(path), await read(path)));
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
