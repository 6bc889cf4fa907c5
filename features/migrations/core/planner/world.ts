import type { LockHolder, LockStrategy, MigrationEntry, MigrationState } from '../../../../shared/model/migrations';
import { foreignToolLabels, isRunnableFormat } from '../../../../shared/model/migrations';
import type { MigrationAdapter, MigrationConnection, MigrationTarget, TableColumns } from '../migration-adapter';
import type { MigrationFile, MigrationFolder } from '../folder/migration-file';
import { compareVersionKeys, versionKey } from '../folder/versions';
import { FOREIGN_TABLE_NAMES, readForeignHistory, recogniseTool, type ForeignReading } from '../foreign/foreign-history';
import { toolChecksumDiffers } from '../foreign/tool-checksums';
import { foldHistory, type OpenFailure, type OwnVersionState } from '../history/fold-history';
import { HISTORY_TABLE, HistoryStore, LOCK_TABLE, type Audit, type HistoryRecord } from '../history/history-store';
import { currentLockHolder } from '../locks/run-lock';
import type { IdentifierRules } from '../../../../shared/sql/identifier-rules';
import { createdTableName } from './compare-table';

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
  if (matching?.info.tool === 'alembic') markAlembicAncestors(matching, folder);
  // dbmate and golang-migrate both call their table schema_migrations: the other tool's is never ours.
  if (folder.format === 'dbmate' && !matching && foreign.some((f) => f.info.tool === 'golang-migrate')) {
    warnings.push("schema_migrations here belongs to golang-migrate (it has a dirty column), not dbmate: DB Desk does not treat it as this folder's history and does not write to it.");
  }
  if (folder.format === 'golang-migrate' && !matching && foreign.some((f) => f.info.tool === 'dbmate')) {
    warnings.push("schema_migrations here belongs to dbmate (it has no dirty column), not golang-migrate: DB Desk does not treat it as this folder's history and does not write to it.");
  }
  const lock = await currentLockHolder(conn, adapter, lockStrategy, target, audit);
  const world: World = { folder, target, tables, historyTable, history, foreign, matching, lockStrategy, lock, versions: [], warnings };
  world.versions = joinVersions(world, lockHeldByUs, adapter);
  if (matching?.info.tool === 'golang-migrate') matching.info.applied = world.versions.filter((v) => v.appliedByTool).length;
  return world;
}

/** What the matching tool's history says about a folder version. */
function foreignState(m: ForeignReading, key: string, file: MigrationFile | null): { applied: boolean; failed: string | null; checksum: number | string | null; at: string | null } {
  if (m.failed.has(key)) return { applied: false, failed: m.failed.get(key)!, checksum: null, at: null };
  if (m.upTo !== null) return { applied: !key.startsWith('R:') && compareVersionKeys(key, m.upTo) <= 0, failed: null, checksum: null, at: null };
  const a = m.applied.get(key);
  if (a) return { applied: true, failed: null, checksum: a.checksum, at: a.at };
  if (m.baselineUpTo !== null && file && !file.repeatable && compareVersionKeys(key, m.baselineUpTo) <= 0) return { applied: true, failed: null, checksum: null, at: null };
  return { applied: false, failed: null, checksum: null, at: null };
}

/** Alembic records only its head(s): every revision a head descends from is applied too. */
function markAlembicAncestors(m: ForeignReading, folder: MigrationFolder): void {
  const files = new Map(folder.migrations.map((f) => [f.key, f]));
  const stack = [...(m.heads ?? [])];
  while (stack.length > 0) {
    const rev = stack.pop()!;
    if (m.applied.has(rev)) continue;
    m.applied.set(rev, { at: null, by: 'Alembic', checksum: null });
    stack.push(...(files.get(rev)?.parents ?? []));
  }
}

/** A failed attempt that left nothing applied, in the engine's words (MariaDB's DDL commits: no transaction was rolled back). */
function nothingAppliedNote(r: HistoryRecord, adapter: Pick<MigrationAdapter, 'nothingAppliedBecause'>): string {
  return `The last attempt failed at statement ${r.errorStatement ?? 1}; nothing of it is applied (${adapter.nothingAppliedBecause(r.transactional)}), so "up" tries it again.`;
}

/** `2024-05-06T07:08:09.123Z` → `2024-05-06 07:08 UTC`, for sentences. */
const when = (r: HistoryRecord) => `${(r.finishedAt ?? r.startedAt).slice(0, 16).replace('T', ' ')} UTC`;

/**
 * DB Desk's own open failure of a version, unless it is a run in progress: a `running` row while
 * someone else holds the lock is that run, not a failure.
 */
function openFailure(w: World, o: OwnVersionState | null, lockHeldByUs: boolean): { failure: OpenFailure | null; runningBy: string | null } {
  const f = o?.decidesState ? o.failure : null;
  if (f?.interrupted && !lockHeldByUs && w.lock && !w.lock.stale) return { failure: null, runningBy: w.lock.holder };
  return { failure: f ?? null, runningBy: null };
}

/** The state of a version when no tool's table decides: DB Desk's own history alone. */
function fromOwnHistory(w: World, v: VersionView, lockHeldByUs: boolean, adapter: Pick<MigrationAdapter, 'nothingAppliedBecause'>): boolean {
  const { own: o, file } = v;
  if (!o?.decidesState) return file !== null;
  const { failure, runningBy } = openFailure(w, o, lockHeldByUs);
  if (runningBy) v.note = `Being applied right now by ${runningBy}.`;
  if (failure) {
    v.state = 'failed';
    v.blockingFailure = failure;
  } else if (o.applied) {
    v.appliedBy = o.appliedBy;
    v.appliedAt = o.appliedAt;
    if (!file) v.state = 'missing';
    else if (file.repeatable) v.state = o.checksum === file.checksum ? 'applied' : 'pending';
    else v.state = o.checksum === null || o.checksum === file.checksum ? 'applied' : 'edited';
    if (file?.repeatable && v.state === 'pending') v.note = 'Changed since it last ran: it runs again.';
  } else if (o.lastRolledBack) {
    v.state = 'failed';
    v.note = nothingAppliedNote(o.lastRolledBack, adapter);
  } else if (!file) return false;
  return true;
}

/**
 * The state of a version when the folder's tool has a history table: that table says whether it is
 * applied; DB Desk's own rows add who, from where and when, its failures statement by statement,
 * and — when the two disagree — what happened, in words.
 */
function fromToolHistory(w: World, m: ForeignReading, v: VersionView, lockHeldByUs: boolean, adapter: Pick<MigrationAdapter, 'nothingAppliedBecause'>): boolean {
  const { own: o, file, key } = v;
  const tool = foreignToolLabels[m.info.tool];
  const f = foreignState(m, key, file);
  const { failure, runningBy } = openFailure(w, o, lockHeldByUs);
  if (runningBy) v.note = `Being applied right now by ${runningBy}.`;
  if (f.applied) {
    const ownAgrees = o?.decidesState === true && o.applied;
    v.appliedByTool = true;
    v.appliedBy = ownAgrees ? o.appliedBy : tool;
    v.appliedAt = ownAgrees ? o.appliedAt : f.at;
    // DB Desk's checksum where it applied the file (or accepted an edit); otherwise the tool's own.
    const edited = file && o?.checksum && (ownAgrees || !o.decidesState) ? o.checksum !== file.checksum : file ? toolChecksumDiffers(m.info.tool, f.checksum, file.upText) : false;
    v.state = !file ? 'missing' : !file.repeatable && edited ? 'edited' : 'applied';
    if (file?.repeatable && edited) {
      v.state = 'pending';
      v.note = `Changed since ${tool} last ran it: it runs again.`;
    }
    if (o?.decidesState && !o.applied) {
      const last = o.last;
      v.note = failure
        ? `Applied by ${tool} after DB Desk's attempt ${failure.interrupted ? 'was interrupted' : 'failed'} at statement ${failure.statementsApplied + 1} on ${when(failure.record)}; ${tool}'s history decides.`
        : last.action === 'down' && last.status === 'applied'
          ? `Applied again by ${tool} after DB Desk reverted it on ${when(last)}.`
          : `Applied by ${tool}; DB Desk's own history last recorded it as not applied (${last.action} on ${when(last)}).`;
    }
    return true;
  }
  if (failure) {
    v.state = 'failed';
    v.blockingFailure = failure;
    return true;
  }
  if (f.failed) {
    v.state = 'failed';
    v.foreignFailure = f.failed;
    return true;
  }
  if (o?.decidesState && o.applied) {
    if (!file) return false;
    const how = m.upTo !== null ? ` (its version is ${m.upTo})` : '';
    v.note = `Rolled back by ${tool} after DB Desk ${o.appliedBy?.includes('baseline') ? 'recorded it as applied' : 'applied it'} on ${o.appliedAt ? `${o.appliedAt.slice(0, 16).replace('T', ' ')} UTC` : 'an earlier run'}: ${tool}'s history no longer has it${how}, so it is pending again.`;
    return true;
  }
  if (o?.decidesState && o.lastRolledBack) {
    v.state = 'failed';
    v.note = nothingAppliedNote(o.lastRolledBack, adapter);
    return true;
  }
  return file !== null;
}

function joinVersions(w: World, lockHeldByUs: boolean, adapter: Pick<MigrationAdapter, 'nothingAppliedBecause'>): VersionView[] {
  const format = w.folder.format;
  const own = foldHistory(w.history, (v) => versionKey(format, v));
  const files = new Map(w.folder.migrations.map((m) => [m.key, m]));
  const keys = new Set<string>([...files.keys(), ...own.keys()]);
  if (w.matching) for (const k of [...w.matching.applied.keys(), ...w.matching.failed.keys()]) keys.add(k);

  const out: VersionView[] = [];
  for (const key of keys) {
    const v: VersionView = { key, file: files.get(key) ?? null, own: own.get(key) ?? null, state: 'pending', blockingFailure: null, foreignFailure: null, appliedBy: null, appliedAt: null, appliedByTool: false, note: null };
    if (w.matching ? fromToolHistory(w, w.matching, v, lockHeldByUs, adapter) : fromOwnHistory(w, v, lockHeldByUs, adapter)) out.push(v);
  }
  if (!isRunnableFormat(format)) {
    // The tool's own order (Alembic's revision graph, Prisma's and Kysely's names); unknown ones last.
    const order = new Map(w.folder.migrations.map((m, i) => [m.key, i]));
    return out.sort((a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity) || (a.key < b.key ? -1 : 1));
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
export function toEntry(v: VersionView, newestApplied: string | undefined, rules: IdentifierRules): MigrationEntry {
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
  if (e.errorSql && e.failedDirection === 'up') {
    const created = createdTableName(e.errorSql, rules);
    if (created) e.failedCreateTable = created;
  }
  if (v.state === 'edited') e.note = 'The file changed after it was applied. "up" is blocked until you restore the file or accept the new checksum.';
  if (v.state === 'missing') e.note = 'Applied, but its file is no longer in the folder.';
  if (v.note) e.note = v.note;
  if (v.state === 'pending' && newestApplied && !e.repeatable && compareVersionKeys(v.key, newestApplied) < 0) e.outOfOrder = true;
  return e;
}
