// `table.abandoned-queries.postgres`: queries of the app still running on the server 1 s after a
// fast scroll through the 1,000,000-row table, in Chromium through the browser shell. The windows
// the grid scrolls past are aborted in the renderer; the figure says whether their queries stop on
// the server too (cancellation through the IPC contract, docs/architecture.md "Cancellation").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { AppCore } from '../../../electron/core/app-core';
import { distPath } from '../../../electron/core/paths';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../../shared/model/connection';
import { serveApp } from '../../support/browser';
import { createPostgresDatabase, POSTGRES } from '../../support/servers';
import { round, type Figure, type FigureModule } from '../figure';
import { fillPostgresTable, launch, openTableMs, TABLE, within } from './table-browser';

const SCROLLS = 3;
/** One fast scroll: the scrollbar moved this many times, this far apart — faster than a window answers. */
const JUMPS = 40;
const JUMP_GAP_MS = 25;
/** The column the grid is sorted by: no index, so every far window sorts the table on the server (~1 s). */
const SORT_COLUMN = 'payload';

const log = (msg: string) => process.stderr.write(`  [abandoned-queries] ${msg}\n`);

/**
 * Statements of client sessions on the bench database that are running now (the sampler is on
 * another database); with `startedBefore` (the server's clock), only those started before then.
 */
async function runningNow(admin: pg.Client, database: string, startedBefore?: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND backend_type = 'client backend'${startedBefore ? ' AND query_start <= $2' : ''}`,
    startedBefore ? [database, startedBefore] : [database],
  );
  return Number(rows[0]!.n);
}

/** The server's clock now, as text it takes back exactly. */
async function serverNow(admin: pg.Client): Promise<string> {
  const { rows } = await admin.query<{ t: string }>('SELECT clock_timestamp()::text AS t');
  return rows[0]!.t;
}

/** In the page: the scrollbar set to far-apart places (jumps `from` to `to` - 1), `JUMP_GAP_MS` apart, without waiting for rows. */
function fastScroll(page: Page, seed: number, from: number, to: number): Promise<void> {
  return page.evaluate(
    async ({ table, from, to, gap, seed }) => {
      const grid = document.querySelector<HTMLElement>(`[role=grid][aria-label="Rows of ${table}"]`)!;
      for (let i = from; i < to; i++) {
        const fraction = ((i + 1) * 0.618034 + seed * 0.1) % 1;
        grid.scrollTop = (grid.scrollHeight - grid.clientHeight) * fraction;
        if (i < to - 1) await new Promise((r) => setTimeout(r, gap));
      }
    },
    { table: TABLE, from, to, gap: JUMP_GAP_MS, seed },
  );
}

/** In the page: resolves once the rows in view at rest are all painted with data (none busy). */
function restingRowsPainted(page: Page): Promise<void> {
  return page.evaluate(async (table) => {
    const grid = document.querySelector<HTMLElement>(`[role=grid][aria-label="Rows of ${table}"]`)!;
    for (;;) {
      const shown = [...grid.querySelectorAll('[role=row][aria-rowindex]')].filter((r) => Number(r.getAttribute('aria-rowindex')) > 1);
      if (shown.length > 10 && shown.every((r) => !r.hasAttribute('aria-busy') && (r.querySelector('[aria-colindex="2"]')?.textContent ?? '') !== '')) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }, TABLE);
}

export default {
  ids: ['table.abandoned-queries.postgres'],
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-bench-abandoned-'));
    const dataDir = join(dir, 'data');
    const db = await createPostgresDatabase();
    const admin = new pg.Client({ ...POSTGRES, database: 'postgres' });
    try {
      log('creating the 1,000,000-row table');
      await fillPostgresTable(db.name);
      const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {}, workerPath: distPath('worker.cjs') });
      core.store.profiles.save(ConnectionFields.parse({ name: 'bench postgres', engine: 'postgresql', host: POSTGRES.host, port: POSTGRES.port, user: POSTGRES.user, database: db.name, tls: { mode: 'disable' } }), undefined, 'bench-postgres');
      await core.close();
      await admin.connect();
      const app = await serveApp({ dataDir });
      const browser = await launch();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addInitScript('window.__name = (f) => f;');
        const page = await context.newPage();
        await page.goto(app.url);
        await page.getByRole('option', { name: /bench postgres/ }).click();
        await page.getByRole('button', { name: 'Connect bench postgres' }).click();
        await page.getByRole('treeitem', { name: new RegExp(`${TABLE}$`) }).waitFor({ timeout: 30_000 });
        await within(60_000, 'opening the table', openTableMs(page));
        const grid = page.getByRole('grid', { name: `Rows of ${TABLE}` });
        const header = grid.getByRole('columnheader', { name: new RegExp(`^${SORT_COLUMN}`) });
        await header.click();
        await within(60_000, 'sorting', (async () => {
          while ((await header.getAttribute('aria-sort')) !== 'ascending') await page.waitForTimeout(50);
        })());
        const still: number[] = [];
        const painted: number[] = [];
        let peak = 0;
        for (let run = 0; run < SCROLLS; run++) {
          // Quiet before each scroll: nothing of the app's runs.
          await within(120_000, 'the server going quiet', (async () => {
            while ((await runningNow(admin, db.name)) > 0) await page.waitForTimeout(100);
          })());
          let sampling = true;
          const sampler = (async () => {
            while (sampling) {
              peak = Math.max(peak, await runningNow(admin, db.name));
              await new Promise((r) => setTimeout(r, 20));
            }
          })();
          await fastScroll(page, run, 0, JUMPS - 1);
          await page.waitForTimeout(JUMP_GAP_MS);
          // The server's clock just before the last jump: what started before it was for rows scrolled past.
          const stoppedAt = await serverNow(admin);
          await fastScroll(page, run, JUMPS - 1, JUMPS);
          const stopped = performance.now();
          const atRest = await runningNow(admin, db.name);
          sampling = false;
          await sampler;
          // The windows where the scroll came to rest, and their prefetches, start after the last jump
          // and are wanted; every statement started before it was for rows scrolled past.
          await page.waitForTimeout(Math.max(0, 1000 - (performance.now() - stopped)));
          const n = await runningNow(admin, db.name, stoppedAt);
          if (n > 0 && process.env.DBDESK_BENCH_DEBUG) {
            const { rows } = await admin.query("SELECT pid, query_start, now() - query_start AS age, left(query, 300) AS q FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND backend_type = 'client backend'", [db.name]);
            log(`stopped at ${stoppedAt}: ${JSON.stringify(rows)}`);
          }
          still.push(n);
          await within(60_000, 'the rows at rest', restingRowsPainted(page));
          const paintedMs = performance.now() - stopped;
          painted.push(paintedMs);
          log(`scroll ${run + 1}: ${atRest} running when it stopped, ${n} of them still running 1 s later; rows at rest painted after ${paintedMs.toFixed(0)} ms (peak during scrolls so far ${peak})`);
        }
        const worst = Math.max(...still);
        return [
          {
            id: 'table.abandoned-queries.postgres',
            value: worst,
            unit: 'queries',
            baseline: null,
            ratio: null,
            goal: '0',
            note: `worst of ${SCROLLS} fast scrolls (${JUMPS} scrollbar jumps ${JUMP_GAP_MS} ms apart) through the 1,000,000-row table sorted by ${SORT_COLUMN} (no index: each far window sorts on the server): app statements started before the last jump and still active in pg_stat_activity 1 s after it (${still.join(', ')}; the windows where it stopped, painted ${painted.map((m) => round(m, 0)).join(', ')} ms after it, and their prefetches are wanted, so not counted); up to ${peak} ran at once during the scrolls`,
          },
        ] satisfies Figure[];
      } finally {
        await browser.close();
        await app.stop();
      }
    } finally {
      await admin.end().catch(() => undefined);
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
} satisfies FigureModule;
