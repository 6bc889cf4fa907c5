import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AppCore } from '../../electron/core/app-core';
import { FileKeyCipher } from '../../electron/core/store/secret-cipher';
import { MigrationSettingsRepository } from '../../electron/core/store/migration-settings-repository';
import { ConnectionFields } from '../../shared/model/connection';
import { parseConnectionUrl } from '../../shared/model/connection-url';
import { defaultMigrationSettings } from '../../shared/model/migrations';

/** Saves profiles (with their migration folders) into a new data folder before `dbdesk serve` starts on it. */
export function seedMigrationsDataDir(prefix: string, profiles: { name: string; url: string; dir: string; production?: boolean }[]): string {
  const dataDir = mkdtempSync(join(tmpdir(), `dbdesk-e2e-${prefix}-`));
  const core = new AppCore({ dataDir, shell: 'browser', cipher: new FileKeyCipher(join(dataDir, 'keys', 'secret.key')), env: {} });
  try {
    for (const p of profiles) {
      const parsed = parseConnectionUrl(p.url);
      const saved = core.store.profiles.save(ConnectionFields.parse({ ...parsed.fields, name: p.name, production: p.production ?? false }), parsed.password);
      new MigrationSettingsRepository(core.store.db).save(saved.id, { ...defaultMigrationSettings, dir: p.dir });
    }
  } finally {
    void core.close();
  }
  return dataDir;
}

/** Connects to the saved connection `name` from the list and opens its Migrations view (on `tab`, when given). */
export async function openMigrationsOf(page: Page, name: string, tab?: string): Promise<void> {
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('button', { name: 'Migrations', exact: true }).click();
  await page.getByRole('heading', { name: new RegExp(`Migrations — ${name}`) }).waitFor();
  if (tab) await page.getByRole('tab', { name: tab, exact: true }).click();
}
