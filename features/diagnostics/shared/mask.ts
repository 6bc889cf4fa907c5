import { deepMapStrings, escapeRegExp } from '../../../shared/security/secrets';

/** What a report may mask on request: names that say where and who, never codes or timings. */
export interface MaskKnownValues {
  hosts?: (string | undefined)[];
  users?: (string | undefined)[];
  databases?: (string | undefined)[];
  paths?: (string | undefined)[];
}

export interface MaskSummary {
  hosts: number;
  ips: number;
  users: number;
  databases: number;
  paths: number;
}

type Kind = 'host' | 'ip' | 'user' | 'db' | 'path';

/**
 * Replaces host names, IP addresses, user, database and file names with stable pseudonyms
 * (`host-1`, `loopback-ip-1`, `user-1`, `db-1`, `path-1`): the same value gets the same pseudonym
 * within one report, and nothing links two reports. It substitutes the values it was told about and
 * finds the rest inside the server messages that carry them (PostgreSQL's and MySQL's quoting,
 * certificate name lists, resolver errors) and by IP address pattern.
 */
export class Masker {
  private readonly names = new Map<string, string>();
  private readonly counters: Record<Kind, number> = { host: 0, ip: 0, user: 0, db: 0, path: 0 };
  private readonly known: { value: string; kind: Kind }[] = [];

  constructor(known: MaskKnownValues) {
    const add = (values: (string | undefined)[] | undefined, kind: Kind) => {
      for (const v of values ?? []) if (v && v.trim() !== '' && !this.known.some((k) => k.value === v)) this.known.push({ value: v, kind: ipCategory(v) ? 'ip' : kind });
    };
    add(known.paths, 'path');
    add(known.hosts, 'host');
    add(known.users, 'user');
    add(known.databases, 'db');
    this.known.sort((a, b) => b.value.length - a.value.length);
  }

  summary(): MaskSummary {
    const c = this.counters;
    return { hosts: c.host, ips: c.ip, users: c.user, databases: c.db, paths: c.path };
  }

  /** Pseudonym → original, for the local preview only (it never goes into the copied text). */
  legend(): { pseudonym: string; original: string }[] {
    return [...this.names].map(([key, pseudonym]) => ({ pseudonym, original: key.slice(key.indexOf(':') + 1) }));
  }

  pseudonym(kind: Kind, value: string): string {
    const key = `${kind}:${value}`;
    let name = this.names.get(key);
    if (!name) {
      const n = ++this.counters[kind];
      name = kind === 'ip' ? `${ipCategory(value) ?? 'ip'}-ip-${n}` : `${kind}-${n}`;
      this.names.set(key, name);
    }
    return name;
  }

  mask(text: string): string {
    let out = text;
    // 1. Identifiers inside the messages servers and drivers write (before known values, which may be substrings).
    for (const [re, kinds] of templates) {
      out = out.replace(re, (...args: unknown[]) => {
        const groups = args.slice(1, 1 + kinds.length) as (string | undefined)[];
        let whole = String(args[0]);
        groups.forEach((g, i) => {
          if (!g || isPseudonym(g)) return;
          const kind = kinds[i]!;
          const resolved: Kind = kind === 'host' && ipCategory(g) ? 'ip' : kind;
          whole = whole.replace(g, this.pseudonym(resolved, g));
        });
        return whole;
      });
    }
    // 2. Values we were told about, wherever they appear as a whole word.
    for (const { value, kind } of this.known) {
      const re = new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(value)}(?![A-Za-z0-9_])`, 'g');
      out = out.replace(re, () => this.pseudonym(kind, value));
    }
    // 3. Any IP address left.
    out = out.replace(IPV4, (ip) => this.pseudonym('ip', ip));
    out = out.replace(IPV6_RUN, (run) => this.maskIPv6Run(run));
    return out;
  }

  /**
   * A run of hex digits and colons that may hold an IPv6 address. Node writes `address:port` without
   * brackets ("connect ECONNREFUSED ::1:5432"), so a trailing `:digits` that leaves a valid address
   * is taken as the port and kept.
   */
  private maskIPv6Run(run: string): string {
    const trimmed = run.replace(/[:.]+$/, '');
    const tail = run.slice(trimmed.length);
    const withPort = /^(.*):(\d{1,5})$/.exec(trimmed);
    if (withPort && isIPv6(withPort[1]!) && (withPort[1]!.includes('::') || !isIPv6(trimmed))) return `${this.pseudonym('ip', withPort[1]!)}:${withPort[2]}${tail}`;
    if (isIPv6(trimmed)) return `${this.pseudonym('ip', trimmed)}${tail}`;
    return run;
  }

  maskDeep<T>(value: T): T {
    return deepMapStrings(value, (s) => this.mask(s));
  }
}

const Q = `"([^"]+)"`;
const S = `'([^']*)'`;
/** Message templates that quote a user, database or host; each group says which. */
const templates: [RegExp, Kind[]][] = [
  [new RegExp(`for host ${Q}, user ${Q}, database ${Q}`, 'g'), ['host', 'user', 'db']],
  [new RegExp(`\\b(?:user|role) ${Q}`, 'gi'), ['user']],
  [new RegExp(`\\bdatabase ${Q}`, 'gi'), ['db']],
  [new RegExp(`\\bhost ${Q}`, 'gi'), ['host']],
  [new RegExp(`${S}@${S}`, 'g'), ['user', 'host']],
  [new RegExp(`\\b(?:Unknown database|to database|database) ${S}`, 'gi'), ['db']],
  [new RegExp(`\\bHost ${S}`, 'g'), ['host']],
  [new RegExp(`\\bUser ${S}`, 'g'), ['user']],
  // Node's certificate checks: "Host: db.example.com. is not in the cert's altnames: DNS:a, IP Address:1.2.3.4".
  [/\bHost: ([^\s,]+?)\.? is not/g, ['host']],
  [/\bDNS:([A-Za-z0-9*_-](?:[A-Za-z0-9*._-]*[A-Za-z0-9_-])?)/g, ['host']],
  [/\bCN=([^,\n)]*[^,\n).\s])/g, ['host']],
  [/\bgetaddrinfo (?:ENOTFOUND|EAI_AGAIN|EAI_FAIL|ENODATA) (\S+)/g, ['host']],
];

const IPV4 = /(?<!\d|\d\.)(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?!\d|\.\d)/g;
const IPV6_RUN = /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}:?(?![\w])/g;

export function isIPv6(s: string): boolean {
  if (!s.includes(':')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** The kind of network an address is on: shown in place of the address when masked. */
export function ipCategory(ip: string): string | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    if (a === 127) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
    return 'public';
  }
  if (!isIPv6(ip)) return null;
  const lower = ip.toLowerCase();
  if (lower === '::1') return 'loopback';
  if (/^f[cd]/.test(lower)) return 'ula';
  if (/^fe[89ab]/.test(lower)) return 'link-local';
  return 'public';
}

function isPseudonym(s: string): boolean {
  return /^(host|user|db|path)-\d+$|-ip-\d+$/.test(s);
}
