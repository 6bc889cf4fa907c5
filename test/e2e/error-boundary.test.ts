import { build } from 'esbuild';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';

/** The renderer's ErrorBoundary (renderer/src/ui/ErrorBoundary.tsx), in Chromium with the real React. */
describe('a tab that throws while rendering', () => {
  let browser: Browser;
  let script: string;
  beforeAll(async () => {
    browser = await launchChromium();
    const out = await build({
      entryPoints: [join(__dirname, 'fixtures', 'error-boundary-page.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    script = out.outputFiles[0]!.text;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows what broke in that tab only, and draws it again on Try again', async () => {
    const page = await browser.newPage();
    const logged: string[] = [];
    page.on('console', (m) => m.type() === 'error' && logged.push(m.text()));
    await page.setContent('<div id="root"></div>');
    await page.addScriptTag({ content: script });
    const broken = page.getByRole('region', { name: 'Broken tab' });
    const alert = broken.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getByRole('heading').textContent()).toBe('This tab stopped working');
    expect(await alert.textContent()).toContain('the grid could not draw row 7');
    expect(await alert.textContent()).toContain('The other tabs are not affected.');
    expect(await page.getByRole('region', { name: 'Other tab' }).textContent()).toBe('other tab still here');
    expect(logged.some((l) => l.includes('This tab stopped rendering'))).toBe(true);

    // Still broken: Try again shows the message again rather than a blank tab.
    await alert.getByRole('button', { name: 'Try again' }).click();
    await alert.waitFor();
    await page.evaluate(() => (window.breakTheGrid = false));
    await alert.getByRole('button', { name: 'Try again' }).click();
    await broken.getByText('rows drawn').waitFor();
    expect(await broken.getByRole('alert').count()).toBe(0);
    await page.close();
  });
});
