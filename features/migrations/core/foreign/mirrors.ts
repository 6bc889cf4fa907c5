import { CompiledQuery, sql } from 'kysely';
import { foreignToolLabels, type RunnableFormat } from '../../../../shared/model/migrations';
import type { MigrationAdapter, MigrationConnection, TableColumns } from '../migration-adapter';
import { flywayChecksum } from '../checksum';
import type { MigrationFile } from '../folder/migration-file';

/**
 * Keeps the history table of the tool that wrote the folder in step with what DB Desk does, so the
 * team can keep running that tool: dbmate sees DB Desk's migrations applied, Flyway refuses to run
 * past a half-applied one, golang-migrate sees the same version and dirty flag.
 */
export interface ToolMirror {
  /** One line for the plan: what gets written where. */
  readonly description: string;
  /** Before a non-atomic up (golang-migrate sets its dirty flag first). */
  beforeUp(m: MigrationFile): Promise<void>;
  applied(m: MigrationFile, durationMs: number): Promise<void>;
  /** A partial failure: the tool should refuse to run past it too. */
  failed(m: MigrationFile, durationMs: number, direction: 'up' | 'down'): Promise<void>;
  reverted(m: MigrationFile, previous: MigrationFile | null): Promise<void>;
  forgot(m: MigrationFile, previous: MigrationFile | null): Promise<void>;
  checksumAccepted(m: MigrationFile): Promise<void>;
  baseline(upTo: MigrationFile, versions: MigrationFile[]): Promise<void>;
  /** A table just created: record what DB Desk's own history has applied, oldest first. */
  seed(applied: SeedEntry[]): Promise<void>;
}

/** A version DB Desk's history records as applied, for a tool table created after the fact. */
export interface SeedEntry {
  version: string;
  file: MigrationFile | null;
  name: string;
  durationMs: number;
}

type Ctx = { conn: MigrationConnection; adapter: MigrationAdapter; table: TableColumns; dbUser: string | null };

const from = (c: Ctx) => (c.table.schema ? c.adapter.compiler.withSchema(c.table.schema) : c.adapter.compiler);

class DbmateMirror implements ToolMirror {
  readonly description = "Each applied version is also recorded in dbmate's schema_migrations (and removed when reverted), so `dbmate up`, `dbmate rollback` and `dbmate status` see what DB Desk did.";
  constructor(private readonly c: Ctx) {}
  private async has(version: string) {
    const { rows } = await this.c.conn.query(from(this.c).selectFrom(this.c.table.name).select('version').where('version', '=', version).compile());
    return rows.length > 0;
  }
  async beforeUp() {}
  async applied(m: MigrationFile) {
    if (!(await this.has(m.version))) await this.c.conn.query(from(this.c).insertInto(this.c.table.name).values({ version: m.version }).compile());
  }
  async failed() {}
  async reverted(m: MigrationFile) {
    await this.c.conn.query(from(this.c).deleteFrom(this.c.table.name).where('version', '=', m.version).compile());
  }
  async forgot() {}
  async checksumAccepted() {}
  async baseline(_upTo: MigrationFile, versions: MigrationFile[]) {
    for (const m of versions) await this.applied(m);
  }
  async seed(applied: SeedEntry[]) {
    for (const e of applied) if (!(await this.has(e.version))) await this.c.conn.query(from(this.c).insertInto(this.c.table.name).values({ version: e.version }).compile());
  }
}

class GolangMigrateMirror implements ToolMirror {
  readonly description = "golang-migrate's schema_migrations (one row) is emptied and rewritten with each version as it is applied or reverted, dirty while a migration that is not all-or-nothing runs, so `migrate` sees the same version.";
  constructor(private readonly c: Ctx) {}
  /** What golang-migrate's SetVersion does: the one row deleted, then the new one inserted. */
  private async set(m: MigrationFile | string | null, dirty: boolean) {
    const db = from(this.c);
    await this.c.conn.query(db.deleteFrom(this.c.table.name).compile());
    const key = typeof m === 'string' ? m : m?.key;
    if (key !== undefined) await this.c.conn.query(db.insertInto(this.c.table.name).values({ version: BigInt(key).toString(), dirty }).compile());
  }
  async beforeUp(m: MigrationFile) {
    await this.set(m, true);
  }
  async applied(m: MigrationFile) {
    await this.set(m, false);
  }
  async failed(m: MigrationFile) {
    // After an up the row already says dirty (beforeUp); a half-done revert is marked here, so
    // golang-migrate refuses to run until someone resolves it.
    await this.set(m, true);
  }
  async reverted(_m: MigrationFile, previous: MigrationFile | null) {
    await this.set(previous, false);
  }
  async forgot(_m: MigrationFile, previous: MigrationFile | null) {
    await this.set(previous, false);
  }
  async checksumAccepted() {}
  async baseline(upTo: MigrationFile) {
    await this.set(upTo, false);
  }
  async seed(applied: SeedEntry[]) {
    // One version says "everything up to here": the newest one DB Desk applied.
    const keys = applied.map((e) => e.file?.key ?? e.version).filter((k) => /^\d+$/.test(k));
    if (keys.length > 0) await this.set(keys.reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a)), false);
  }
}

class FlywayMirror implements ToolMirror {
  readonly description = 'Each run is also recorded in flyway_schema_history (with Flyway’s own checksum), so Flyway sees the same state.';
  constructor(private readonly c: Ctx) {}
  private get t() {
    return this.c.table.name;
  }
  private async nextRank(): Promise<number> {
    const { rows } = await this.c.conn.query<{ r: unknown }>(from(this.c).selectFrom(this.t).select(sql<number>`coalesce(max(installed_rank), 0) + 1`.as('r')).compile());
    return Number(rows[0]?.r ?? 1);
  }
  private async insert(values: { version: string | null; description: string; type: string; script: string; checksum: number | null; ms: number; success: boolean }) {
    await this.c.conn.query(
      from(this.c)
        .insertInto(this.t)
        .values({
          installed_rank: await this.nextRank(),
          version: values.version,
          description: values.description.slice(0, 200),
          type: values.type,
          script: values.script.slice(0, 1000),
          checksum: values.checksum,
          installed_by: (this.c.dbUser ?? 'dbdesk').replace(/@.*$/, '').slice(0, 100),
          execution_time: Math.round(values.ms),
          success: values.success,
        })
        .compile(),
    );
  }
  private async deleteVersion(m: MigrationFile, onlyFailed: boolean) {
    let q = from(this.c).deleteFrom(this.t);
    q = m.repeatable ? q.where('version', 'is', null).where('description', '=', m.name) : q.where('version', '=', m.version);
    if (onlyFailed) q = q.where('success', '=', false);
    await this.c.conn.query(q.compile());
  }
  private row(m: MigrationFile, ms: number, success: boolean) {
    return { version: m.repeatable ? null : m.version, description: m.name, type: 'SQL', script: m.file, checksum: flywayChecksum(m.upText), ms, success };
  }
  async beforeUp() {}
  async applied(m: MigrationFile, ms: number) {
    await this.deleteVersion(m, true);
    await this.insert(this.row(m, ms, true));
  }
  async failed(m: MigrationFile, ms: number, direction: 'up' | 'down') {
    // Flyway (community) has no undo: a half-done revert is DB Desk's own record only.
    if (direction === 'up') await this.insert(this.row(m, ms, false));
  }
  async reverted(m: MigrationFile) {
    await this.deleteVersion(m, false);
  }
  async forgot(m: MigrationFile) {
    // What `flyway repair` does: failed rows go.
    await this.deleteVersion(m, true);
  }
  async checksumAccepted(m: MigrationFile) {
    let q = from(this.c).updateTable(this.t).set({ checksum: flywayChecksum(m.upText), description: m.name.slice(0, 200) });
    q = m.repeatable ? q.where('version', 'is', null).where('description', '=', m.name) : q.where('version', '=', m.version);
    await this.c.conn.query(q.where('success', '=', true).compile());
  }
  async baseline(upTo: MigrationFile) {
    await this.insert({ version: upTo.version, description: '<< Flyway Baseline >>', type: 'BASELINE', script: '<< Flyway Baseline >>', checksum: null, ms: 0, success: true });
  }
  async seed(applied: SeedEntry[]) {
    for (const e of applied) {
      if (e.file) await this.insert(this.row(e.file, e.durationMs, true));
      else await this.insert({ version: e.version.startsWith('R:') ? null : e.version, description: e.name, type: 'SQL', script: e.name, checksum: null, ms: e.durationMs, success: true });
    }
  }
}

export function createMirror(tool: RunnableFormat, ctx: Ctx): ToolMirror {
  if (tool === 'dbmate') return new DbmateMirror(ctx);
  if (tool === 'golang-migrate') return new GolangMigrateMirror(ctx);
  return new FlywayMirror(ctx);
}

/** Each tool's default history table name. */
export const TOOL_TABLES: Record<RunnableFormat, string> = { dbmate: 'schema_migrations', 'golang-migrate': 'schema_migrations', flyway: 'flyway_schema_history' };

/** The plan's words for a tool table the run will create. */
export function creationDescription(tool: RunnableFormat): string {
  const label = foreignToolLabels[tool];
  return `${label}'s ${TOOL_TABLES[tool]} does not exist yet: the run creates it as ${label} does (same columns, types and keys), lists in it what DB Desk's history has applied, and from then on keeps it in step, so ${label} accepts the database.`;
}

/**
 * Creates the folder's tool's history table as that tool would on a fresh database, and records in
 * it what DB Desk's own history already applied. Returns the mirror that keeps it in step.
 */
export async function createToolTable(conn: MigrationConnection, adapter: MigrationAdapter, tool: RunnableFormat, dbUser: string | null, applied: SeedEntry[]): Promise<ToolMirror> {
  const name = TOOL_TABLES[tool];
  for (const ddl of adapter.toolTableDdl(tool, name)) await conn.query(CompiledQuery.raw(ddl));
  const mirror = createMirror(tool, { conn, adapter, table: { schema: null, name, columns: [] }, dbUser });
  await mirror.seed(applied);
  return mirror;
}
