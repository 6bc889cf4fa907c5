// ssh.table.first-rows.postgres: the table browser's first rows of the 1,000,000-row PostgreSQL
// table through a loopback SSH tunnel against the same profile direct, same run, same window.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AppCore } from '../../../electron/core/app-core';
import { distPath } from '../../../electron/core/paths';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';
import { ConnectionFields } from '../../../shared/model/connection';
import { serveApp } from '../../support/browser';
import { makeKey, startPrivateSshd } from '../../support/private-sshd';
import { createPostgresDatabase, POSTGRES } from '../../support/servers';
import { round, timeRatio, type Figure, type FigureModule } from '../figure';
import { closeTab, fillPostgresTable, launch, median, openTableMs, TABLE, within } from './table-browser';

/** Two blocks of RUNS per side, alternated (direct, SSH, direct, SSH), so a change in the machine's load hits both. */
const RUNS = 5;
const BLOCKS = 2;

const log = (msg: string) => process.stderr.write(`  [ssh-table] ${msg}\n`);

async function select(page: Page, name: string, connect: boolean): Promise<void> {
  await page.getByRole('option', { name: new RegExp(name) }).click();
  if (connect) await page.getByRole('button', { name: `Connect ${name}` }).click();
  await page.getByRole('treeitem', { name: new RegExp(`${TABLE}$`) }).waitFor({ timeout: 60_000 });
}

export default {
  ids: ['ssh.table.first-rows.postgres'],
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-bench-ssh-table-'));
    const key = makeKey(dir, 'id_ed25519', 'ed25519');
    const sshd = await startPrivateSshd({ authorizedKeys: [key.publicLine] });
    const db = await createPostgresDatabase();
    try {
      log('filling the table');
      await fillPostgresTable(db.name);
      const knownHosts = join(dir, 'known_hosts');
      writeFileSync(knownHosts, sshd.knownHostsLine() + '\n');
      const dataDir = join(dir, 'data');
      const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {}, workerPath: distPath('worker.cjs') });
      const fields = { engine: 'postgresql', host: POSTGRES.host, port: POSTGRES.port, user: POSTGRES.user, database: db.name, tls: { mode: 'disable' } } as const;
      core.store.profiles.save(ConnectionFields.parse({ name: 'bench direct', ...fields }), undefined, 'bench-direct');
      core.store.profiles.save(
        ConnectionFields.parse({ name: 'bench tunnel', ...fields, ssh: { enabled: true, host: '127.0.0.1', port: sshd.port, user: 'root', auth: 'key', keyFile: key.file, knownHostsFile: knownHosts, useSshConfig: false } }),
        undefined,
        'bench-tunnel',
      );
      await core.close();
      const app = await serveApp({ dataDir, env: { SSH_AUTH_SOCK: '' } });
      const browser = await launch();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addInitScript('window.__name = (f) => f;');
        const page = await context.newPage();
        await page.goto(app.url);
        const times: Record<'direct' | 'tunnel', number[]> = { direct: [], tunnel: [] };
        for (let block = 0; block < BLOCKS; block++) {
          for (const side of ['direct', 'tunnel'] as const) {
            await select(page, `bench ${side}`, block === 0);
            for (let i = 0; i < RUNS; i++) {
              const ms = await within(60_000, `${side}: opening the table`, openTableMs(page));
              times[side].push(ms);
              log(`${side}: first rows in ${ms.toFixed(1)} ms`);
              await closeTab(page);
            }
          }
        }
        const direct = median(times.direct);
        const tunnel = median(times.tunnel);
        return [
          {
            id: 'ssh.table.first-rows.postgres',
            value: round(tunnel, 1),
            unit: 'ms',
            baseline: round(direct, 1),
            ratio: timeRatio(tunnel, direct),
            goal: '≤ 1.3 × direct (ratio ≥ 0.77)',
            note: `click on the 1,000,000-row table → first rows painted, through a loopback SSH tunnel (ssh2 ↔ OpenSSH sshd, Ed25519 key) against the same profile direct (${round(direct, 1)} ms), same window; median of ${RUNS * BLOCKS} each, alternating blocks of ${RUNS}; through SSH ${round(tunnel / direct, 2)} × direct`,
          },
        ] satisfies Figure[];
      } finally {
        await browser.close();
        await app.stop();
      }
    } finally {
      await db.drop();
      await sshd.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
} satisfies FigureModule;
