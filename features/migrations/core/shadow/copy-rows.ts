import { CompiledQuery, sql } from 'kysely';
import type { DesignColumn, DesignSchema, DesignTable } from '../../../designer/shared/model';
import type { MigrationAdapter, MigrationConnection } from '../migration-adapter';

/** Rows per INSERT: well under every engine's bound-parameter limit for ordinary tables. */
const BATCH = 200;

/** Tables referenced before the tables that reference them, as far as the foreign keys allow (cycles keep their order). */
export function parentsFirst(tables: DesignTable[]): DesignTable[] {
  const byId = new Map(tables.map((t) => [t.id, t]));
  const out: DesignTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: DesignTable) => {
    if (state.has(t.id)) return;
    state.set(t.id, 'visiting');
    for (const fk of t.foreignKeys) {
      const parent = fk.refSchema === null ? byId.get(fk.refTable) : undefined;
      if (parent && parent !== t) visit(parent);
    }
    state.set(t.id, 'done');
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

export interface CopyRowsResult {
  copied: { table: string; rows: number }[];
  skipped: string[];
}

/**
 * Copies the rows of every table with at most `threshold` rows from the live database into the shadow,
 * values bound as the driver reads them; generated columns are left to the shadow to compute. Larger
 * tables stay empty there (named in `skipped`). Reads the live database only.
 */
export async function copySmallTables(options: {
  live: MigrationAdapter;
  shadow: MigrationAdapter;
  design: DesignSchema;
  threshold: number;
  /** Statements on the shadow's connection first (foreign key checks off). */
  session: string[];
  /** Statements after a table's rows were copied (generators moved past the copied keys). */
  afterCopy(table: string, columns: DesignColumn[]): { sql: string; parameters: unknown[] }[];
  signal?: AbortSignal | undefined;
  progress?: (message: string) => void;
}): Promise<CopyRowsResult> {
  const { live, shadow, design, threshold } = options;
  const result: CopyRowsResult = { copied: [], skipped: [] };
  const from = await live.openConnection();
  let to: MigrationConnection | null = null;
  try {
    to = await shadow.openConnection();
    for (const s of options.session) await to.executeRaw(s);
    for (const table of parentsFirst(design.tables)) {
      options.signal?.throwIfAborted();
      const name = sql.id(table.name);
      // Counts at most threshold + 1 rows: a big table is not scanned to the end.
      const counted = await from.query<{ n: number | string }>(sql<{ n: number }>`select count(*) as n from (select 1 as one from ${name} limit ${sql.lit(threshold + 1)}) as limited`.compile(live.compiler));
      const n = Number(counted.rows[0]?.n ?? 0);
      if (n > threshold) {
        result.skipped.push(table.name);
        continue;
      }
      if (n === 0) continue;
      const columns = table.columns.filter((c) => c.generated === null);
      if (columns.length === 0) continue;
      const { rows } = await from.query<Record<string, unknown>>(sql`select ${sql.join(columns.map((c) => sql.id(c.name)))} from ${name}`.compile(live.compiler));
      // PostgreSQL GENERATED ALWAYS identities take the copied values only when told to.
      const overriding = columns.some((c) => c.identity === 'always') ? sql` overriding system value` : sql``;
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        const values = sql.join(batch.map((r) => sql`(${sql.join(columns.map((c) => r[c.name]))})`));
        await to.query(sql`insert into ${name} (${sql.join(columns.map((c) => sql.id(c.name)))})${overriding} values ${values}`.compile(shadow.compiler));
      }
      for (const q of options.afterCopy(table.name, columns)) await to.query(CompiledQuery.raw(q.sql, q.parameters));
      result.copied.push({ table: table.name, rows: rows.length });
      options.progress?.(`Copied ${rows.length} row${rows.length === 1 ? '' : 's'} of ${table.name}`);
    }
  } finally {
    await to?.close();
    await from.close();
  }
  return result;
}
