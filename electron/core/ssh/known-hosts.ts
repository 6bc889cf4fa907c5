import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * OpenSSH's known_hosts, read and written the way ssh(1) does (sshd(8) "SSH_KNOWN_HOSTS FILE
 * FORMAT"): `[marker] patterns keytype base64 [comment]`, patterns comma-separated with `*`, `?`
 * and `!` negation, `[host]:port` for a port other than 22, hashed names as `|1|salt|hmac-sha1`.
 */

/** `SHA256:` + unpadded base64 of the key blob, exactly as `ssh-keygen -l` and ssh print it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type a wire-format public key blob starts with (`ssh-ed25519`, `ecdsa-sha2-nistp256`…). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len <= 0 || len > 64 || 4 + len > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** What ssh prints in its prompts: ED25519, ECDSA, RSA. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType.toUpperCase();
}

/** The name a host is filed under: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export interface KnownHostsEntry {
  file: string;
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  patterns: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyCheck =
  | { state: 'known'; entry: KnownHostsEntry }
  /** No entry has this key; `otherTypes` are the key types filed for the host (OpenSSH: "keys of a different type are already known"). */
  | { state: 'unknown'; otherTypes: string[] }
  /** An entry of the same type has another key: a hard stop. */
  | { state: 'changed'; expected: KnownHostsEntry }
  /** The key is listed under @revoked. */
  | { state: 'revoked'; entry: KnownHostsEntry };

/** Every entry of the files that exist (unreadable lines are skipped, as ssh skips them). */
export function readKnownHosts(files: readonly string[]): KnownHostsEntry[] {
  return files.flatMap((file) => (existsSync(file) ? parseKnownHosts(readFileSync(file, 'utf8'), file) : []));
}

export function parseKnownHosts(text: string, file: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const entry = parseLine(raw, file, i + 1);
    if (entry) entries.push(entry);
  });
  return entries;
}

function parseLine(raw: string, file: string, line: number): KnownHostsEntry | null {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return null;
  const fields = text.split(/\s+/);
  let marker: KnownHostsEntry['marker'] = null;
  if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() === '@revoked' ? 'revoked' : 'cert-authority';
  const [patterns, keyType, base64] = fields;
  if (!patterns || !keyType || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const key = Buffer.from(base64, 'base64');
  if (keyTypeOf(key) !== keyType) return null;
  return { file, line, marker, patterns, keyType, key };
}

/** Does a line's pattern list cover this name? A matching negated pattern excludes it whatever else matches. */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return hashedNameMatches(patterns, name);
  let matched = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (!wildcardMatch(pattern.toLowerCase(), name.toLowerCase())) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedNameMatches(field: string, name: string): boolean {
  const [, , salt64, hash64] = field.split('|');
  if (!salt64 || !hash64) return false;
  const expected = Buffer.from(hash64, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt64, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** OpenSSH's match_pattern: `*` any run, `?` one character, nothing else special. */
function wildcardMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(text);
}

/** Checks a presented host key the way ssh does: revoked, then a match, then the same type with another key. */
export function checkHostKey(entries: readonly KnownHostsEntry[], host: string, port: number, keyBlob: Buffer): HostKeyCheck {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
  if (revoked) return { state: 'revoked', entry: revoked };
  const name = knownHostsName(host, port);
  const forHost = entries.filter((e) => e.marker === null && patternsMatch(e.patterns, name));
  const match = forHost.find((e) => e.key.equals(keyBlob));
  if (match) return { state: 'known', entry: match };
  const type = keyTypeOf(keyBlob);
  const sameType = forHost.find((e) => e.keyType === type);
  if (sameType) return { state: 'changed', expected: sameType };
  return { state: 'unknown', otherTypes: [...new Set(forHost.map((e) => e.keyType))] };
}

/** The key types on file for a host, so the key exchange can ask for one of those first (as ssh does). */
export function knownKeyTypes(entries: readonly KnownHostsEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  return [...new Set(entries.filter((e) => e.marker === null && patternsMatch(e.patterns, name)).map((e) => e.keyType))];
}

/** One line in OpenSSH's format; `hashed` as with HashKnownHosts yes. */
export function formatKnownHostsLine(host: string, port: number, keyBlob: Buffer, hashed: boolean): string {
  const name = knownHostsName(host, port);
  const field = hashed ? hashName(name) : name;
  return `${field} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}`;
}

function hashName(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/** Appends an entry, creating the file (0600) and its folder (0700) as ssh would. */
export function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer, hashed: boolean): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const exists = existsSync(file);
  let prefix = '';
  if (exists && statSync(file).size > 0) {
    const text = readFileSync(file);
    if (text[text.length - 1] !== 0x0a) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${formatKnownHostsLine(host, port, keyBlob, hashed)}\n`, { mode: 0o600 });
  if (!exists) chmodSync(file, 0o600);
}
