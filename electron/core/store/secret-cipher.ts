import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Turns a secret into bytes for the store and back. The desktop shell uses Electron's
 * safeStorage (the OS keychain); everywhere else, FileKeyCipher.
 */
export interface SecretCipher {
  readonly id: 'safe-storage' | 'encrypted-file';
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 1;

/**
 * AES-256-GCM with a random key kept in its own file (mode 0600), away from the store.
 * Someone who copies the store alone (a backup, a synced folder, a file sent to support) learns
 * no password. Someone who can read both files as the same OS user can decrypt everything.
 */
export class FileKeyCipher implements SecretCipher {
  readonly id = 'encrypted-file' as const;
  private readonly key: Buffer;

  constructor(keyFile: string) {
    this.key = FileKeyCipher.loadOrCreateKey(keyFile);
  }

  private static loadOrCreateKey(keyFile: string): Buffer {
    if (existsSync(keyFile)) {
      const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
      if (key.length !== KEY_BYTES) throw new Error(`The secret key file "${keyFile}" is damaged (wrong length). Stored passwords cannot be read.`);
      return key;
    }
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    const key = randomBytes(KEY_BYTES);
    writeFileSync(keyFile, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(keyFile, 0o600);
    return key;
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(data: Buffer): string {
    if (data[0] !== VERSION || data.length < 1 + IV_BYTES + TAG_BYTES) throw new Error('Unknown secret format.');
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
