import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionFields } from '../../../shared/model/connection';
import { AppStore } from '../../../electron/core/store/app-store';
import { FileKeyCipher } from '../../../electron/core/store/secret-cipher';
import { dbdesk, mariadbSide, postgresSide, rowChecksums, schemaPrint, SEED, sqliteSide, type Side } from './helpers';

/** `dbdesk backup` / `dbdesk restore` as a user runs them: exit 0 done, 1 failed or refused, 2 bad arguments. */
let dir: string;
let pg: Side;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbdesk-backup-cli-'));
  pg = await postgresSide();
  await pg.exec(SEED.postgres);
});
afterAll(async () => {
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad arguments exit 2 before anything connects', () => {
  const nowhere = 'postgres://u@127.0.0.1:1/a?sslmode=disable';
  const cases: [string, () => string[], RegExp][] = [
    ['no FILE', () => ['backup', '--url', nowhere], /needs one FILE/],
    ['two FILEs', () => ['backup', '--url', nowhere, join(dir, 'a'), join(dir, 'b')], /not also/],
    ['no target', () => ['backup', join(dir, 'x.dump')], /exactly one of --url URL or --connection NAME/],
    ['both targets', () => ['backup', '--url', nowhere, '--connection', 'x', join(dir, 'x.dump')], /exactly one of/],
    ['schema and data only', () => ['backup', '--url', nowhere, '--schema-only', '--data-only', join(dir, 'x.dump')], /not both/],
    ['a folder that does not exist', () => ['backup', '--url', nowhere, join(dir, 'missing', 'x.dump')], /does not exist/],
    ['an existing file without --overwrite', () => ['backup', '--url', nowhere, join(dir, 'exists.dump')], /--overwrite/],
    ['a folder as FILE', () => ['backup', '--url', nowhere, dir], /is a folder/],
    ['an unknown option', () => ['backup', '--url', nowhere, '--frobnicate', join(dir, 'x.dump')], /frobnicate/],
    ['a bad URL', () => ['backup', '--url', 'postgres://u@h:notaport/a', join(dir, 'x.dump')], /port/],
    ['restore of a missing file', () => ['restore', '--url', nowhere, join(dir, 'nope.dump')], /does not exist/],
    ['restore of a folder', () => ['restore', '--url', nowhere, dir], /not a regular file/],
    ['a saved connection that does not exist', () => ['restore', '--data-dir', join(dir, 'empty-data'), '--connection', 'Nope', join(dir, 'exists.dump')], /No saved connection is called "Nope"/],
  ];
  beforeAll(() => writeFileSync(join(dir, 'exists.dump'), 'x'));
  it.concurrent.each(cases)('%s', async (_what, args, message) => {
    const r = await dbdesk(args());
    expect(r.code, r.out + r.err).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('round trips through the CLI', () => {
  it('PostgreSQL: backup → restore into a fresh database: exit 0, the same schema and rows', async () => {
    const file = join(dir, 'cli.dump');
    const b = await dbdesk(['backup', '--url', pg.url, file]);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toMatch(/^Backed up .* into .*cli\.dump: .*, \d+ tables, .* \(pg_dump \d+/);
    const target = await postgresSide();
    try {
      const r = await dbdesk(['restore', '--url', target.url, file]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/^Restored .* \(pg_restore \d+/);
      expect(await schemaPrint('postgres', target)).toBe(await schemaPrint('postgres', pg));
      expect(await rowChecksums('postgres', target)).toEqual(await rowChecksums('postgres', pg));
    } finally {
      await target.drop();
    }
  });

  it('MariaDB: --table twice and --schema-only are honoured', async () => {
    const source = await mariadbSide();
    const target = await mariadbSide();
    try {
      await source.exec(SEED.mariadb);
      const file = join(dir, 'cli-tables.sql');
      const b = await dbdesk(['backup', '--url', source.url, file, '--schema-only', '--table', 'customer', '--table', 'Mixed Case']);
      expect(b.code, b.err).toBe(0);
      const r = await dbdesk(['restore', '--url', target.url, file]);
      expect(r.code, r.err).toBe(0);
      expect(await rowChecksums('mariadb', target)).toEqual({ customer: expect.stringMatching(/^0:/), 'Mixed Case': expect.stringMatching(/^0:/) });
    } finally {
      await source.drop();
      await target.drop();
    }
  });

  it('SQLite through a saved connection; a production connection is refused without --yes (exit 1, unchanged), restored with it', async () => {
    const source = await sqliteSide();
    const target = await sqliteSide();
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    try {
      await source.exec(SEED.sqlite);
      await target.exec('CREATE TABLE kept (id int)');
      const store = new AppStore(dataDir, new FileKeyCipher(join(dataDir, 'keys', 'secret.key')));
      store.profiles.save(ConnectionFields.parse({ name: 'Shop file', engine: 'sqlite', file: source.url.slice('sqlite:'.length) }), undefined);
      store.profiles.save(ConnectionFields.parse({ name: 'Live shop', engine: 'sqlite', file: target.url.slice('sqlite:'.length), production: true }), undefined);
      store.close();
      const file = join(dir, 'shop.sqlite');
      const b = await dbdesk(['--data-dir', dataDir, 'backup', '--connection', 'Shop file', file]);
      expect(b.code, b.err).toBe(0);
      const refused = await dbdesk(['--data-dir', dataDir, 'restore', '--connection', 'Live shop', file]);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/refused: "Live shop" is a production connection\. Nothing was changed; add --yes/);
      expect(await target.rows(`SELECT name FROM sqlite_schema WHERE type = 'table'`)).toEqual([{ name: 'kept' }]);
      const r = await dbdesk(['--data-dir', dataDir, 'restore', '--connection', 'Live shop', file, '--yes']);
      expect(r.code, r.err).toBe(0);
      expect(await rowChecksums('sqlite', target)).toEqual(await rowChecksums('sqlite', source));
    } finally {
      await source.drop();
      await target.drop();
    }
  });
});

describe('failures exit 1 with the reason', () => {
  it('the tool’s own error, and no file left', async () => {
    const r = await dbdesk(['backup', '--url', pg.url, join(dir, 'fail.dump'), '--table', 'public.no_such_table']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dbdesk backup: pg_dump failed: pg_dump: error: no matching tables were found for pattern/);
    expect(readdirSync(dir).filter((f) => f.includes('fail.dump'))).toEqual([]);
  });

  it('a pg_dump older than the server is refused before it runs', async () => {
    const bin = join(dir, 'old-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'pg_dump'), `#!/bin/sh\n[ "$1" = "--version" ] && echo 'pg_dump (PostgreSQL) 10.23' && exit 0\ntouch '${join(bin, 'ran')}'\n`);
    chmodSync(join(bin, 'pg_dump'), 0o755);
    const r = await dbdesk(['backup', '--url', pg.url, join(dir, 'old.dump')], { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/pg_dump 10\.23 is older than the server .*Install the PostgreSQL \d+ client tools/);
    expect(existsSync(join(bin, 'ran'))).toBe(false);
    expect(existsSync(join(dir, 'old.dump'))).toBe(false);
  });
});
