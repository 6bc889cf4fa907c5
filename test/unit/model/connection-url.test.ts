import { describe, expect, it } from 'vitest';
import { ConnectionUrlError, formatConnectionUrl, parseConnectionUrl } from '../../../shared/model/connection-url';

describe('parseConnectionUrl', () => {
  it('reads a full PostgreSQL URL with TLS files and a percent-encoded password', () => {
    const r = parseConnectionUrl('postgresql://app%40corp:p%40ss%3Aw0rd@db.example.com:6432/sales?sslmode=verify-ca&sslrootcert=/etc/ca.pem&sslcert=/c.crt&sslkey=/c.key&connect_timeout=7');
    expect(r.fields).toMatchObject({
      engine: 'postgresql',
      user: 'app@corp',
      host: 'db.example.com',
      port: 6432,
      database: 'sales',
      tls: { mode: 'verify-ca', caFile: '/etc/ca.pem', certFile: '/c.crt', keyFile: '/c.key' },
      connectTimeoutMs: 7000,
    });
    expect(r.password).toBe('p@ss:w0rd');
    expect(r.ignoredParams).toEqual([]);
  });

  it('accepts postgres://, mysql:// and mariadb:// with default ports', () => {
    expect(parseConnectionUrl('postgres://h/db').fields).toMatchObject({ engine: 'postgresql', port: 5432, host: 'h', database: 'db' });
    expect(parseConnectionUrl('mysql://root@h').fields).toMatchObject({ engine: 'mysql', port: 3306, user: 'root' });
    expect(parseConnectionUrl('mariadb://h:3307/x').fields).toMatchObject({ engine: 'mariadb', port: 3307 });
  });

  it('keeps an unencoded @ in a password (the last @ ends the user info)', () => {
    expect(parseConnectionUrl('mysql://u:a@b@host/db').password).toBe('a@b');
  });

  it('reads IPv6 hosts and libpq multi-host lists (cluster nodes)', () => {
    expect(parseConnectionUrl('postgres://[::1]:5433/db').fields).toMatchObject({ host: '::1', port: 5433 });
    const r = parseConnectionUrl('mariadb://u@n1:4307,n2:4308,n3/app');
    expect(r.fields).toMatchObject({ host: 'n1', port: 4307, nodes: [{ host: 'n2', port: 4308 }, { host: 'n3', port: 3306 }] });
  });

  it("maps MySQL's ssl-mode names onto libpq's", () => {
    expect(parseConnectionUrl('mysql://h/db?ssl-mode=VERIFY_IDENTITY').fields.tls?.mode).toBe('verify-full');
    expect(parseConnectionUrl('mysql://h/db?ssl-mode=REQUIRED').fields.tls?.mode).toBe('require');
  });

  it('lists query parameters it does not act on instead of dropping them silently', () => {
    expect(parseConnectionUrl('postgres://h/db?application_name=x&sslmode=disable').ignoredParams).toEqual(['application_name']);
  });

  it('reads sqlite: URLs in every common spelling and bare file paths', () => {
    expect(parseConnectionUrl('sqlite:/data/app.db').fields).toMatchObject({ engine: 'sqlite', file: '/data/app.db', name: 'app.db' });
    expect(parseConnectionUrl('sqlite:///data/app.db').fields.file).toBe('/data/app.db');
    expect(parseConnectionUrl('sqlite://rel/app.db').fields.file).toBe('rel/app.db');
    expect(parseConnectionUrl('sqlite:./my%20db.sqlite?mode=ro').fields).toMatchObject({ file: './my db.sqlite', readOnly: true });
    expect(parseConnectionUrl('/home/me/notes.sqlite3').fields).toMatchObject({ engine: 'sqlite', file: '/home/me/notes.sqlite3' });
    expect(parseConnectionUrl('C:\\data\\x.db').fields).toMatchObject({ engine: 'sqlite', file: 'C:\\data\\x.db' });
  });

  it.each([
    ['', /empty/],
    ['http://example.com', /Unsupported scheme "http:"/],
    ['postgres:/h/db', /Expected "\/\/"/],
    ['postgres://h:99999/db', /Port "99999" is not a number between 1 and 65535/],
    ['postgres://h:abc/db', /Port "abc"/],
    ['postgres://u:%zz@h/db', /broken %-escape/],
    ['postgres://h/db?sslmode=sometimes', /Unknown sslmode "sometimes"/],
    ['postgres://h/db?connect_timeout=-1', /connect_timeout/],
    ['postgres://[::1/db', /Unclosed "\["/],
    ['just some words', /Not a connection URL/],
    ['sqlite:', /no file path/],
  ])('refuses %j with a clear message', (input, message) => {
    expect(() => parseConnectionUrl(input)).toThrow(ConnectionUrlError);
    expect(() => parseConnectionUrl(input)).toThrow(message);
  });

  it('formats a profile back to a URL without its password', () => {
    const r = parseConnectionUrl('postgres://me:secret@h:5432/db?sslmode=require');
    const url = formatConnectionUrl({ ...r.fields, tls: r.fields.tls! } as never);
    expect(url).toBe('postgres://me@h:5432/db?sslmode=require');
    expect(url).not.toContain('secret');
  });
});
