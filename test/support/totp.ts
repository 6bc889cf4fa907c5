import { createHmac, randomBytes } from 'node:crypto';

/**
 * RFC 6238 one-time codes (HMAC-SHA1, 30 s, 6 digits) — what an authenticator app shows for a
 * secret, and what pam_google_authenticator checks — so tests can answer a real one-time-code prompt.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function newTotpSecret(): string {
  return [...randomBytes(16)].map((b) => ALPHABET[b % 32]).join('');
}

export function totp(secretBase32: string, at = Date.now()): string {
  let bits = '';
  for (const c of secretBase32.replace(/=+$/, '')) bits += ALPHABET.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}
