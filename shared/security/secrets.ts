/**
 * Secret removal, applied to every text that leaves the core in a diagnostic run and again when a
 * report is written: the given secrets (the profile's password), passwords in URLs and key=value
 * strings, PEM private keys, and password hashes MySQL prints in grants. Counts what it removed.
 */
export const SECRET_MARK = '[secret removed]';

const patterns: [RegExp, string][] = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, '[private key removed]'],
  // scheme://user:password@host — the password part only.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, `$1${SECRET_MARK}@`],
  [/\b(password|passwd|pwd|sslpassword|pgpassword|mysql_pwd|passphrase|secret|token|api[_-]?key)(\s*=\s*)("[^"]*"|'[^']*'|[^&\s;,)]+)/gi, `$1$2${SECRET_MARK}`],
  // MySQL/MariaDB: IDENTIFIED BY PASSWORD '*hash', IDENTIFIED VIA ed25519 USING 'hash', IDENTIFIED WITH x AS 'hash', PASSWORD('x').
  [/(IDENTIFIED\s+(?:BY(?:\s+PASSWORD)?|VIA\s+\w+\s+USING|WITH\s+\w+\s+(?:AS|BY))\s+)('[^']*'|"[^"]*")/gi, `$1'${SECRET_MARK}'`],
  [/(PASSWORD\s*\(\s*)('[^']*'|"[^"]*")/gi, `$1'${SECRET_MARK}'`],
  // PostgreSQL password hashes (pg_authid / pg_shadow).
  [/SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+/g, SECRET_MARK],
  [/\bmd5[0-9a-f]{32}\b/g, SECRET_MARK],
];

export class SecretScrubber {
  removed = 0;
  private readonly secrets: string[];

  constructor(secrets: readonly (string | null | undefined)[] = []) {
    // Longest first, so a secret that contains another is removed whole.
    this.secrets = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0))].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      // A very short password would shred every message if removed inside words; remove it where it stands alone.
      const re = s.length >= 4 ? new RegExp(escapeRegExp(s), 'g') : new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(s)}(?![A-Za-z0-9])`, 'g');
      out = out.replace(re, () => {
        this.removed++;
        return SECRET_MARK;
      });
    }
    for (const [re, replacement] of patterns) {
      out = out.replace(re, (...args: unknown[]) => {
        const match = String(args[0]);
        if (match.includes(SECRET_MARK) && !/PRIVATE KEY/.test(match)) return match;
        this.removed++;
        return replacement.replace(/\$(\d)/g, (_, n: string) => String(args[Number(n)] ?? ''));
      });
    }
    return out;
  }

  /** Scrubs every string inside a JSON-like value (object keys stay). */
  scrubDeep<T>(value: T): T {
    return deepMapStrings(value, (s) => this.scrub(s));
  }
}

export function deepMapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => deepMapStrings(v, fn)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepMapStrings(v, fn);
    return out as T;
  }
  return value;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
