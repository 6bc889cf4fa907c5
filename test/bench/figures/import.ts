// Import figures: a 1,000,000-row CSV into PostgreSQL and SQLite through DB Desk's import runner (the code the
// worker and `dbdesk import` run), each against the engine's own client loading the same file in the same run
// (psql \copy … CSV, sqlite3 .import --csv), and the heap growth while importing.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import Database from 'better-sqlite3';
import { openEngine, type Engine } from '../../../electron/core/engines';
import { resolveMigrateTarget } from '../../../electron/cli/migrate/migrate-target';
import { runImport } from '../../../features/import/core/import-runner';
import { ImportSource } from '../../../features/import/shared/import-model';
import { createPostgresDatabase, POSTGRES } from '../../support/servers';
import { round, timeRatio, type Figure, type FigureModule } from '../figure';

const ROWS = 1_000_000;
const TABLE = 'imported';
const PG_DDL = `CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, occurred_at timestamp NOT NULL, kind text NOT NULL, customer_id int, amount numeric(12,2), payload text, sequence_no bigint NOT NULL)`;
const SQLITE_DDL = `CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, occurred_at TIMESTAMP NOT NULL, kind TEXT NOT NULL, customer_id INTEGER, amount DECIMAL(12,2), payload TEXT, sequence_no INTEGER NOT NULL)`;

/** The demo's events shape: timestamps, NULLs, decimals, quoted text with the delimiter in it. */
async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  let buf = 'id,occurred_at,kind,customer_id,amount,payload,sequence_no\n';
  for (let i = 1; i <= ROWS; i++) {
    const at = new Date(Date.UTC(2024, 0, 1) + i * 37_000).toISOString().slice(0, 19).replace('T', ' ');
    buf += `${i},${at},kind ${i % 7},${i % 11 === 0 ? '' : i % 8},${((i % 100000) / 100).toFixed(2)},${i % 5 === 0 ? `"payload, ${i}"` : `payload ${i}`},${(i * 2654435761) % 4294967296}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/**
 * One import through the runner. With `heap`, every progress report (5 a second) collects garbage and samples the
 * heap: the growth is what the import keeps alive, not garbage V8 has not collected yet (a timed run does not do this).
 */
async function ourImport(engine: Engine, file: string, mode: 'all-or-nothing' | 'skip-bad-rows', rejects: string, heap = false): Promise<{ ms: number; rows: number; heapGrowthMb: number; path: string }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = () => {
    if (heap) gc?.();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const t = performance.now();
  const done = await runImport(
    engine,
    { importId: 'bench-import', source: ImportSource.parse({ path: file, format: 'csv' }), target: { table: { schema: (await engine.introspector.listSchemas()).find((s) => s.isDefault)!.name, name: TABLE }, create: null }, mapping: null, mode, rejectsPath: mode === 'skip-bad-rows' ? rejects : null },
    new AbortController().signal,
    sample,
  );
  const ms = performance.now() - t;
  if (done.rows !== ROWS) throw new Error(`imported ${done.rows} rows, expected ${ROWS}`);
  return { ms, rows: done.rows, heapGrowthMb: round((peak - base) / 1024 / 1024, 1), path: done.path };
}

function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function open(url: string): Promise<Engine> {
  return openEngine((await resolveMigrateTarget({ url })).config);
}

const mod: FigureModule = {
  ids: ['import.csv.postgres.1m', 'import.csv.postgres.rows.1m', 'import.csv.sqlite.1m', 'import.heap.1m'],
  async run(): Promise<Figure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-bench-import-'));
    const csv = join(dir, 'rows.csv');
    const pgDb = await createPostgresDatabase();
    const figures: Figure[] = [];
    try {
      await writeCsv(csv);
      const admin = new pg.Client({ ...POSTGRES, database: pgDb.name });
      await admin.connect();
      const reset = async () => {
        await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
        await admin.query(PG_DDL);
      };
      try {
        // PostgreSQL: psql \copy, then ours (the file straight to COPY), then ours converting rows (skip mode).
        await reset();
        const psqlMs = timed(() => execFileSync('psql', ['-h', POSTGRES.host, '-p', String(POSTGRES.port), '-U', POSTGRES.user, '-d', pgDb.name, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy ${TABLE} FROM '${csv}' CSV HEADER`]));
        await reset();
        const engine = await open(pgDb.url);
        try {
          const ours = await ourImport(engine, csv, 'all-or-nothing', '');
          figures.push({ id: 'import.csv.postgres.1m', value: Math.round(ours.ms), unit: 'ms', baseline: Math.round(psqlMs), ratio: timeRatio(ours.ms, psqlMs), goal: '≥ 0.5', note: `psql \\copy … FROM … CSV of the same file (ours: ${ours.path})` });
          await reset();
          const rows = await ourImport(engine, csv, 'skip-bad-rows', join(dir, 'rejects.csv'));
          figures.push({ id: 'import.csv.postgres.rows.1m', value: Math.round(rows.ms), unit: 'ms', baseline: Math.round(psqlMs), ratio: timeRatio(rows.ms, psqlMs), note: 'skip mode: parsed and converted here, COPY of batches' });
          await reset();
          const heapRows = await ourImport(engine, csv, 'skip-bad-rows', join(dir, 'rejects.csv'), true);
          figures.push({ id: 'import.heap.1m', value: heapRows.heapGrowthMb, unit: 'MB', baseline: null, ratio: null, goal: '< 50 MB', note: `live heap growth importing 1M rows, sampled after a GC 5×/s: PostgreSQL rows path +${heapRows.heapGrowthMb} MB` });
        } finally {
          await engine.close();
        }
      } finally {
        await admin.end();
      }

      // SQLite: sqlite3 .import, then ours.
      const liteTheirs = join(dir, 'theirs.sqlite');
      const liteOurs = join(dir, 'ours.sqlite');
      for (const f of [liteTheirs, liteOurs]) {
        const db = new Database(f);
        db.exec(SQLITE_DDL);
        db.close();
      }
      const sqliteMs = timed(() => execFileSync('sqlite3', [liteTheirs, `.import --csv --skip 1 ${csv} ${TABLE}`]));
      const engine = await open(`sqlite:${liteOurs}`);
      try {
        const ours = await ourImport(engine, csv, 'all-or-nothing', '');
        figures.push({ id: 'import.csv.sqlite.1m', value: Math.round(ours.ms), unit: 'ms', baseline: Math.round(sqliteMs), ratio: timeRatio(ours.ms, sqliteMs), goal: '≥ 0.5', note: 'sqlite3 .import --csv of the same file' });
        const lite = new Database(liteOurs);
        lite.exec(`DELETE FROM ${TABLE}`);
        lite.close();
        const heapRows = await ourImport(engine, csv, 'all-or-nothing', '', true);
        const heap = figures.find((f) => f.id === 'import.heap.1m')!;
        heap.value = Math.max(heap.value, heapRows.heapGrowthMb);
        heap.note += `, SQLite +${heapRows.heapGrowthMb} MB`;
      } finally {
        await engine.close();
      }
    } finally {
      await pgDb.drop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};

export default mod;
