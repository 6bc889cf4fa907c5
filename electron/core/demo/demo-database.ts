import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite } from '../native/open-sqlite';
import { packageRoot } from '../paths';

export const DEMO_EVENT_ROWS = 1_000_000;

/**
 * Writes the demo database: the seed's small tables, then `events` generated inside SQLite by
 * a recursive CTE (no row crosses into JavaScript, ~1 s for a million rows), in chunks that report progress. Written to a
 * temporary file and renamed, so two windows starting at once never see half a database.
 */
/** Rows of `events` written per statement: the generator reports its progress between them. */
const CHUNK_ROWS = 100_000;

/** How far the generation is: rows of `events` written, out of how many (the index and statistics come last). */
export type DemoProgress = (done: number, total: number) => void;

export function generateDemoDatabase(file: string, eventRows = DEMO_EVENT_ROWS, onProgress?: DemoProgress): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const db = openSqlite(tmp);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(readFileSync(join(packageRoot(), 'assets', 'demo', 'seed.sql'), 'utf8'));
    const insert = db.prepare(
      `INSERT INTO events (id, occurred_at, kind, customer_id, amount, payload, sequence_no)
       WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       SELECT i,
              strftime('%Y-%m-%d %H:%M:%S', 1704067200 + i * 37, 'unixepoch'),
              CASE i % 7 WHEN 0 THEN 'signup' WHEN 1 THEN 'login' WHEN 2 THEN 'view' WHEN 3 THEN 'add_to_cart'
                         WHEN 4 THEN 'checkout' WHEN 5 THEN 'refund' ELSE 'logout' END,
              CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + i % 8 END,
              CASE WHEN i % 4 = 0 THEN round((i % 100000) / 100.0, 2) ELSE NULL END,
              CASE WHEN i % 5 = 0 THEN json_object('page', '/p/' || (i % 500), 'ms', i % 977) ELSE NULL END,
              (i * 2654435761) % 4294967296
         FROM n`,
    );
    onProgress?.(0, eventRows);
    for (let first = 1; first <= eventRows; first += CHUNK_ROWS) {
      const last = Math.min(eventRows, first + CHUNK_ROWS - 1);
      insert.run(first, last);
      onProgress?.(last, eventRows);
    }
    db.exec('CREATE INDEX events_kind ON events(kind); ANALYZE;');
    db.pragma('journal_mode = DELETE');
    db.close();
    if (existsSync(file)) {
      rmSync(tmp);
      return;
    }
    renameSync(tmp, file);
  } catch (err) {
    if (db.open) db.close();
    rmSync(tmp, { force: true });
    throw err;
  }
}
