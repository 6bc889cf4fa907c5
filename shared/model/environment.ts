import type { ConnectionFieldsInput } from './connection';
import type { EngineKind } from './engine';
import { defaultPorts, isFileEngine } from './engine';

/** The seed guide's DB_* variables, as a process environment or a .env file gives them. */
export type EnvMap = Record<string, string | undefined>;

export class EnvironmentConfigError extends Error {
  override name = 'EnvironmentConfigError';
}

const dbTypes: Record<string, EngineKind> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
};

export interface EnvironmentConnection {
  fields: ConnectionFieldsInput;
  password?: string;
}

/**
 * Reads DB_TYPE, DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASS, DB_POOL_SIZE, DB_MAX_RETRIES, DB_RETRY_DELAY.
 * Returns null when DB_TYPE is not set: the guide's variables are then simply absent.
 * Retry defaults follow the guide: 5 attempts, 5 seconds apart.
 */
export function connectionFromEnvironment(env: EnvMap): EnvironmentConnection | null {
  const type = env.DB_TYPE?.trim();
  if (!type) return null;
  const engine = dbTypes[type.toLowerCase()];
  if (!engine) {
    throw new EnvironmentConfigError(`DB_TYPE="${type}" is not one of postgresql, mysql, mariadb, sqlite.`);
  }
  const fields: ConnectionFieldsInput = {
    name: `${env.DB_NAME || engine} (environment)`,
    engine,
    retry: {
      maxAttempts: positiveInt(env.DB_MAX_RETRIES, 'DB_MAX_RETRIES', 5),
      delaySeconds: nonNegative(env.DB_RETRY_DELAY, 'DB_RETRY_DELAY', 5),
    },
  };
  if (isFileEngine(engine)) {
    const file = env.DB_NAME?.trim();
    if (!file) throw new EnvironmentConfigError('DB_TYPE=sqlite needs DB_NAME set to the database file path.');
    fields.file = file;
  } else {
    fields.host = env.DB_HOST?.trim() || 'localhost';
    fields.port = env.DB_PORT ? positiveInt(env.DB_PORT, 'DB_PORT', defaultPorts[engine]!) : defaultPorts[engine];
    if (fields.port! > 65535) throw new EnvironmentConfigError(`DB_PORT="${env.DB_PORT}" is not a valid port.`);
    if (env.DB_NAME) fields.database = env.DB_NAME;
    if (env.DB_USER) fields.user = env.DB_USER;
  }
  if (env.DB_POOL_SIZE) fields.poolSize = positiveInt(env.DB_POOL_SIZE, 'DB_POOL_SIZE', 1);
  const password = env.DB_PASS;
  return password === undefined || password === '' ? { fields } : { fields, password };
}

function positiveInt(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new EnvironmentConfigError(`${name}="${text}" must be a whole number of at least 1.`);
  return n;
}

function nonNegative(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new EnvironmentConfigError(`${name}="${text}" must be a number of seconds, 0 or more.`);
  return n;
}

/**
 * Parses the text of a .env file: KEY=value lines, `export` prefixes, # comments, single and
 * double quotes (double quotes understand \n and \"). Variables are not expanded.
 */
export function parseDotEnv(text: string): EnvMap {
  const out: EnvMap = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new EnvironmentConfigError(`Line ${i + 1} of the .env file is not KEY=value: "${line.slice(0, 60)}"`);
    const key = m[1]!;
    let value = m[2]!;
    if (value.startsWith('"')) {
      const end = findClosingQuote(value, '"');
      if (end < 0) throw new EnvironmentConfigError(`Line ${i + 1}: the double quote is never closed.`);
      value = value.slice(1, end).replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    } else if (value.startsWith("'")) {
      const end = value.indexOf("'", 1);
      if (end < 0) throw new EnvironmentConfigError(`Line ${i + 1}: the single quote is never closed.`);
      value = value.slice(1, end);
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[key] = value;
  }
  return out;
}

function findClosingQuote(s: string, q: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === q) return i;
  }
  return -1;
}
