import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, serveApp, type ServedApp } from '../support/browser';
import { GaleraCluster } from '../support/galera/galera-cluster';

const shots = 'test-results/screenshots';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the Galera cluster view in Chromium (real three-node cluster, browser shell)', () => {
  let cluster: GaleraCluster;
  let app: ServedApp;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    cluster = await GaleraCluster.start();
    await cluster.sql(1, 'CREATE TABLE testdb.accounts (id int PRIMARY KEY, owner varchar(40)) CHARACTER SET utf8mb4');
    app = await serveApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await cluster?.destroy();
  });

  const nodeRow = (page: Page, n: number) => page.getByRole('row', { name: new RegExp(`^${escape(cluster.endpoint(n))}\\b`) });
  const setTheme = async (page: Page, theme: 'light' | 'dark') => {
    await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
  };
  /** axe's serious and critical violations in the cluster view as it is now (test/e2e/accessibility.test.ts checks the other views). */
  const axeProblems = async (page: Page, theme: string) => {
    const result = await new AxeBuilder({ page }).include('[role="tabpanel"]').analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `cluster view (${theme}) ${v.id} [${v.impact}] ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`));
  };

  it('shows three Synced nodes, then flags the node that was killed and says where the connection went', async () => {
    const { page, errors } = await newPage(browser, app.url);
    // A cluster connection from a pasted URL: the further nodes land in their own field.
    await page.getByRole('button', { name: '+ New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New connection' });
    await dialog.getByLabel('Connection URL').fill(cluster.url([2, 1, 3]));
    await expect.poll(() => dialog.getByLabel('Further cluster nodes').inputValue()).toBe(`${cluster.endpoint(1)}, ${cluster.endpoint(3)}`);
    await dialog.getByLabel('Name', { exact: true }).fill('Galera test');
    await dialog.getByRole('button', { name: 'Save and connect' }).click();

    // The connection panel names the node in use.
    const panel = page.locator('.connection-panel');
    await panel.getByText('Node in use').waitFor();
    expect(await panel.innerText()).toMatch(new RegExp(`Node in use\\s+${escape(cluster.endpoint(2))} — one of 3 listed nodes`));
    await page.getByRole('button', { name: 'Cluster view' }).click();

    const view = page.getByRole('tabpanel');
    const table = view.getByRole('table', { name: 'Cluster nodes' });
    await table.waitFor();
    for (const n of [1, 2, 3]) await nodeRow(page, n).getByText('Synced').waitFor();
    await view.locator('.health-pill', { hasText: 'Healthy' }).waitFor();
    expect(await view.getByRole('status').first().innerText()).toBe('All 3 nodes Synced in the primary component.');
    expect(await nodeRow(page, 2).innerText()).toMatch(/in use/);
    await page.screenshot({ path: `${shots}/galera-cluster-healthy-light.png` });
    expect(await axeProblems(page, 'light')).toEqual([]);
    await setTheme(page, 'dark');
    await page.screenshot({ path: `${shots}/galera-cluster-healthy-dark.png` });
    expect(await axeProblems(page, 'dark')).toEqual([]);

    await cluster.kill(2);
    // Flagged on the next refresh; the connection left node 2 and the user is told.
    const dead = nodeRow(page, 2);
    await dead.getByText('Unreachable').waitFor({ timeout: 15_000 });
    await view.getByRole('list', { name: `Problems of ${cluster.endpoint(2)}` }).getByText(/Unreachable: /).waitFor();
    await view.locator('.health-pill', { hasText: 'Degraded' }).waitFor();
    await page.getByText(/Galera test moved to 127\.0\.0\.1:\d+/).waitFor({ timeout: 15_000 });
    const log = view.getByRole('region', { name: 'Connection moves' });
    await log.getByText(cluster.endpoint(2)).waitFor();
    await expect.poll(async () => (await nodeRow(page, 1).innerText()).includes('in use')).toBe(true); // node 1: next in the profile's order
    expect(await view.getByRole('status').first().innerText()).toMatch(new RegExp(`2 of 3 nodes usable: ${escape(cluster.endpoint(2))} unreachable`));
    await page.screenshot({ path: `${shots}/galera-cluster-node-down-dark.png` });
    expect(await axeProblems(page, 'dark')).toEqual([]);
    await setTheme(page, 'light');
    await page.screenshot({ path: `${shots}/galera-cluster-node-down-light.png` });
    expect(await axeProblems(page, 'light')).toEqual([]);

    // Back on the connection panel: the node in use and the move, in words.
    await page.getByRole('button', { name: `Close ${'Cluster · Galera test'}` }).click();
    await panel.getByText('Node in use').waitFor();
    expect(await panel.innerText()).toMatch(new RegExp(`Node in use\\s+${escape(cluster.endpoint(1))} — one of 3 listed nodes`));
    const move = panel.getByRole('status');
    expect(await move.innerText()).toMatch(new RegExp(`the connection left ${escape(cluster.endpoint(2))} \\(.+\\) and moved to ${escape(cluster.endpoint(1))}`));
    await page.screenshot({ path: `${shots}/galera-connection-panel-light.png` });

    // The schema tree still browses, on the new node.
    await page.getByRole('tree', { name: 'Schema of Galera test' }).getByRole('treeitem', { name: 'accounts' }).click();
    // A table opens on its rows: reading them proves the new node serves data, not just the catalog.
    await page.getByRole('grid', { name: 'Rows of accounts' }).waitFor();
    await page.getByRole('tablist', { name: 'Table views' }).getByRole('tab', { name: 'Structure' }).click();
    await page.getByRole('table', { name: 'Columns of accounts' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('flags a node that drops out of the primary component, saying where the primary component is; the diagnostics name it, node by node', async () => {
    await cluster.heal(); // node 2 back (IST)
    const { page, errors } = await newPage(browser, app.url, 'dark');
    await page.getByRole('option', { name: /Galera test/ }).click();
    await page.locator('.connection-panel').getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('button', { name: 'Cluster view' }).click();
    const view = page.getByRole('tabpanel');
    for (const n of [1, 2, 3]) await nodeRow(page, n).getByText('Synced').waitFor({ timeout: 15_000 });

    await cluster.isolate(3);
    await nodeRow(page, 3).getByText('non-Primary').waitFor({ timeout: 15_000 });
    const problems = view.getByRole('list', { name: `Problems of ${cluster.endpoint(3)}` });
    await problems.getByText(/Out of the primary component \(wsrep_cluster_status=non-Primary\)/).waitFor();
    const [a, b] = [escape(cluster.endpoint(1)), escape(cluster.endpoint(2))];
    expect(await problems.innerText()).toMatch(new RegExp(`The primary component is on (${a}, ${b}|${b}, ${a})\\.`));
    await setTheme(page, 'dark'); // the served app keeps the theme the first test left
    await page.screenshot({ path: `${shots}/galera-cluster-non-primary-dark.png` });
    await setTheme(page, 'light');
    await page.screenshot({ path: `${shots}/galera-cluster-non-primary-light.png` });

    // Diagnose the profile: every node gets its own steps; node 3 is named galera-non-primary, with advice.
    await page.getByRole('toolbar', { name: 'Connection tools' }).getByRole('button', { name: 'Diagnose' }).click();
    const verdict = page.getByRole('status', { name: 'Verdict' });
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.innerText()).toMatch(new RegExp(`Usable, with warnings[\\s\\S]*2 of 3 nodes usable — ${escape(cluster.endpoint(3))} \\(n3\\)[\\s\\S]*galera-non-primary[\\s\\S]*node ${escape(cluster.endpoint(3))}`, 'i'));
    const nodes = page.getByRole('region', { name: 'Cluster nodes' });
    const n3 = nodes.locator(`[data-node="${cluster.endpoint(3)}"]`);
    expect(await n3.getAttribute('data-status')).toBe('failed');
    expect(await n3.getAttribute('open')).not.toBeNull(); // a failing node is shown open
    expect(await n3.innerText()).toMatch(/Not usable\s*galera-non-primary/);
    expect(await n3.innerText()).toContain('Do not bootstrap');
    expect(await n3.getByRole('list', { name: `Diagnostic steps of ${cluster.endpoint(3)}` }).locator('[data-step="health"]').getAttribute('data-status')).toBe('fail');
    for (const n of [1, 2]) expect(await nodes.locator(`[data-node="${cluster.endpoint(n)}"]`).getAttribute('data-status')).toBe('ok');
    await page.screenshot({ path: `${shots}/galera-diagnostics-per-node-light.png` });
    await setTheme(page, 'dark');
    await page.screenshot({ path: `${shots}/galera-diagnostics-per-node-dark.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
