// Screenshots of the SQL editor (1280×800, light and dark) into docs/screenshots/:
// results, an error at its position, an EXPLAIN ANALYZE tree, the process list.
// Needs the built app (npm run build), PostgreSQL on 127.0.0.1:5432 and Chromium.
//   node --import tsx scripts/sql-editor-screenshots.mts
import pg from 'pg';
import { launchChromium, newPage, serveApp } from '../test/support/browser';
import { createPostgresDatabase, POSTGRES, postgresExec } from '../test/support/servers';

const out = new URL('../docs/screenshots/', import.meta.url).pathname;
const db = await createPostgresDatabase();
const sleeper = new pg.Client({ ...POSTGRES, database: db.name, application_name: 'nightly report' });
sleeper.on('error', () => undefined);
try {
  await postgresExec(
    db.name,
    `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, country text NOT NULL);
     INSERT INTO customers SELECT g, 'Customer ' || g, (ARRAY['DE','FR','NL','PL','SE'])[1 + g % 5] FROM generate_series(1, 5000) g;
     CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, total numeric(12,2) NOT NULL, placed_at timestamptz NOT NULL);
     INSERT INTO orders SELECT g, 1 + g % 5000, round((random() * 500)::numeric, 2), timestamptz '2025-01-01' + g * interval '7 minutes' FROM generate_series(1, 200000) g;
     CREATE INDEX orders_customer ON orders (customer_id);
     ANALYZE;`,
  );
  await sleeper.connect();
  const longRunning = sleeper.query('SELECT pg_sleep(600) /* monthly revenue rollup */').catch(() => undefined);
  const browser = await launchChromium();
  try {
    for (const theme of ['light', 'dark'] as const) {
      const app = await serveApp({ env: { DB_TYPE: 'postgresql', DB_HOST: '127.0.0.1', DB_PORT: '5432', DB_NAME: db.name, DB_USER: 'postgres' } });
      try {
        const { page } = await newPage(browser, app.url, theme);
        await page.getByRole('button', { name: 'SQL editor' }).click({ timeout: 60_000 });
        const editor = page.getByRole('textbox', { name: /^SQL of / });
        const setText = async (text: string) => {
          await editor.click();
          await page.keyboard.press('Control+A');
          await page.keyboard.insertText(text);
        };
        await setText(
          `-- Revenue per country\nSELECT c.country,\n       count(*) AS orders,\n       sum(o.total) AS revenue,\n       max(o.placed_at) AS last_order\n  FROM orders o\n  JOIN customers c ON c.id = o.customer_id\n GROUP BY c.country\n ORDER BY revenue DESC;\n\nUPDATE customers SET name = upper(name) WHERE id <= 10;`,
        );
        await page.keyboard.press('Control+Shift+Enter');
        await page.getByRole('tab', { name: /UPDATE/ }).waitFor();
        await page.getByRole('tab', { name: /SELECT · 5 rows/ }).click();
        await page.mouse.move(0, 0);
        await page.screenshot({ path: `${out}sql-editor-results-${theme}.png` });

        await setText(`SELECT c.name, o.total\n  FROM orders o\n  JOIN customers c ON c.id = o.customer_id\n WHERE o.totl > 100\n ORDER BY o.total DESC\n LIMIT 20;`);
        await page.keyboard.press('Control+Enter');
        await page.getByRole('alert').filter({ hasText: 'totl' }).waitFor();
        await page.screenshot({ path: `${out}sql-editor-error-${theme}.png` });

        await setText(`SELECT c.country, sum(o.total)\n  FROM orders o\n  JOIN customers c ON c.id = o.customer_id\n WHERE o.placed_at >= '2025-06-01'\n GROUP BY c.country;`);
        await page.getByRole('button', { name: 'Explain analyze' }).click();
        await page.getByRole('tree', { name: 'Query plan' }).waitFor({ timeout: 30_000 });
        await page.screenshot({ path: `${out}sql-editor-explain-${theme}.png` });

        await page.getByRole('button', { name: 'Processes' }).click();
        await page.getByRole('list', { name: 'Server sessions' }).getByText('monthly revenue rollup').waitFor({ timeout: 15_000 });
        await page.waitForTimeout(2500);
        await page.screenshot({ path: `${out}sql-editor-processes-${theme}.png` });
        const row = page.getByRole('listitem').filter({ hasText: 'monthly revenue rollup' });
        await row.getByRole('button', { name: /^Cancel the statement/ }).click();
        await page.getByRole('dialog').waitFor();
        await page.screenshot({ path: `${out}sql-editor-process-cancel-${theme}.png` });
        await page.getByRole('button', { name: 'Keep it' }).click();
      } finally {
        await app.stop();
      }
    }
  } finally {
    await browser.close();
  }
  void longRunning;
} finally {
  // drop() ends the sleeping session too (DROP DATABASE … WITH (FORCE)).
  await db.drop();
  await sleeper.end().catch(() => undefined);
}
console.log(`screenshots written to ${out}`);
process.exit(0);
