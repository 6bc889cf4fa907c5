// Screenshots of the table browser on the demo database (1280×800, light and dark) into docs/screenshots/:
// the 1M-row events table scrolled to its middle, staged edits in Review SQL, the value_showcase table's
// hard values and its JSON in the value viewer. Needs the built app (npm run build) and Chromium.
//   node --import tsx scripts/table-browser-screenshots.mts
import { launchChromium, newPage, serveApp } from '../test/support/browser';

const out = new URL('../docs/screenshots/', import.meta.url).pathname;
const browser = await launchChromium();
try {
  for (const theme of ['light', 'dark'] as const) {
    const app = await serveApp();
    try {
      const { page } = await newPage(browser, app.url, theme);
      const grid = (table: string) => page.getByRole('grid', { name: `Rows of ${table}` });
      const cell = (table: string, row: number, col: number) =>
        grid(table).locator(`[role=row][aria-rowindex="${row + 1}"] [role=gridcell][aria-colindex="${col + 1}"]`);

      // events: jump to the middle of the million rows, then stage an edit, a delete and an insert.
      await page.getByRole('treeitem', { name: /events$/ }).click({ timeout: 90_000 });
      await grid('events').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
      await page.waitForTimeout(1500);
      // Pick a row near the top of the viewport with the mouse, then work with the keyboard, as a user would.
      const box = (await grid('events').boundingBox())!;
      await page.mouse.click(box.x + 200, box.y + 110);
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText('checkout');
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Delete');
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${out}table-browser-events-${theme}.png` });
      await page.keyboard.press('Control+s');
      await page.getByRole('dialog', { name: 'Review SQL' }).waitFor();
      await page.screenshot({ path: `${out}table-browser-review-${theme}.png` });
      await page.keyboard.press('Escape');

      // value_showcase: hard values as stored, then the JSON value in the side viewer.
      await page.getByRole('treeitem', { name: /value_showcase$/ }).click();
      await cell('value_showcase', 1, 1).waitFor();
      await grid('value_showcase').focus();
      await page.keyboard.press('Control+Home');
      await page.screenshot({ path: `${out}table-browser-values-${theme}.png` });
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('F3');
      await page.getByRole('complementary', { name: 'Value and references' }).last().getByLabel('JSON value').waitFor();
      await page.screenshot({ path: `${out}table-browser-json-${theme}.png` });
    } finally {
      await app.stop();
    }
  }
} finally {
  await browser.close();
}
console.log(`screenshots written to ${out}`);
process.exit(0);
