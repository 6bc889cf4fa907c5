import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { utils, type ParsedKey } from 'ssh2';
import { keyTypeLabel, sha256Fingerprint } from './known-hosts';

/**
 * Private key files as ssh reads them: OpenSSH's own format and PEM (PKCS#1 RSA, SEC1 EC, and
 * PKCS#8, which ssh2 cannot parse and is converted here), Ed25519, ECDSA and RSA, with or without
 * a passphrase. Every failure says which of the usual reasons it is.
 */
export type KeyProblem = 'missing' | 'unreadable' | 'needs-passphrase' | 'wrong-passphrase' | 'unsupported' | 'not-private';

export type LoadedKey =
  | { ok: true; file: string; key: ParsedKey; type: string; fingerprint: string }
  | { ok: false; file: string; problem: KeyProblem; message: string };

export const keyProblemText: Record<KeyProblem, string> = {
  missing: 'the file does not exist',
  unreadable: 'the file cannot be read',
  'needs-passphrase': 'the key is protected by a passphrase and none was given',
  'wrong-passphrase': 'wrong passphrase',
  unsupported: 'not a private key format DB Desk reads (OpenSSH or PEM: Ed25519, ECDSA, RSA)',
  'not-private': 'this is a public key; choose the private key file (without .pub)',
};

export async function loadPrivateKey(file: string, passphrase?: string): Promise<LoadedKey> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem: KeyProblem = code === 'ENOENT' ? 'missing' : 'unreadable';
    return { ok: false, file, problem, message: `${file}: ${keyProblemText[problem]}${code && code !== 'ENOENT' ? ` (${code})` : ''}` };
  }
  return parsePrivateKey(data, file, passphrase);
}

export function parsePrivateKey(data: Buffer, file: string, passphrase?: string): LoadedKey {
  const fail = (problem: KeyProblem, detail?: string): LoadedKey => ({ ok: false, file, problem, message: `${file}: ${keyProblemText[problem]}${detail ? ` (${detail})` : ''}` });
  const text = data.toString('latin1');
  let input: Buffer | string = data;
  if (/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(text)) {
    const converted = fromPkcs8(data, passphrase);
    if ('problem' in converted) return fail(converted.problem, converted.detail);
    input = converted.key;
  }
  const parsed = utils.parseKey(input, passphrase);
  if (parsed instanceof Error) {
    const message = parsed.message;
    if (/no passphrase given/i.test(message)) return fail('needs-passphrase');
    if (/bad passphrase|integrity check failed/i.test(message)) return fail('wrong-passphrase');
    return fail('unsupported', message);
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) return fail('unsupported');
  if (!key.isPrivateKey()) return fail('not-private');
  return { ok: true, file, key, type: key.type, fingerprint: sha256Fingerprint(key.getPublicSSH()) };
}

/** PKCS#8 → a form ssh2 parses: PKCS#1 for RSA, SEC1 for EC, OpenSSH's format for Ed25519. */
function fromPkcs8(data: Buffer, passphrase?: string): { key: string | Buffer } | { problem: KeyProblem; detail?: string } {
  if (passphrase === undefined && data.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) return { problem: 'needs-passphrase' };
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: data, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'ERR_MISSING_PASSPHRASE') return { problem: 'needs-passphrase' };
    if (/BAD_DECRYPT|DECRYPT/i.test(code) || /bad decrypt/i.test((err as Error).message)) return { problem: 'wrong-passphrase' };
    return { problem: 'unsupported', detail: (err as Error).message };
  }
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { key: key.export({ type: 'pkcs1', format: 'pem' }) };
    case 'ec':
      return { key: key.export({ type: 'sec1', format: 'pem' }) };
    case 'ed25519':
      return { key: ed25519OpenSsh(key) };
    default:
      return { problem: 'unsupported', detail: `${key.asymmetricKeyType ?? 'unknown'} keys` };
  }
}

/** An unencrypted `openssh-key-v1` container for one Ed25519 key (PROTOCOL.key in OpenSSH's source). */
function ed25519OpenSsh(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d!, 'base64url');
  const pub = Buffer.from(jwk.x!, 'base64url');
  const str = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b) : b;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(buf.length);
    return Buffer.concat([len, buf]);
  };
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const publicBlob = Buffer.concat([str('ssh-ed25519'), str(pub)]);
  const check = randomBytes(4).readUInt32BE(0);
  let secret = Buffer.concat([u32(check), u32(check), str('ssh-ed25519'), str(pub), str(Buffer.concat([seed, pub])), str('')]);
  const pad: number[] = [];
  for (let i = 1; (secret.length + pad.length) % 8 !== 0; i++) pad.push(i);
  secret = Buffer.concat([secret, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(publicBlob), str(secret)]);
  const lines = body.toString('base64').match(/.{1,70}/g)!.join('\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** `ED25519 SHA256:…` — how a key is named in evidence (never its material). */
export function describeKey(type: string, fingerprint: string): string {
  return `${keyTypeLabel(type)} ${fingerprint}`;
}
