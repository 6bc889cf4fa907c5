import type { ForeignHistory, ForeignTool, MigrationFormat } from '../../../../shared/model/migrations';
import type { MigrationAdapter, MigrationConnection, TableColumns } from '../migration-adapter';
import { compareVersionKeys, flywayKey, integerKey } from '../folder/versions';

/** Every table name DB Desk looks for: the other tools' histories and locks. */
export const FOREIGN_TABLE_NAMES = [
  'flyway_schema_history',
  'databasechangelog',
  'databasechangeloglock',
  'atlas_schema_revisions',
  'schema_migrations',
  '_prisma_migrations',
  'kysely_migration',
  'kysely_migration_lock',
  'alembic_version',
];

/** What another tool's history says, in the terms the planner needs. */
export interface ForeignReading {
  info: ForeignHistory;
  table: TableColumns;
  /**
   * Applied versions by canonical key (dbmate, Flyway, Prisma, Kysely). `checksum` is the tool's own
   * (Flyway's CRC32, Prisma's SHA-256 hex), where it keeps one.
   */
  applied: Map<string, { at: string | null; by: string | null; checksum: number | string | null }>;
  /** Versions the tool left failed or dirty, with the marker in words. */
  failed: Map<string, string>;
  /** golang-migrate records one current version: everything up to it is applied. */
  upTo: string | null;
  /** Flyway BASELINE rows: everything up to this version counts as applied. */
  baselineUpTo: string | null;
  /** Alembic: the current head revision(s); a revision is applied when a head descends from it. */
  heads: string[] | null;
}

/** Which tool wrote a table, from its name and columns (golang-migrate and dbmate share a name). */
export function recogniseTool(t: TableColumns): ForeignTool | null {
  const name = t.name.toLowerCase();
  const has = (c: string) => t.columns.includes(c);
  switch (name) {
    case 'flyway_schema_history':
      return has('installed_rank') && has('success') ? 'flyway' : null;
    case 'databasechangelog':
      return has('exectype') ? 'liquibase' : null;
    case 'atlas_schema_revisions':
      return has('version') && has('applied') ? 'atlas' : null;
    case 'schema_migrations':
      if (!has('version')) return null;
      return has('dirty') ? 'golang-migrate' : 'dbmate';
    case '_prisma_migrations':
      return has('migration_name') ? 'prisma' : null;
    case 'kysely_migration':
      return has('name') ? 'kysely' : null;
    case 'alembic_version':
      return has('version_num') ? 'alembic' : null;
    default:
      return null;
  }
}

const lower = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
const truthy = (v: unknown) => v === true || v === 1 || v === 1n || v === '1' || v === 't' || v === 'true';
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

async function selectAll(conn: MigrationConnection, adapter: MigrationAdapter, t: TableColumns): Promise<Record<string, unknown>[]> {
  const from = t.schema ? adapter.compiler.withSchema(t.schema).selectFrom(t.name) : adapter.compiler.selectFrom(t.name);
  const { rows } = await conn.query<Record<string, unknown>>(from.selectAll().compile());
  return rows.map(lower);
}

/**
 * Reads another tool's history table. For the tool whose folder format matches, the result says
 * which versions it applied, so the plan never applies them again.
 */
export async function readForeignHistory(
  conn: MigrationConnection,
  adapter: MigrationAdapter,
  tool: ForeignTool,
  table: TableColumns,
  tables: TableColumns[],
  folderFormat: MigrationFormat,
): Promise<ForeignReading> {
  const rows = await selectAll(conn, adapter, table);
  const reading: ForeignReading = {
    info: { tool, table: table.schema ? `${table.schema}.${table.name}` : table.name, applied: 0, summary: '', markers: [], latest: null, matchesFolder: tool === folderFormat },
    table,
    applied: new Map(),
    failed: new Map(),
    upTo: null,
    baselineUpTo: null,
    heads: null,
  };
  const companion = (name: string) => tables.find((t) => t.name.toLowerCase() === name);
  const { info } = reading;

  switch (tool) {
    case 'flyway': {
      rows.sort((a, b) => Number(a.installed_rank) - Number(b.installed_rank));
      for (const r of rows) {
        const type = String(r.type ?? '').toUpperCase();
        const version = text(r.version);
        const key = version === null ? `R:${String(r.description)}` : flywayKey(version);
        if (type === 'SCHEMA') continue;
        if (type === 'BASELINE' && truthy(r.success) && version) {
          reading.baselineUpTo = key;
          continue;
        }
        if (type === 'DELETE' || type.startsWith('UNDO')) {
          if (truthy(r.success)) reading.applied.delete(key);
          continue;
        }
        if (truthy(r.success)) {
          reading.applied.set(key, { at: text(r.installed_on), by: text(r.installed_by), checksum: r.checksum === null || r.checksum === undefined ? null : Number(r.checksum) });
          reading.failed.delete(key);
        } else {
          reading.failed.set(key, `${version === null ? String(r.description) : `V${version}`} failed (success = false in ${info.table})`);
        }
      }
      break;
    }
    case 'dbmate':
      for (const r of rows) reading.applied.set(String(r.version), { at: null, by: 'dbmate', checksum: null });
      info.summary = `${plural(rows.length, 'version')} applied`;
      break;
    case 'golang-migrate': {
      const r = rows[0];
      if (r && r.version !== null && r.version !== undefined && Number(r.version) >= 0) {
        const key = integerKey(String(r.version));
        reading.upTo = key;
        if (truthy(r.dirty)) {
          reading.failed.set(key, `dirty at version ${key} (golang-migrate stopped in the middle of it)`);
          info.markers.push(`dirty at version ${key}`);
        }
        info.latest = key;
      }
      info.summary = reading.upTo === null ? 'no version (nothing applied)' : `at version ${reading.upTo}${r && truthy(r.dirty) ? ', dirty' : ''} (everything up to it counts as applied)`;
      break;
    }
    case 'liquibase': {
      let applied = 0;
      for (const r of rows) {
        const exec = String(r.exectype ?? '').toUpperCase();
        if (['EXECUTED', 'RERAN', 'MARK_RAN'].includes(exec)) applied++;
        if (exec === 'FAILED') info.markers.push(`changeset ${String(r.id)} by ${String(r.author)} failed`);
      }
      info.applied = applied;
      const lock = companion('databasechangeloglock');
      if (lock) {
        for (const l of await selectAll(conn, adapter, lock)) {
          if (truthy(l.locked)) info.markers.push(`locked by ${String(l.lockedby ?? 'someone')} since ${String(l.lockgranted ?? 'unknown')} (liquibase release-locks clears it)`);
        }
      }
      const last = rows.sort((a, b) => Number(a.orderexecuted) - Number(b.orderexecuted)).at(-1);
      // A changeset is known by author and id (and its changelog file), not by a version.
      info.latest = last ? `${String(last.id)} by ${String(last.author)}${last.filename ? ` (${String(last.filename)})` : ''}` : null;
      info.summary = `${plural(applied, 'changeset')} ran${info.latest ? `, the last ${info.latest}` : ''}`;
      return reading;
    }
    case 'atlas': {
      let applied = 0;
      for (const r of rows) {
        const done = Number(r.applied ?? 0);
        const total = Number(r.total ?? 0);
        if (done >= total && !r.error) applied++;
        else info.markers.push(`version ${String(r.version)}: ${done} of ${total} statements applied${r.error ? ` — ${String(r.error).slice(0, 200)}` : ''}`);
      }
      info.applied = applied;
      info.latest = rows.map((r) => String(r.version)).sort().at(-1) ?? null;
      info.summary = `${plural(applied, 'version')} applied${info.latest ? `, latest ${info.latest}` : ''}`;
      return reading;
    }
    case 'prisma': {
      // One row per attempt: finished and not rolled back is applied; unfinished and not rolled back failed (P3009).
      rows.sort((a, b) => String(a.started_at ?? '').localeCompare(String(b.started_at ?? '')));
      for (const r of rows) {
        const name = String(r.migration_name);
        if (r.finished_at !== null && r.rolled_back_at === null) {
          reading.applied.set(name, { at: text(r.finished_at), by: 'Prisma Migrate', checksum: text(r.checksum) });
          reading.failed.delete(name);
        } else if (r.finished_at === null && r.rolled_back_at === null) {
          reading.failed.set(name, `${name} failed or is still running (finished_at is empty in ${info.table}; prisma migrate resolve decides)`);
        }
      }
      break;
    }
    case 'kysely': {
      for (const r of rows) reading.applied.set(String(r.name), { at: text(r.timestamp), by: 'Kysely', checksum: null });
      const lock = companion('kysely_migration_lock');
      if (lock) for (const l of await selectAll(conn, adapter, lock)) if (truthy(l.is_locked)) info.markers.push('kysely_migration_lock says locked');
      break;
    }
    case 'alembic': {
      // alembic_version holds the current head revision(s), one row per head: not a count.
      reading.heads = rows.map((r) => String(r.version_num)).sort();
      info.applied = null;
      info.latest = reading.heads.join(', ') || null;
      info.summary = reading.heads.length === 0 ? 'no current revision (at base)' : reading.heads.length === 1 ? `at revision ${reading.heads[0]}` : `at revisions ${reading.heads.join(', ')}`;
      if (rows.length > 1) info.markers.push(`${rows.length} heads (unmerged branches)`);
      return reading;
    }
  }
  for (const [, marker] of reading.failed) if (!info.markers.includes(marker)) info.markers.push(marker);
  if (tool !== 'golang-migrate') {
    info.applied = reading.applied.size;
    info.latest = [...reading.applied.keys()].filter((k) => !k.startsWith('R:')).sort(compareVersionKeys).at(-1) ?? reading.baselineUpTo;
  }
  if (tool === 'flyway') info.summary = `${plural(reading.applied.size, 'migration')} applied${info.latest ? `, latest version ${info.latest}` : ''}`;
  if (tool === 'prisma' || tool === 'kysely' || tool === 'dbmate') info.summary = `${plural(reading.applied.size, tool === 'dbmate' ? 'version' : 'migration')} applied${info.latest ? `, latest ${info.latest}` : ''}`;
  return reading;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
