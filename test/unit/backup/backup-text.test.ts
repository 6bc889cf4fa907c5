import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseClientVersion, withoutDefiner } from '../../../electron/core/engines/mysql/mysql-backup';
import { compareVersions, versionParts } from '../../../features/backup/core/tool-process';
import { lineRewriter, lineWatcher } from '../../../features/backup/core/tool-streams';
import { parseTableArgument } from '../../../features/backup/shared/backup-model';

describe('client tool versions', () => {
  it.each([
    ['mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)', 'mariadb', [10, 11, 19]],
    ['mariadb-dump from 11.4.2-MariaDB, client 10.19 for Linux (x86_64)', 'mariadb', [11, 4, 2]],
    ['mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)', 'mysql', [8, 0, 36]],
    ['mysql  Ver 8.4.0 for Linux on x86_64 (MySQL Community Server - GPL)', 'mysql', [8, 4, 0]],
  ])('%s', (text, product, version) => {
    expect(parseClientVersion(text)).toEqual({ product, version });
  });

  it('compares by as many parts as asked', () => {
    expect(compareVersions(versionParts('10.11.19'), versionParts('10.11.2'), 2)).toBe(0);
    expect(compareVersions(versionParts('10.6.1'), versionParts('10.11.2'), 2)).toBeLessThan(0);
    expect(compareVersions(versionParts('15.20'), versionParts('16.1'), 1)).toBeLessThan(0);
    expect(compareVersions(versionParts('17'), versionParts('16.4 (Debian)'), 1)).toBeGreaterThan(0);
  });
});

describe('definers are left out of a MySQL restore, rows never touched', () => {
  it.each([
    ['/*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER t BEFORE INSERT ON o', '/*!50017 */ /*!50003 TRIGGER t BEFORE INSERT ON o'],
    ['/*!50013 DEFINER=`a``b`@`%` SQL SECURITY DEFINER */', '/*!50013  SQL SECURITY DEFINER */'],
    ['CREATE DEFINER=`root`@`localhost` FUNCTION `twice`(x int) RETURNS int(11)', 'CREATE  FUNCTION `twice`(x int) RETURNS int(11)'],
    ["INSERT INTO `t` VALUES (1,'DEFINER=`root`@`x`');", "INSERT INTO `t` VALUES (1,'DEFINER=`root`@`x`');"],
  ])('%s', (line, out) => {
    expect(withoutDefiner(line)).toBe(out);
  });

  it('rewrites lines split across chunks, keeping every other byte', async () => {
    const text = Buffer.from('Zoë 😀\nCREATE DEFINER=`r`@`h` VIEW v\nINSERT INTO t VALUES (\'\xff\');\nlast line without newline DEFINER=`a`@`b`', 'utf8');
    const chunks = [text.subarray(0, 5), text.subarray(5, 21), text.subarray(21, 40), text.subarray(40)];
    const out: Buffer[] = [];
    for await (const c of Readable.from(chunks).pipe(lineRewriter(withoutDefiner))) out.push(c as Buffer);
    expect(Buffer.concat(out).toString('utf8')).toBe('Zoë 😀\nCREATE  VIEW v\nINSERT INTO t VALUES (\'\xff\');\nlast line without newline ');
  });

  it('sees table names in lines split across chunks', () => {
    const names: string[] = [];
    const watch = lineWatcher(/^-- Dumping data for table `(.+)`$/, (n) => names.push(n));
    watch(Buffer.from('-- Dumping data for t'));
    watch(Buffer.from('able `orders`\n-- Dumping data for table `Mixed Case`\n'));
    expect(names).toEqual(['orders', 'Mixed Case']);
  });
});

describe('--table arguments', () => {
  it.each([
    ['orders', { schema: null, name: 'orders' }],
    ['public.orders', { schema: 'public', name: 'orders' }],
    ['a.b.c', { schema: 'a', name: 'b.c' }],
    ['.hidden', { schema: null, name: '.hidden' }],
  ])('%s', (text, table) => expect(parseTableArgument(text)).toEqual(table));
});

describe('the endpoint a tool connects to', () => {
  it.each([
    ['127.0.0.1:5432', { host: '127.0.0.1', port: 5432 }],
    ['db-2.example.com:3307', { host: 'db-2.example.com', port: 3307 }],
    ['[::1]:5432', { host: '::1', port: 5432 }],
    ['/tmp/shop.sqlite', null],
    ['C:\\data\\x.db', null],
    ['host:99999', null],
  ])('%s', async (text, out) => {
    const { parseEndpoint } = await import('../../../features/backup/core/backup-runner');
    expect(parseEndpoint(text)).toEqual(out);
  });
});
