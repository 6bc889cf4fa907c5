import type { ConnectionFieldsInput, SslMode } from './connection';
import { sslModes } from './connection';
import { defaultPorts, isFileEngine, urlSchemes, type EngineKind } from './engine';

/** A URL the user pasted, split into profile fields and the one secret it may carry. */
export interface ParsedConnectionUrl {
  fields: ConnectionFieldsInput;
  password?: string;
  /** Query parameters we read but do not act on, so the UI can say so instead of dropping them silently. */
  ignoredParams: string[];
}

export class ConnectionUrlError extends Error {
  override name = 'ConnectionUrlError';
}

const schemes: Record<string, EngineKind> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
};

/** Schemes whose rest is a SQLite file path (`sqlite:path`, `sqlite3:`, `file:`). */
const fileSchemes = new Set(['sqlite', 'sqlite3', 'file']);

/** MySQL's own ssl-mode names, mapped onto libpq's. */
const mysqlSslModes: Record<string, SslMode> = {
  disabled: 'disable',
  preferred: 'prefer',
  required: 'require',
  verify_ca: 'verify-ca',
  verify_identity: 'verify-full',
};

export function looksLikeFilePath(text: string): boolean {
  return /^(\/|\.{1,2}\/|~\/|[A-Za-z]:[\\/]|\\\\)/.test(text) || /\.(sqlite3?|db3?|s3db|sl3)$/i.test(text);
}

/**
 * Parses `postgres://`, `postgresql://`, `mysql://`, `mariadb://`, `sqlite:` URLs and bare SQLite file paths.
 * Hand-written rather than `new URL()`: WHATWG URL rejects libpq's comma-separated host lists and
 * mangles `sqlite:` paths, and its errors ("Invalid URL") don't tell the user what is wrong.
 */
export function parseConnectionUrl(input: string): ParsedConnectionUrl {
  const text = input.trim();
  if (text === '') throw new ConnectionUrlError('The connection URL is empty.');

  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text);
  if (!schemeMatch || /^[A-Za-z]:[\\/]/.test(text)) {
    if (looksLikeFilePath(text)) return sqliteFromPath(text);
    throw new ConnectionUrlError(
      'Not a connection URL: expected postgres://, postgresql://, mysql://, mariadb://, sqlite: followed by a path, or a path to a SQLite file.',
    );
  }
  const scheme = schemeMatch[1]!.toLowerCase();
  if (fileSchemes.has(scheme)) {
    let rest = text.slice(schemeMatch[0].length);
    const q = rest.indexOf('?');
    const query = q >= 0 ? rest.slice(q + 1) : '';
    if (q >= 0) rest = rest.slice(0, q);
    // sqlite:///abs/path and sqlite://relative are both in use; sqlite:/abs and sqlite:rel too.
    if (rest.startsWith('//')) rest = rest.slice(2);
    const path = safeDecode(rest, 'file path');
    if (path === '') throw new ConnectionUrlError('The sqlite: URL has no file path after it.');
    const parsed = sqliteFromPath(path);
    const params = new URLSearchParams(query);
    const mode = params.get('mode');
    if (mode === 'ro') parsed.fields.readOnly = true;
    for (const key of params.keys()) if (key !== 'mode') parsed.ignoredParams.push(key);
    return parsed;
  }
  const engine = schemes[scheme];
  if (!engine) {
    throw new ConnectionUrlError(
      `Unsupported scheme "${scheme}:". DB Desk understands postgres://, postgresql://, mysql://, mariadb:// and sqlite:.`,
    );
  }
  let rest = text.slice(schemeMatch[0].length);
  if (!rest.startsWith('//')) throw new ConnectionUrlError(`Expected "//" after "${scheme}:".`);
  rest = rest.slice(2);

  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) rest = rest.slice(0, hashAt);
  const queryAt = rest.indexOf('?');
  const query = queryAt >= 0 ? rest.slice(queryAt + 1) : '';
  if (queryAt >= 0) rest = rest.slice(0, queryAt);
  const slashAt = rest.indexOf('/');
  const authority = slashAt >= 0 ? rest.slice(0, slashAt) : rest;
  const pathPart = slashAt >= 0 ? rest.slice(slashAt + 1) : '';

  // The last '@' separates user info: passwords may contain '@' when not percent-encoded.
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at) : '';
  const hostList = at >= 0 ? authority.slice(at + 1) : authority;

  const fields: ConnectionFieldsInput = { name: '', engine };
  let password: string | undefined;
  if (userInfo !== '') {
    const colon = userInfo.indexOf(':');
    const user = safeDecode(colon >= 0 ? userInfo.slice(0, colon) : userInfo, 'user name');
    if (user !== '') fields.user = user;
    if (colon >= 0) password = safeDecode(userInfo.slice(colon + 1), 'password');
  }

  const hosts = hostList === '' ? [] : hostList.split(',').map((h) => parseHostPort(h, engine));
  if (hosts.length > 0) {
    fields.host = hosts[0]!.host;
    fields.port = hosts[0]!.port;
    fields.nodes = hosts.slice(1).map((h) => ({ host: h.host, port: h.port ?? defaultPorts[engine]! }));
  }
  const database = safeDecode(pathPart.replace(/\/+$/, ''), 'database name');
  if (database !== '') fields.database = database;

  const ignoredParams: string[] = [];
  const params = new URLSearchParams(query);
  const tls: NonNullable<ConnectionFieldsInput['tls']> = { mode: 'prefer' };
  let tlsTouched = false;
  for (const [rawKey, value] of params) {
    const key = rawKey.toLowerCase().replace(/-/g, '_');
    switch (key) {
      case 'sslmode':
      case 'ssl_mode': {
        const v = value.toLowerCase();
        const mode = (sslModes as readonly string[]).includes(v) ? (v as SslMode) : mysqlSslModes[v];
        if (!mode) {
          throw new ConnectionUrlError(`Unknown sslmode "${value}". Use one of: ${sslModes.join(', ')}.`);
        }
        tls.mode = mode;
        tlsTouched = true;
        break;
      }
      case 'ssl':
        tls.mode = ['true', '1', 'on', 'require', 'required'].includes(value.toLowerCase()) ? 'require' : 'disable';
        tlsTouched = true;
        break;
      case 'sslrootcert':
      case 'ssl_ca':
        tls.caFile = value;
        tlsTouched = true;
        break;
      case 'sslcert':
      case 'ssl_cert':
        tls.certFile = value;
        tlsTouched = true;
        break;
      case 'sslkey':
      case 'ssl_key':
        tls.keyFile = value;
        tlsTouched = true;
        break;
      case 'connect_timeout': {
        const seconds = Number(value);
        if (!Number.isFinite(seconds) || seconds <= 0) {
          throw new ConnectionUrlError(`connect_timeout must be a positive number of seconds, not "${value}".`);
        }
        fields.connectTimeoutMs = Math.round(seconds * 1000);
        break;
      }
      case 'user':
        fields.user = value;
        break;
      case 'password':
        password = value;
        break;
      case 'dbname':
      case 'database':
        fields.database = value;
        break;
      case 'host':
        fields.host = value;
        break;
      case 'port':
        fields.port = parsePort(value);
        break;
      default:
        ignoredParams.push(rawKey);
    }
  }
  if (tlsTouched) fields.tls = tls;
  fields.name = defaultName(fields);
  return password === undefined ? { fields, ignoredParams } : { fields, password, ignoredParams };
}

function sqliteFromPath(path: string): ParsedConnectionUrl {
  const base = path.split(/[\\/]/).pop() || path;
  return { fields: { name: base, engine: 'sqlite', file: path }, ignoredParams: [] };
}

function parseHostPort(text: string, engine: EngineKind): { host: string; port?: number } {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw new ConnectionUrlError(`Unclosed "[" in IPv6 host "${text}".`);
    host = text.slice(1, end);
    const after = text.slice(end + 1);
    if (after !== '' && !after.startsWith(':')) throw new ConnectionUrlError(`Unexpected text after IPv6 host: "${after}".`);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = text.lastIndexOf(':');
    host = colon >= 0 ? text.slice(0, colon) : text;
    portText = colon >= 0 ? text.slice(colon + 1) : undefined;
  }
  host = safeDecode(host, 'host');
  if (host === '') throw new ConnectionUrlError('The URL has an empty host name.');
  if (/[\s/?#@]/.test(host)) throw new ConnectionUrlError(`"${host}" is not a valid host name.`);
  const port = portText === undefined || portText === '' ? defaultPorts[engine] : parsePort(portText);
  return port === undefined ? { host } : { host, port };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConnectionUrlError(`Port "${text}" is not a number between 1 and 65535.`);
  }
  return port;
}

function safeDecode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ConnectionUrlError(`The ${what} in the URL has a broken %-escape.`);
  }
}

function defaultName(f: ConnectionFieldsInput): string {
  const target = f.database ? `${f.database} on ${f.host ?? 'localhost'}` : (f.host ?? 'localhost');
  return target;
}

/** The URL of a profile without its password, for display and for the CLI's messages. */
export function formatConnectionUrl(f: Pick<ConnectionFieldsInput, 'engine' | 'host' | 'port' | 'database' | 'user' | 'file' | 'tls'>): string {
  const scheme = urlSchemes[f.engine];
  if (isFileEngine(f.engine)) return `${scheme}:${f.file ?? ''}`;
  const user = f.user ? `${encodeURIComponent(f.user)}@` : '';
  const host = f.host?.includes(':') ? `[${f.host}]` : (f.host ?? 'localhost');
  const port = f.port ? `:${f.port}` : '';
  const db = f.database ? `/${encodeURIComponent(f.database)}` : '';
  const mode = f.tls?.mode && f.tls.mode !== 'prefer' ? `?sslmode=${f.tls.mode}` : '';
  return `${scheme}://${user}${host}${port}${db}${mode}`;
}
