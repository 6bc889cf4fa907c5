import { execFileSync, spawn } from 'node:child_process';
import { launchChromium, serveApp } from '../../support/browser';
import { createPostgresDatabase, postgresExec } from '../../support/servers';
import { createTestCore, saveProfileFromUrl } from '../../support/test-core';
import { medianMs, round, timeRatio, type Figure, type FigureModule } from '../figure';

const TABLES = 2000;

/** schema.table-list.postgres.2000: the table list of a 2,000-table schema through the IPC router vs one psql catalog query. */
async function tableList(): Promise<Figure> {
  const db = await createPostgresDatabase();
  const t = createTestCore();
  try {
    const ddl = Array.from({ length: TABLES }, (_, i) => `CREATE TABLE t_${String(i).padStart(4, '0')} (id int PRIMARY KEY, name text, created_at timestamptz);`).join('\n');
    await postgresExec(db.name, ddl);
    const w = t.openWindow();
    const id = await saveProfileFromUrl(w.client, db.url);
    await w.client.call('connections.open', { id });
    let count = 0;
    const ours = await medianMs(7, async () => {
      count = (await w.client.call('schema.tables', { connectionId: id, schema: 'public' })).length;
    });
    if (count !== TABLES) throw new Error(`listed ${count} tables, expected ${TABLES}`);
    const sql = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r','p','v','m','f') ORDER BY 1`;
    const baseline = await medianMs(7, async () => {
      const out = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db.name, '-Atc', sql], { encoding: 'utf8' });
      if (out.trim().split('\n').length !== TABLES) throw new Error('psql listed a different number of tables');
    });
    return {
      id: 'schema.table-list.postgres.2000',
      value: round(ours),
      unit: 'ms',
      baseline: round(baseline),
      ratio: timeRatio(ours, baseline),
      goal: '≤ 1000 ms',
      note: 'one psql process running the same pg_class query',
    };
  } finally {
    await t.close();
    await db.drop();
  }
}

/** startup.browser-shell: process start → connection list rendered in Chromium, vs a bare Node server + page. */
async function startup(): Promise<Figure> {
  const browser = await launchChromium();
  try {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage();
      const t0 = performance.now();
      const app = await serveApp();
      await page.goto(app.url);
      await page.getByRole('listbox', { name: 'Saved connections' }).waitFor();
      runs.push(performance.now() - t0);
      await page.close();
      await app.stop();
    }
    const base: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage();
      const t0 = performance.now();
      const url = await bareServer();
      await page.goto(url.url);
      await page.getByRole('listbox').waitFor();
      base.push(performance.now() - t0);
      await page.close();
      url.stop();
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ours = median(runs);
    const baseline = median(base);
    return {
      id: 'startup.browser-shell',
      value: round(ours),
      unit: 'ms',
      baseline: round(baseline),
      ratio: timeRatio(ours, baseline),
      goal: '≤ 1500 ms',
      note: 'a bare `node` process serving a one-line list page (first run creates the store)',
    };
  } finally {
    await browser.close();
  }
}

/** The reference: a Node process that serves a static page with a list, started the same way. */
async function bareServer(): Promise<{ url: string; stop(): void }> {
  const code = `require('http').createServer((q,s)=>{s.setHeader('content-type','text/html');s.end('<ul role=listbox aria-label=x><li role=option>a</li></ul>')}).listen(0,'127.0.0.1',function(){console.log('http://127.0.0.1:'+this.address().port+'/')})`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url, stop: () => child.kill() };
}


export default { ids: ['schema.table-list.postgres.2000', 'startup.browser-shell'], run: async () => [await tableList(), await startup()] } satisfies FigureModule;
