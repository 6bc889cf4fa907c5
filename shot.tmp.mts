import { launchChromium, newPage, serveApp } from './test/support/browser';
const app = await serveApp();
const browser = await launchChromium();
try {
  const { page, errors } = await newPage(browser, app.url, (process.argv[2] as 'light' | 'dark') ?? 'light');
  const csp: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused/.test(m.text())) csp.push(m.text()); });
  await page.getByRole('button', { name: 'SQL editor' }).click({ timeout: 90_000 });
  const editor = page.getByRole('textbox', { name: /SQL of Query 1/ });
  await editor.click();
  await page.keyboard.type('SELECT e.id, e.kind, e.occurred_at FROM events e WHERE e.');
  await page.waitForTimeout(800);
  await page.screenshot({ path: '/tmp/shot-complete.png' });
  await page.keyboard.press('Escape');
  await page.keyboard.type('id < 500 ORDER BY e.id;');
  await page.keyboard.press('Control+Enter');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/shot-result.png' });
  console.log('errors', errors, 'csp', csp);
} finally {
  await browser.close();
  await app.stop();
}
