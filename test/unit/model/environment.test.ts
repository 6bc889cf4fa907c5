import { describe, expect, it } from 'vitest';
import { connectionFromEnvironment, EnvironmentConfigError, parseDotEnv } from '../../../shared/model/environment';
import { ConnectionFields, defaultPoolSize } from '../../../shared/model/connection';

describe("the seed guide's DB_* variables", () => {
  it('is absent without DB_TYPE', () => {
    expect(connectionFromEnvironment({ DB_HOST: 'x' })).toBeNull();
  });

  it('builds a profile with the guide’s retry defaults (5 attempts, 5 s)', () => {
    const r = connectionFromEnvironment({ DB_TYPE: 'postgresql', DB_HOST: 'db', DB_NAME: 'app', DB_USER: 'u', DB_PASS: 'pw' })!;
    expect(r.fields).toMatchObject({ engine: 'postgresql', host: 'db', port: 5432, database: 'app', user: 'u', retry: { maxAttempts: 5, delaySeconds: 5 } });
    expect(r.password).toBe('pw');
    expect(ConnectionFields.safeParse(r.fields).success).toBe(true);
  });

  it('reads every variable', () => {
    const r = connectionFromEnvironment({ DB_TYPE: 'mariadb', DB_HOST: 'h', DB_PORT: '3307', DB_NAME: 'n', DB_USER: 'u', DB_POOL_SIZE: '7', DB_MAX_RETRIES: '3', DB_RETRY_DELAY: '0.5' })!;
    expect(r.fields).toMatchObject({ engine: 'mariadb', port: 3307, poolSize: 7, retry: { maxAttempts: 3, delaySeconds: 0.5 } });
    expect(r.password).toBeUndefined();
  });

  it('takes DB_NAME as the file for SQLite', () => {
    expect(connectionFromEnvironment({ DB_TYPE: 'sqlite', DB_NAME: '/tmp/x.db' })!.fields).toMatchObject({ engine: 'sqlite', file: '/tmp/x.db' });
  });

  it.each([
    [{ DB_TYPE: 'oracle' }, /DB_TYPE="oracle"/],
    [{ DB_TYPE: 'mysql', DB_PORT: 'abc' }, /DB_PORT/],
    [{ DB_TYPE: 'mysql', DB_MAX_RETRIES: '0' }, /DB_MAX_RETRIES/],
    [{ DB_TYPE: 'mysql', DB_RETRY_DELAY: '-2' }, /DB_RETRY_DELAY/],
    [{ DB_TYPE: 'sqlite' }, /DB_NAME/],
  ])('explains a bad value: %j', (env, message) => {
    expect(() => connectionFromEnvironment(env)).toThrow(EnvironmentConfigError);
    expect(() => connectionFromEnvironment(env)).toThrow(message);
  });

  it('sizes the default pool by the guide’s formula', () => {
    expect(defaultPoolSize(2)).toBe(5);
    expect(defaultPoolSize(8)).toBe(17);
  });
});

describe('parseDotEnv', () => {
  it('reads comments, export, quotes and escapes without expanding variables', () => {
    const env = parseDotEnv(['\uFEFF# a comment', 'export DB_TYPE=postgresql', 'DB_PASS="p#ss \\"q\\"\\nx"', "DB_USER='lit $HOME'", 'DB_HOST=db # trailing', '', 'EMPTY='].join('\r\n'));
    expect(env).toEqual({ DB_TYPE: 'postgresql', DB_PASS: 'p#ss "q"\nx', DB_USER: 'lit $HOME', DB_HOST: 'db', EMPTY: '' });
  });

  it('points at the line that is wrong', () => {
    expect(() => parseDotEnv('DB_TYPE=x\nnot a line')).toThrow(/Line 2/);
    expect(() => parseDotEnv('A="open')).toThrow(/never closed/);
  });
});
