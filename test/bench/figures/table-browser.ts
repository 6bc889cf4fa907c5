// Table browser figures, measured in Chromium through the browser shell (`dbdesk serve`), each
// against the raw driver (or psql) doing the same work in the same run. Setup creates a
// 1,000,000-row table in SQLite, PostgreSQL and MariaDB and drops them afterwards.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AppCore } from '../../../electron/core/app-core';
import { distPath } from '../../../electron/core/paths';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../../shared/model/connection';
import { CHROMIUM_PATH, serveApp } from '../../support/browser';
import { createMariadbDatabase, createPostgresDatabase, MARIADB, POSTGRES, type TestDatabase } from '../../support/servers';
import { createTestCore } from '../../support/test-core';
import { medianMs, round, timeRatio, type Figure, type FigureModule } from '../figure';

const ROWS = 1_000_000;
export const TABLE = 'bench_rows';
const WINDOW = 100;
const RUNS = 5;
const COLUMNS = 'id, occurred_at, kind, customer_id, amount, payload, sequence_no';

type Engine = 'sqlite' | 'postgres' | 'mariadb';

interface Setup {
  sqliteFile: string;
  pgDb: TestDatabase;
  myDb: TestDatabase;
  cleanup(): Promise<void>;
}

/** Creates the three tables; whatever was created is dropped again if a later step fails. */
async function createTables(dir: string): Promise<Setup> {
  const sqliteFile = join(dir, 'bench.sqlite');
  const lite = new Database(sqliteFile);
  lite.pragma('journal_mode = OFF');
  lite.exec(`CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, occurred_at TIMESTAMP NOT NULL, kind TEXT NOT NULL, customer_id INTEGER, amount DECIMAL(12,2), payload TEXT, sequence_no INTEGER NOT NULL);
    INSERT INTO ${TABLE} WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    SELECT i, strftime('%Y-%m-%d %H:%M:%S', 1704067200 + i * 37, 'unixepoch'), 'kind ' || (i % 7), CASE WHEN i % 11 = 0 THEN NULL ELSE i % 8 END,
           round((i % 100000) / 100.0, 2), 'payload ' || i, (i * 2654435761) % 4294967296 FROM n;`);
  lite.close();

  const created: TestDatabase[] = [];
  const cleanup = async () => {
    await Promise.allSettled(created.map((d) => d.drop()));
  };
  try {
    const pgDb = await createPostgresDatabase();
    created.push(pgDb);
    const myDb = await createMariadbDatabase();
    created.push(myDb);
    await fillPostgresTable(pgDb.name);
    const my = await mysql.createConnection({ ...MARIADB, database: myDb.name });
    try {
      await my.query(`CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, occurred_at datetime NOT NULL, kind varchar(20) NOT NULL, customer_id int, amount decimal(12,2), payload text, sequence_no bigint NOT NULL)`);
      await my.query(`INSERT INTO ${TABLE} SELECT seq, '2024-01-01' + INTERVAL seq * 37 SECOND, CONCAT('kind ', seq % 7), IF(seq % 11 = 0, NULL, seq % 8),
             ROUND((seq % 100000) / 100.0, 2), CONCAT('payload ', seq), (seq * 2654435761) % 4294967296 FROM seq_1_to_${ROWS}`);
      await my.query(`ANALYZE TABLE ${TABLE}`);
    } finally {
      await my.end();
    }
    return { sqliteFile, pgDb, myDb, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The 1,000,000-row table in a PostgreSQL database (also the SSH figures' table). */
export async function fillPostgresTable(database: string): Promise<void> {
  const pgc = new pg.Client({ ...POSTGRES, database });
  await pgc.connect();
  try {
    await pgc.query(`CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, occurred_at timestamp NOT NULL, kind text NOT NULL, customer_id int, amount numeric(12,2), payload text, sequence_no bigint NOT NULL)`);
    await pgc.query(`INSERT INTO ${TABLE} SELECT i, timestamp '2024-01-01' + i * interval '37 seconds', 'kind ' || (i % 7), CASE WHEN i % 11 = 0 THEN NULL ELSE i % 8 END,
           round((i % 100000) / 100.0, 2), 'payload ' || i, (i::bigint * 2654435761) % 4294967296 FROM generate_series(1, ${ROWS}) i`);
    await pgc.query(`VACUUM ANALYZE ${TABLE}`);
  } finally {
    await pgc.end();
  }
}

/** The raw driver reading one window, by offset, on its own connection: what the database costs without the app. */
async function rawWindowMs(engine: Engine, s: Setup, offset: number): Promise<number> {
  const sqlText = `SELECT ${COLUMNS} FROM ${TABLE} ORDER BY id LIMIT ${WINDOW} OFFSET ${offset}`;
  if (engine === 'sqlite') {
    const db = new Database(s.sqliteFile, { readonly: true });
    db.defaultSafeIntegers(true);
    const stmt = db.prepare(sqlText).raw(true);
    const ms = await medianMs(RUNS, async () => stmt.all());
    db.close();
    return ms;
  }
  if (engine === 'postgres') {
    const c = new pg.Client({ ...POSTGRES, database: s.pgDb.name });
    await c.connect();
    await c.query('SELECT 1');
    const ms = await medianMs(RUNS, () => c.query({ text: sqlText, rowMode: 'array' }));
    await c.end();
    return ms;
  }
  const c = await mysql.createConnection({ ...MARIADB, database: s.myDb.name });
  const ms = await medianMs(RUNS, () => c.query({ sql: sqlText, rowsAsArray: true }));
  await c.end();
  return ms;
}

const profileIds: Record<Engine, string> = { sqlite: 'bench-sqlite', postgres: 'bench-postgres', mariadb: 'bench-mariadb' };

/** Profiles written into the data folder before `dbdesk serve` starts on it. */
function saveProfiles(dataDir: string, s: Setup): void {
  const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {}, workerPath: distPath('worker.cjs') });
  core.store.profiles.save(ConnectionFields.parse({ name: 'bench sqlite', engine: 'sqlite', file: s.sqliteFile }), undefined, profileIds.sqlite);
  core.store.profiles.save(ConnectionFields.parse({ name: 'bench postgres', engine: 'postgresql', host: POSTGRES.host, port: POSTGRES.port, user: POSTGRES.user, database: s.pgDb.name, tls: { mode: 'disable' } }), undefined, profileIds.postgres);
  core.store.profiles.save(ConnectionFields.parse({ name: 'bench mariadb', engine: 'mariadb', host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: s.myDb.name, tls: { mode: 'disable' } }), undefined, profileIds.mariadb);
  void core.close();
}

async function connect(page: Page, engine: Engine): Promise<void> {
  await page.getByRole('option', { name: new RegExp(`bench ${engine}`) }).click();
  await page.getByRole('button', { name: `Connect bench ${engine}` }).click();
  await page.getByRole('treeitem', { name: new RegExp(`${TABLE}$`) }).waitFor({ timeout: 30_000 });
}

/** From the click on the table in the schema tree until its first rows are painted (the frame after they are in the DOM). */
export async function openTableMs(page: Page): Promise<number> {
  return page.evaluate(async (table) => {
    const item = [...document.querySelectorAll<HTMLElement>('[role=treeitem][aria-level="2"]')].find((e) => e.textContent?.endsWith(table));
    if (!item) throw new Error('no tree item');
    const started = performance.now();
    item.click();
    return new Promise<number>((resolve) => {
      const check = () => {
        const cell = document.querySelector(`[role=grid][aria-label="Rows of ${table}"] [role=row][aria-rowindex="2"] [role=gridcell][aria-colindex="2"]`);
        if (cell?.textContent === '1') requestAnimationFrame(() => resolve(performance.now() - started));
        else setTimeout(check, 1);
      };
      check();
    });
  }, TABLE);
}

export async function closeTab(page: Page): Promise<void> {
  await page.getByRole('button', { name: `Close ${TABLE}` }).click();
  await page.getByRole('grid').waitFor({ state: 'detached' });
}

/**
 * In the page: sets the scrollbar to a fraction of its travel, then resolves on the frame in which
 * the rows now in view are all painted with their data (not the rows that were there before).
 */
const scrollAndWaitSource = `async ({ table, fraction, rows }) => {
  const grid = document.querySelector('[role=grid][aria-label="Rows of ' + table + '"]');
  const scroller = grid; // the grid is the element that scrolls
  const visibleRows = Math.floor((scroller.clientHeight - 44) / 28);
  // The grid's own count (an estimate until the exact count is in), which is what the scrollbar spans.
  const total = Number(grid.getAttribute('aria-rowcount')) - 1 || rows;
  const expected = Math.floor(fraction * (total - visibleRows));
  const started = performance.now();
  scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * fraction;
  return new Promise((resolve) => {
    const check = () => {
      const shown = [...grid.querySelectorAll('[role=row][aria-rowindex]')].filter((r) => Number(r.getAttribute('aria-rowindex')) > 1);
      const first = Math.min(...shown.map((r) => Number(r.getAttribute('aria-rowindex')) - 2));
      const ready = shown.length > 10 && Math.abs(first - expected) <= 10 &&
        shown.every((r) => !r.hasAttribute('aria-busy') && r.querySelector('[aria-colindex="2"]')?.textContent === String(Number(r.getAttribute('aria-rowindex')) - 1));
      if (ready) requestAnimationFrame(() => resolve(performance.now() - started));
      else setTimeout(check, 1);
    };
    check();
  });
}`;

async function jumpMs(page: Page, fraction: number): Promise<number> {
  return page.evaluate(`(${scrollAndWaitSource})(${JSON.stringify({ table: TABLE, fraction, rows: ROWS })})`) as Promise<number>;
}

/** Scrolls the whole table top to bottom in steps of `step` rows, each painted before the next. */
async function scrollAll(page: Page, step: number): Promise<void> {
  const perCall = step * 50;
  for (let row = 0; row <= ROWS; row += perCall) {
    const end = Math.min(ROWS + 1, row + perCall);
    await page.evaluate(
      `(async () => { const go = ${scrollAndWaitSource}; for (let r = ${row}; r < ${end}; r += ${step}) await go({ table: ${JSON.stringify(TABLE)}, rows: ${ROWS}, fraction: Math.min(1, r / ${ROWS}) }); })()`,
    );
  }
}

async function heapMb(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const g = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i++) {
      g?.();
      await new Promise((r) => setTimeout(r, 50));
    }
    return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize / 1024 / 1024;
  });
}

const log = (msg: string) => process.stderr.write(`  [table-browser] ${msg}\n`);

/** A step that hangs fails the figure instead of the whole run. */
export async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function exportFigure(s: Setup, dir: string): Promise<Figure> {
  const t = createTestCore();
  try {
    const w = t.openWindow();
    const profile = await w.client.call('connections.save', {
      fields: { name: 'bench export', engine: 'postgresql', host: POSTGRES.host, port: POSTGRES.port, user: POSTGRES.user, database: s.pgDb.name, tls: { mode: 'disable' } },
      password: null,
    });
    await w.client.call('connections.open', { id: profile.id });
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const path = join(dir, `ours-${i}.csv`);
      const t0 = performance.now();
      const done = await w.client.call('table.export', { connectionId: profile.id, exportId: `bench-export-${i}-000`, query: { table: { schema: 'public', name: TABLE } }, format: 'csv', path });
      ours.push(performance.now() - t0);
      if (done.rows !== ROWS) throw new Error(`exported ${done.rows} rows`);
      const theirPath = join(dir, `psql-${i}.csv`);
      const t1 = performance.now();
      execFileSync('psql', ['-X', '-q', '-h', POSTGRES.host, '-U', POSTGRES.user, '-d', s.pgDb.name, '-c', `\\copy (SELECT * FROM ${TABLE}) TO '${theirPath}' CSV HEADER`], { stdio: 'inherit' });
      theirs.push(performance.now() - t1);
      rmSync(path);
      rmSync(theirPath);
    }
    const ourMs = median(ours);
    const psqlMs = median(theirs);
    return {
      id: 'export.csv.postgres.1m',
      value: round(ourMs, 0),
      unit: 'ms',
      baseline: round(psqlMs, 0),
      ratio: timeRatio(ourMs, psqlMs),
      goal: 'ratio ≥ 0.5',
      note: `median of 3: psql \\copy (SELECT *) TO a file CSV HEADER vs table.export to a file through the core (COPY … TO STDOUT streamed to disk)`,
    };
  } finally {
    await t.close();
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--js-flags=--expose-gc', '--enable-precise-memory-info'],
  });
}

const ids = [
  'table.first-rows.sqlite',
  'table.first-rows.postgres',
  'table.first-rows.mariadb',
  'table.jump-middle.sqlite',
  'table.jump-middle.postgres',
  'table.jump-middle.mariadb',
  'table.scroll-all.heap-mb',
  'export.csv.postgres.1m',
];

export default {
  ids,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-bench-'));
    const dataDir = join(dir, 'data');
    const figures: Figure[] = [];
    const setup = await createTables(dir);
    try {
      saveProfiles(dataDir, setup);
      const app = await serveApp({ dataDir });
      const browser = await launch();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        // tsx (esbuild keepNames) wraps named functions in __name(): give the page a no-op one for the evaluated code.
        await context.addInitScript('window.__name = (f) => f;');
        const page = await context.newPage();
        await page.goto(app.url);
        for (const engine of ['sqlite', 'postgres', 'mariadb'] as const) {
          log(`${engine}: connecting`);
          await connect(page, engine);
          const open: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            open.push(await within(60_000, `${engine}: opening the table`, openTableMs(page)));
            log(`${engine}: opened in ${open[i]!.toFixed(1)} ms`);
            if (i < RUNS - 1) await closeTab(page);
          }
          const firstBase = await rawWindowMs(engine, setup, 0);
          figures.push({
            id: `table.first-rows.${engine}`,
            value: round(median(open), 1),
            unit: 'ms',
            baseline: round(firstBase, 2),
            ratio: timeRatio(median(open), firstBase),
            goal: '≤ 150 ms',
            note: `click on the table → first ${WINDOW} rows painted (median of ${RUNS}); baseline: the driver reading the same window`,
          });
          const jumps: number[] = [];
          for (const fraction of [0.5, 0.46, 0.54, 0.42, 0.58]) {
            jumps.push(await within(60_000, `${engine}: jumping to ${fraction}`, jumpMs(page, fraction)));
            log(`${engine}: jump to ${fraction} in ${jumps[jumps.length - 1]!.toFixed(1)} ms`);
            await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
          }
          const jumpBase = await rawWindowMs(engine, setup, ROWS / 2);
          figures.push({
            id: `table.jump-middle.${engine}`,
            value: round(median(jumps), 1),
            unit: 'ms',
            baseline: round(jumpBase, 2),
            ratio: timeRatio(median(jumps), jumpBase),
            goal: '≤ 200 ms',
            note: `scrollbar dragged to ~the middle → rows in view painted (median of 5 far-apart jumps); baseline: the driver's LIMIT ${WINDOW} OFFSET ${ROWS / 2}`,
          });
          if (engine === 'sqlite') {
            await page.evaluate(() => document.querySelector<HTMLElement>('.dg-scroller')!.scrollTo(0, 0));
            const before = await heapMb(page);
            const t0 = performance.now();
            log('scrolling the whole table');
            await within(600_000, 'scrolling the whole table', scrollAll(page, 1000));
            const seconds = (performance.now() - t0) / 1000;
            const after = await heapMb(page);
            figures.push({
              id: 'table.scroll-all.heap-mb',
              value: round(after, 1),
              unit: 'MB',
              baseline: round(before, 1),
              ratio: round(before / after, 3),
              goal: '< 150 MB',
              note: `renderer JS heap (after GC) once all ${ROWS.toLocaleString('en-US')} rows were scrolled past in 1,000-row steps (${seconds.toFixed(0)} s); baseline: the heap with the table just opened`,
            });
          }
          await closeTab(page);
        }
      } finally {
        await browser.close();
        await app.stop();
      }
      figures.push(await exportFigure(setup, dir));
    } finally {
      await setup.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
} satisfies FigureModule;
