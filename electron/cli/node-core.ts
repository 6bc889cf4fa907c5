import { AppCore } from '../core/app-core';
import { defaultKeyFile, resolveDataDir } from '../core/paths';
import { FileKeyCipher } from '../core/store/secret-cipher';

/** The core as the CLI and the browser shell run it: secrets in the key-file store. */
export function createNodeCore(dataDirFlag: string | undefined): AppCore {
  const { dataDir, overridden } = resolveDataDir(dataDirFlag);
  const cipher = new FileKeyCipher(defaultKeyFile(overridden, dataDir));
  return new AppCore({ dataDir, shell: 'browser', cipher, env: process.env });
}
