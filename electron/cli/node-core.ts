import { cpus } from 'node:os';
import { AppCore } from '../core/app-core';
import { defaultKeyFile, resolveDataDir } from '../core/paths';
import { AppStore } from '../core/store/app-store';
import { ProfileBook } from '../core/store/profile-book';
import { FileKeyCipher } from '../core/store/secret-cipher';

function nodeStoreOptions(dataDirFlag: string | undefined) {
  const { dataDir, overridden } = resolveDataDir(dataDirFlag);
  return { dataDir, cipher: new FileKeyCipher(defaultKeyFile(overridden, dataDir)) };
}

/** The core as `dbdesk serve` runs it: secrets in the key-file store. */
export function createNodeCore(dataDirFlag: string | undefined): AppCore {
  const { dataDir, cipher } = nodeStoreOptions(dataDirFlag);
  return new AppCore({ dataDir, shell: 'browser', cipher, env: process.env });
}

/**
 * Only the saved profiles (and the DB_* environment's), for a command that takes `--connection NAME`:
 * the app store and its secrets, no AppCore — nothing is written (no demo profile), no worker starts.
 */
export function openProfileBook(dataDirFlag: string | undefined): ProfileBook & { close(): void } {
  const { dataDir, cipher } = nodeStoreOptions(dataDirFlag);
  const store = new AppStore(dataDir, cipher);
  return Object.assign(new ProfileBook(store, process.env, cpus().length), { close: () => store.close() });
}
