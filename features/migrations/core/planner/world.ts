import type { LockHolder, LockStrategy, MigrationEntry, MigrationState } from '../../../../shared/model/migrations';
import { foreignToolLabels } from '../../../../shared/model/migrations';
import type { MigrationAdapter, MigrationConnection, MigrationTarget, TableColumns } from '../migration-adapter';
import { flywayChecksum } from '../checksum';
import type { MigrationFile, MigrationFolder } from '../folder/migration-file';
import { compareVersionKeys, versionKey } from '../folder/versions';
import { FOREIGN_TABLE_NAMES, readForeignHistory, recogniseTool, type ForeignReading } from '../foreign/foreign-history';
import { foldHistory, type OpenFailure, type OwnVersionState } from '../history/fold-history';
import { HISTORY_TABLE, HistoryStore, LOCK_TABLE, type Audit, type HistoryRecord } from '../history/history-store';
import { currentLockHolder } from '../locks/run-lock';

/** One version with everything every source says about it. */
export interface VersionView {
  key: string;
  file: MigrationFile | null;
  own: OwnVersionState | null;
  state: MigrationState;
  /** A failure that blocks every run until an admin decides. */
  blockingFailure: OpenFailure | null;
  /** golang-migrate's dirty flag or Flyway's failed row, when DB Desk has no record of its own. */
  foreignFailure: string | null;
  appliedBy: string | null;
  appliedAt: string | null;
  /** Whether the matching tool (not DB Desk) applied it. */
  appliedByTool: boolean;
  note: string | null;
}

/** The folder, the database's histories and the lock, read once, joined by version. */
export interface World {
  folder: MigrationFolder;
  target: MigrationTarget;
  tables: TableColumns[];
  historyTable: boolean;
  history: HistoryRecord[];
  foreign: ForeignReading[];
  /** The other tool's history that decides what is applied (the tool that wrote the folder). */
  matching: ForeignReading | null;
  lockStrategy: LockStrategy;
  lock: LockHolder | null;
  versions: VersionView[];
  warnings: string[];
}

export async function loadWorld(
  conn: MigrationConnection,
  adapter: MigrationAdapter,
  folder: MigrationFolder,
  target: MigrationTarget,
  audit: Audit,
  lockStrategy: LockStrategy,
  /** Inside a run, under our own lock: a `running` row is then a crashed earlier run, never a live one. */
  lockHeldByUs = false,
): Promise<World> {
  const tables = await adapter.listTables(conn, [...FOREIGN_TABLE_NAMES, HISTORY_TABLE, LOCK_TABLE]);
  const historyTable = tables.some((t) => t.schema === null && t.name.toLowerCase() === HISTORY_TABLE);
  const history = historyTable ? await new HistoryStore(conn, adapter, audit).read() : [];
  const warnings: string[] = [];
  const foreign: ForeignReading[] = [];
  for (const t of tables) {
    const tool = recogniseTool(t);
    if (!tool) continue;
    try {
      foreign.push(await readForeignHistory(conn, adapter, tool, t, tables, folder.format));
    } catch (err) {
      warnings.push(`Could not read ${t.name} (${foreignToolLabels[tool]}): ${(err as Error).message}`);
    }
  }
  const matching = foreign.find((f) => f.info.matchesFolder) ?? null;
  if (folder.format === 'dbmate' && !matching && foreign.some((f) => f.info.tool === 'golang-migrate')) {
    warnings.push("schema_migrations here belongs to golang-migrate (it has a dirty column), not dbmate: DB Desk does not treat it as this folder's history and does not write to it.");
  }
  const lock = await currentLockHolder(conn, adapter, lockStrategy, target, audit);
  const world: World = { folder, target, tables, historyTable, history, foreign, matching, lockStrategy, lock, versions: [], warnings };
  world.versions = joinVersions(world, lockHeldByUs);
  if (matching?.info.tool === 'golang-migrate') matching.info.applied = world.versions.filter((v) => v.appliedByTool).length;
  return world;
}

/** What the matching tool's history says about a folder version. */
function foreignState(m: ForeignReading, key: string, file: MigrationFile | null): { applied: boolean; failed: string | null; checksum: number | null; at: string | null } {
  if (m.failed.has(key)) return { applied: false, failed: m.failed.get(key)!, checksum: null, at: null };
  if (m.upTo !== null) return { applied: !key.startsWith('R:') && compareVersionKeys(key, m.upTo) <= 0, failed: null, checksum: null, at: null };
  const a = m.applied.get(key);
  if (a) return { applied: true, failed: null, checksum: a.checksum, at: a.at };
  if (m.baselineUpTo !== null && file && !file.repeatable && compareVersionKeys(key, m.baselineUpTo) <= 0) return { applied: true, failed: null, checksum: null, at: null };
  return { applied: false, failed: null, checksum: null, at: null };
}

function joinVersions(w: World, lockHeldByUs: boolean): VersionView[] {
  const format = w.folder.format;
  const own = foldHistory(w.history, (v) => versionKey(format, v));
  const files = new Map(w.folder.migrations.map((m) => [m.key, m]));
  const keys = new Set<string>([...files.keys(), ...own.keys()]);
  if (w.matching) for (const k of w.matching.applied.keys()) keys.add(k);
  if (w.matching) for (const k of w.matching.failed.keys()) keys.add(k);
  const toolLabel = w.matching ? foreignToolLabels[w.matching.info.tool] : '';

  const out: VersionView[] = [];
  for (const key of keys) {
    const file = files.get(key) ?? null;
    const o = own.get(key) ?? null;
    const v: VersionView = { key, file, own: o, state: 'pending', blockingFailure: null, foreignFailure: null, appliedBy: null, appliedAt: null, appliedByTool: false, note: null };
    if (o?.decidesState) {
      if (o.failure) {
        v.state = 'failed';
        v.blockingFailure = o.failure;
        // A `running` row while someone holds the lock is a run in progress, not a failure.
        if (o.failure.interrupted && !lockHeldByUs && w.lock && !w.lock.stale) {
          v.state = 'pending';
          v.blockingFailure = null;
          v.note = `Being applied right now by ${w.lock.holder}.`;
        }
      } else if (o.applied) {
        v.appliedBy = o.appliedBy;
        v.appliedAt = o.appliedAt;
        if (!file) v.state = 'missing';
        else if (file.repeatable) v.state = o.checksum === file.checksum ? 'applied' : 'pending';
        else v.state = o.checksum === null || o.checksum === file.checksum ? 'applied' : 'edited';
        if (file?.repeatable && v.state === 'pending') v.note = 'Changed since it last ran: it runs again.';
      } else if (o.lastRolledBack) {
        v.state = 'failed';
        v.note = 'The last attempt failed and was rolled back: nothing of it is applied, so "up" tries it again.';
      } else if (!file) {
        continue;
      }
    } else if (w.matching) {
      const f = foreignState(w.matching, key, file);
      if (f.failed) {
        v.state = 'failed';
        v.foreignFailure = f.failed;
      } else if (f.applied) {
        v.appliedByTool = true;
        v.appliedBy = toolLabel;
        v.appliedAt = f.at;
        // An edit accepted in DB Desk compares against the accepted checksum; otherwise the tool's own.
        const edited = o?.checksum ? o.checksum !== file?.checksum : f.checksum !== null && f.checksum !== flywayChecksum(file?.upText ?? '');
        v.state = !file ? 'missing' : !file.repeatable && edited ? 'edited' : 'applied';
        if (file?.repeatable && f.checksum !== null && f.checksum !== flywayChecksum(file.upText)) {
          v.state = 'pending';
          v.note = 'Changed since Flyway last ran it: it runs again.';
        }
      } else if (!file) continue;
    } else if (!file) continue;
    out.push(v);
  }
  out.sort((a, b) => compareVersionKeys(a.key, b.key));
  const newestApplied = out.filter((v) => (v.state === 'applied' || v.state === 'edited') && !v.key.startsWith('R:')).map((v) => v.key).sort(compareVersionKeys).at(-1);
  if (newestApplied) {
    for (const v of out) {
      if (v.state === 'pending' && !v.key.startsWith('R:') && compareVersionKeys(v.key, newestApplied) < 0 && !v.note) {
        v.note = `Older than ${newestApplied}, which is already applied: it will be applied out of order.`;
      }
    }
  }
  return out;
}

/** A version as the status view and `status --json` show it. */
export function toEntry(v: VersionView, newestApplied: string | undefined): MigrationEntry {
  const f = v.file;
  const o = v.own;
  const e: MigrationEntry = {
    version: f?.version ?? o?.version ?? v.key,
    name: f?.name ?? o?.name ?? '',
    state: v.state,
    repeatable: f?.repeatable ?? v.key.startsWith('R:'),
    file: f?.file ?? null,
    hasDown: f?.down !== null && f?.down !== undefined,
  };
  const failure = v.blockingFailure;
  if (failure) {
    const r = failure.record;
    e.statementsApplied = failure.statementsApplied;
    e.statementsTotal = failure.statementsTotal;
    e.error = failure.interrupted ? `Interrupted while running statement ${failure.statementsApplied + 1}: the process stopped before it could record the outcome.` : (r.error ?? 'failed');
    if (r.errorStatement !== null) e.errorStatement = r.errorStatement;
    else if (failure.interrupted) e.errorStatement = failure.statementsApplied + 1;
    if (r.errorSql) e.errorSql = r.errorSql;
    e.failedDirection = failure.direction;
    e.resumable = true;
  } else if (v.foreignFailure) {
    e.error = v.foreignFailure;
    e.resumable = false;
  } else if (v.state === 'failed' && o?.lastRolledBack) {
    const r = o.lastRolledBack;
    e.statementsApplied = 0;
    e.statementsTotal = r.statementsTotal;
    if (r.error) e.error = r.error;
    if (r.errorStatement !== null) e.errorStatement = r.errorStatement;
    if (r.errorSql) e.errorSql = r.errorSql;
    e.failedDirection = r.action === 'down' ? 'down' : 'up';
    e.resumable = false;
  }
  if (v.state === 'applied' || v.state === 'edited' || v.state === 'missing') {
    e.appliedAt = v.appliedAt;
    if (v.appliedBy) e.appliedBy = v.appliedBy;
  }
  if (v.state === 'edited') e.note = 'The file changed after it was applied. "up" is blocked until you restore the file or accept the new checksum.';
  if (v.state === 'missing') e.note = 'Applied, but its file is no longer in the folder.';
  if (v.note) e.note = v.note;
  if (v.state === 'pending' && newestApplied && !e.repeatable && compareVersionKeys(v.key, newestApplied) < 0) e.outOfOrder = true;
  return e;
}
