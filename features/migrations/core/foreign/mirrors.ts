import { sql } from 'kysely';
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
  failed(m: MigrationFile, durationMs: number): Promise<void>;
  reverted(m: MigrationFile, previous: MigrationFile | null): Promise<void>;
  forgot(m: MigrationFile, previous: MigrationFile | null): Promise<void>;
  checksumAccepted(m: MigrationFile): Promise<void>;
  baseline(upTo: MigrationFile, versions: MigrationFile[]): Promise<void>;
}

type Ctx = { conn: MigrationConnection; adapter: MigrationAdapter; table: TableColumns; dbUser: string | null };

const from = (c: Ctx) => (c.table.schema ? c.adapter.compiler.withSchema(c.table.schema) : c.adapter.compiler);

class DbmateMirror implements ToolMirror {
  readonly description: string;
  constructor(
    private readonly c: Ctx,
    created: boolean,
  ) {
    this.description = created
      ? "Each applied version is also recorded in dbmate's schema_migrations (created on the first run) so `dbmate up` never re-applies it."
      : "Each applied version is also recorded in dbmate's schema_migrations so `dbmate up` never re-applies it.";
  }
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
}

class GolangMigrateMirror implements ToolMirror {
  readonly description = "golang-migrate's schema_migrations is set to each version as it is applied (dirty while a non-atomic migration runs).";
  constructor(private readonly c: Ctx) {}
  private async set(m: MigrationFile | null, dirty: boolean) {
    const db = from(this.c);
    await this.c.conn.query(db.deleteFrom(this.c.table.name).compile());
    if (m) await this.c.conn.query(db.insertInto(this.c.table.name).values({ version: BigInt(m.key).toString(), dirty }).compile());
  }
  async beforeUp(m: MigrationFile) {
    await this.set(m, true);
  }
  async applied(m: MigrationFile) {
    await this.set(m, false);
  }
  async failed() {
    // The row already says dirty (beforeUp): golang-migrate refuses to run until it is resolved.
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
  async failed(m: MigrationFile, ms: number) {
    await this.insert(this.row(m, ms, false));
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
}

export function createMirror(tool: 'dbmate' | 'golang-migrate' | 'flyway', ctx: Ctx, created = false): ToolMirror {
  if (tool === 'dbmate') return new DbmateMirror(ctx, created);
  if (tool === 'golang-migrate') return new GolangMigrateMirror(ctx);
  return new FlywayMirror(ctx);
}

/** dbmate's own table shape (pkg/dbmate: version varchar(128) primary key), created when missing. */
export async function createDbmateTable(conn: MigrationConnection, adapter: MigrationAdapter): Promise<void> {
  await conn.query(adapter.compiler.schema.createTable('schema_migrations').ifNotExists().addColumn('version', 'varchar(128)', (c) => c.primaryKey()).compile());
}
