import { describe, expect, it } from 'vitest';
import { CoreError, redactSecrets, toIpcError } from '../../../electron/core/errors';

describe('redactSecrets', () => {
  it('removes given secrets, URL passwords, password= parameters and private keys', () => {
    const text = 'failed for postgres://bob:hunter2@db/x password=hunter2; key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- hunter2';
    const out = redactSecrets(text, ['hunter2']);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('MIIE');
    expect(out).toContain('postgres://bob:[secret removed]@db/x');
  });
});

describe('toIpcError', () => {
  it('keeps CoreError codes and scrubs secrets from message and detail', () => {
    const e = toIpcError(new CoreError('connection-failed', 'bad pw s3cr3t', { hint: 'pw s3cr3t' }), 'internal', ['s3cr3t']);
    expect(e).toEqual({ code: 'connection-failed', message: 'bad pw [secret removed]', detail: { hint: 'pw [secret removed]' } });
  });

  it('copies driver facts field by field, never the config', () => {
    const err = Object.assign(new Error('password authentication failed for user "u"'), {
      code: '28P01',
      severity: 'FATAL',
      routine: 'auth_failed',
      config: { password: 'never' },
    });
    const e = toIpcError(err, 'connection-failed');
    expect(e.code).toBe('connection-failed');
    expect(e.detail).toMatchObject({ driverCode: '28P01', sqlState: '28P01', severity: 'FATAL' });
    expect(JSON.stringify(e)).not.toContain('never');
  });

  it('gives an AggregateError (dual-stack connect) a message from its code and keeps every cause', () => {
    const agg = Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''), { code: 'ECONNREFUSED' });
    const e = toIpcError(agg, 'connection-failed');
    expect(e.message).toBe('ECONNREFUSED');
    expect(e.detail?.causes).toEqual([{ message: 'connect ECONNREFUSED ::1:5432', driverCode: 'ECONNREFUSED' }]);
  });
});
