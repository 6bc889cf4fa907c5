import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup, runRestore } from '../../../features/backup/core/backup-runner';
import type { BackupProgress } from '../../../features/backup/shared/backup-model';
import { mariadbSide, openSource, postgresSide, rowChecksums, schemaPrint, SEED, sqliteSide, type Side } from './helpers';

type Kind = 'postgres' | 'mariadb' | 'sqlite';
const makeSide: Record<Kind, () => Promise<Side>> = { postgres: postgresSide, mariadb: mariadbSide, sqlite: sqliteSide };

describe.each(['postgres', 'mariadb', 'sqlite'] as Kind[])('backup → restore into a fresh database (%s)', (kind) => {
  let source: Side;
  let dir: string;
  const fresh: Side[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-backup-'));
    source = await makeSide[kind]();
    await source.exec(SEED[kind]);
  });
  afterAll(async () => {
    await source?.drop();
    await Promise.all(fresh.map((s) => s.drop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function freshSide(): Promise<Side> {
    const s = await makeSide[kind]();
    fresh.push(s);
    return s;
  }

  it('the restored database has the same schema and the same rows (checksums), with progress on both ways', async () => {
    const file = join(dir, `all-${kind}.backup`);
    const from = await openSource(source.url);
    const seen: BackupProgress[] = [];
    try {
      const done = await runBackup(from, { path: file, overwrite: false, options: { scope: 'all', tables: [] } }, { signal: new AbortController().signal, onProgress: (p) => seen.push(p) });
      expect(done.bytes).toBe(statSync(file).size);
      expect(done.bytes).toBeGreaterThan(1000);
      expect(done.tables).toBeGreaterThanOrEqual(2);
      expect(done.tool).toMatch(kind === 'postgres' ? /^pg_dump \d+/ : kind === 'mariadb' ? /^mariadb-dump \d+/ : /SQLite/);
      // A backup holds every row: only its owner may read it.
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await from.close();
    }
    expect(seen.at(-1)!.bytes).toBe(statSync(file).size);
    // No partial file is left next to it.
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);

    const target = await freshSide();
    const to = await openSource(target.url);
    const restoreSeen: BackupProgress[] = [];
    try {
      const done = await runRestore(to, { path: file }, { signal: new AbortController().signal, onProgress: (p) => restoreSeen.push(p) });
      expect(done.tables).toBeGreaterThanOrEqual(2);
    } finally {
      await to.close();
    }
    expect(restoreSeen.at(-1)).toMatchObject({ bytes: statSync(file).size, totalBytes: statSync(file).size });
    expect(await schemaPrint(kind, target)).toBe(await schemaPrint(kind, source));
    const sums = await rowChecksums(kind, target);
    expect(sums).toEqual(await rowChecksums(kind, source));
    expect(Object.keys(sums).length).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(kind === 'sqlite')('schema only, data only, and chosen tables', async () => {
    const from = await openSource(source.url);
    const schemaFile = join(dir, `schema-${kind}.backup`);
    const dataFile = join(dir, `data-${kind}.backup`);
    const tableFile = join(dir, `table-${kind}.backup`);
    try {
      await runBackup(from, { path: schemaFile, overwrite: false, options: { scope: 'schema', tables: [] } }, { signal: new AbortController().signal });
      await runBackup(from, { path: dataFile, overwrite: false, options: { scope: 'data', tables: [] } }, { signal: new AbortController().signal });
      await runBackup(from, { path: tableFile, overwrite: false, options: { scope: 'all', tables: [{ schema: null, name: 'Mixed Case' }] } }, { signal: new AbortController().signal });
    } finally {
      await from.close();
    }
    // Schema only: the same schema, no rows.
    const target = await freshSide();
    const to = await openSource(target.url);
    try {
      await runRestore(to, { path: schemaFile }, { signal: new AbortController().signal });
      expect(await schemaPrint(kind, target)).toBe(await schemaPrint(kind, source));
      expect(Object.values(await rowChecksums(kind, target)).every((c) => c.startsWith('0:'))).toBe(true);
      // Data only, into that schema: the same rows.
      await runRestore(to, { path: dataFile }, { signal: new AbortController().signal });
      expect(await rowChecksums(kind, target)).toEqual(await rowChecksums(kind, source));
    } finally {
      await to.close();
    }
    // One table: only it arrives, with its rows.
    const single = await freshSide();
    const one = await openSource(single.url);
    try {
      await runRestore(one, { path: tableFile }, { signal: new AbortController().signal });
    } finally {
      await one.close();
    }
    const sums = await rowChecksums(kind, single);
    expect(Object.keys(sums)).toEqual(['Mixed Case']);
    expect(sums['Mixed Case']).toBe((await rowChecksums(kind, source))['Mixed Case']);
  });

  it.runIf(kind === 'sqlite')('SQLite refuses schema-only and table selection (the backup API copies the whole file), writing nothing', async () => {
    const from = await openSource(source.url);
    try {
      const path = join(dir, 'refused.sqlite');
      await expect(runBackup(from, { path, overwrite: false, options: { scope: 'schema', tables: [] } }, { signal: new AbortController().signal })).rejects.toMatchObject({ code: 'unsupported' });
      expect(readdirSync(dir).filter((f) => f.includes('refused'))).toEqual([]);
    } finally {
      await from.close();
    }
  });
});
