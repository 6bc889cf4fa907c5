import type Database from 'better-sqlite3';
import { CoreError } from '../errors';
import type { SecretCipher } from './secret-cipher';

/** Passwords by profile id, encrypted by a SecretCipher. Only the core reads them, to hand to a worker. */
export class SecretStore {
  constructor(
    private readonly db: Database.Database,
    private readonly cipher: SecretCipher,
  ) {}

  get kind(): SecretCipher['id'] {
    return this.cipher.id;
  }

  has(profileId: string): boolean {
    return this.db.prepare('SELECT 1 FROM secrets WHERE profile_id = ?').get(profileId) !== undefined;
  }

  get(profileId: string): string | undefined {
    const row = this.db.prepare('SELECT cipher, data FROM secrets WHERE profile_id = ?').get(profileId) as { cipher: string; data: Buffer } | undefined;
    if (!row) return undefined;
    if (row.cipher !== this.cipher.id) {
      throw new CoreError('forbidden', `The saved password was stored by the ${row.cipher} secret store, which this shell cannot read. Enter the password again.`);
    }
    try {
      return this.cipher.decrypt(row.data);
    } catch {
      throw new CoreError('forbidden', 'The saved password cannot be decrypted (the key changed). Enter the password again.');
    }
  }

  set(profileId: string, secret: string): void {
    this.db
      .prepare('INSERT INTO secrets (profile_id, cipher, data) VALUES (?, ?, ?) ON CONFLICT(profile_id) DO UPDATE SET cipher = excluded.cipher, data = excluded.data')
      .run(profileId, this.cipher.id, this.cipher.encrypt(secret));
  }

  delete(profileId: string): void {
    this.db.prepare('DELETE FROM secrets WHERE profile_id = ?').run(profileId);
  }
}
