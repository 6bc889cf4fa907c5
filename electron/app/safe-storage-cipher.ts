import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../core/store/secret-cipher';

/** Secrets sealed by the OS keychain through Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). */
export class SafeStorageCipher implements SecretCipher {
  readonly id = 'safe-storage' as const;
  constructor(private readonly safeStorage: SafeStorage) {}

  /** On Linux without a keyring Electron falls back to a hard-coded key: then the key-file store is better. */
  static usable(safeStorage: SafeStorage): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  }

  encrypt(plain: string): Buffer {
    return this.safeStorage.encryptString(plain);
  }

  decrypt(data: Buffer): string {
    return this.safeStorage.decryptString(data);
  }
}
