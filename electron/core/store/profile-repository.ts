import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ConnectionFields, type ConnectionProfile } from '../../../shared/model/connection';
import { CoreError } from '../errors';
import type { SecretStore } from './secret-store';

/** A secret change: a string sets it, null clears it, undefined keeps what is stored. */
export type SecretChange = string | null | undefined;

/** The SSH secrets of a profile, stored next to its database password under their own keys. */
export interface SshSecretChanges {
  password?: SecretChange;
  passphrase?: SecretChange;
}

const sshPasswordKey = (id: string) => `${id}:ssh-password`;
const sshPassphraseKey = (id: string) => `${id}:ssh-passphrase`;

/** Saved connection profiles. Fields are stored as JSON, re-validated on the way out. */
export class ProfileRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SecretStore,
  ) {}

  list(): ConnectionProfile[] {
    const rows = this.db.prepare('SELECT id, fields FROM profiles ORDER BY position, created_at').all() as { id: string; fields: string }[];
    return rows.map((r) => this.toProfile(r.id, r.fields));
  }

  find(id: string): ConnectionProfile | undefined {
    const row = this.db.prepare('SELECT id, fields FROM profiles WHERE id = ?').get(id) as { id: string; fields: string } | undefined;
    return row ? this.toProfile(row.id, row.fields) : undefined;
  }

  get(id: string): ConnectionProfile {
    const p = this.find(id);
    if (!p) throw new CoreError('not-found', 'That connection no longer exists.');
    return p;
  }

  /** Inserts (no id, or an id not stored yet) or replaces a profile. `password`: string sets, null clears, undefined keeps. */
  save(fields: ConnectionFields, password: SecretChange, id?: string, ssh: SshSecretChanges = {}): ConnectionProfile {
    const now = new Date().toISOString();
    const parsed = ConnectionFields.parse(fields);
    const json = JSON.stringify(parsed);
    const profileId = id ?? randomUUID();
    this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM profiles WHERE id = ?').get(profileId);
      if (exists) {
        this.db.prepare('UPDATE profiles SET fields = ?, updated_at = ? WHERE id = ?').run(json, now, profileId);
      } else {
        const { next } = this.db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS next FROM profiles').get() as { next: number };
        this.db.prepare('INSERT INTO profiles (id, position, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(profileId, next, json, now, now);
      }
      this.change(profileId, password);
      this.change(sshPasswordKey(profileId), ssh.password);
      // A key's passphrase is kept only when the profile asks for it.
      this.change(sshPassphraseKey(profileId), parsed.ssh.rememberPassphrase ? ssh.passphrase : null);
    })();
    return this.get(profileId);
  }

  /**
   * Keeps an SSH password or key passphrase the person typed when connecting and asked to
   * remember (it worked). A passphrase turns the profile's rememberPassphrase on.
   */
  rememberSshSecrets(id: string, secrets: { password?: string; passphrase?: string }): void {
    const profile = this.get(id);
    const { id: _id, hasPassword: _h, hasSshPassword: _hs, hasSshPassphrase: _hp, source: _s, ...fields } = profile;
    const ssh = { ...fields.ssh, ...(secrets.passphrase !== undefined ? { rememberPassphrase: true } : {}) };
    this.save({ ...fields, ssh }, undefined, id, { ...(secrets.password !== undefined ? { password: secrets.password } : {}), ...(secrets.passphrase !== undefined ? { passphrase: secrets.passphrase } : {}) });
  }

  private change(key: string, value: SecretChange): void {
    if (typeof value === 'string') this.secrets.set(key, value);
    else if (value === null) this.secrets.delete(key);
  }

  /** The SSH password and the remembered key passphrase of a profile (the core hands them to a worker). */
  sshSecrets(id: string): { password?: string; passphrase?: string } {
    const password = this.secrets.get(sshPasswordKey(id));
    const passphrase = this.secrets.get(sshPassphraseKey(id));
    return { ...(password !== undefined ? { password } : {}), ...(passphrase !== undefined ? { passphrase } : {}) };
  }

  duplicate(id: string): ConnectionProfile {
    const source = this.get(id);
    const { id: _id, hasPassword: _hp, source: _src, ...fields } = source;
    const names = new Set(this.list().map((p) => p.name));
    let name = `${fields.name} (copy)`;
    for (let n = 2; names.has(name); n++) name = `${fields.name} (copy ${n})`;
    const password = this.secrets.get(id);
    const { hasSshPassword: _hs, hasSshPassphrase: _hp2, ...rest } = fields;
    return this.save({ ...rest, name, demo: false }, password ?? undefined, undefined, this.sshSecrets(id));
  }

  delete(id: string): boolean {
    return this.db.transaction(() => {
      for (const key of [id, sshPasswordKey(id), sshPassphraseKey(id)]) this.secrets.delete(key);
      return this.db.prepare('DELETE FROM profiles WHERE id = ?').run(id).changes > 0;
    })();
  }

  private toProfile(id: string, json: string): ConnectionProfile {
    const fields = ConnectionFields.parse(JSON.parse(json));
    return { ...fields, id, hasPassword: this.secrets.has(id), hasSshPassword: this.secrets.has(sshPasswordKey(id)), hasSshPassphrase: this.secrets.has(sshPassphraseKey(id)), source: 'saved' };
  }
}
