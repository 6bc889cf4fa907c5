import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup, runRestore } from '../../../features/backup/core/backup-runner';
import type { BackupOptions, BackupProgress } from '../../../features/backup/shared/backup-model';
import { countArchiveTables } from '../../../electron/core/engines/postgres/postgres-backup';
import { mariadbSide, openSource, postgresSide, sqliteSide, type Side } from './helpers';

/**
 * The result of a backup says how many tables the file holds — for every scope, on every engine —
 * and a restore how many it restored. (A PostgreSQL schema-only backup said 0: the count came from
 * pg_dump's "dumping contents" lines, which only rows make. MariaDB's counted views as tables.)
 * The odd name (a dot, a comma, both quotes) is chosen as one table, as the dialog's picker sends it.
 */
const ODD = `a.b, "c'd`;

const SEED = {
  postgres: `
    CREATE TABLE customer (id int PRIMARY KEY, name text);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customer(id));
    CREATE TABLE "a.b, ""c'd" (x int);
    CREATE VIEW named AS SELECT name FROM customer;
    CREATE SCHEMA backupui_other;
    CREATE TABLE backupui_other.audit (at timestamptz);
    INSERT INTO customer VALUES (1, 'x'), (2, 'y');
    INSERT INTO orders VALUES (1, 1);
    INSERT INTO "a.b, ""c'd" VALUES (1), (2), (3);
  `,
  mariadb: `
    CREATE TABLE customer (id int PRIMARY KEY, name text);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int, CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES customer(id));
    CREATE TABLE \`a.b, "c'd\` (x int);
    CREATE TABLE audit (at datetime);
    CREATE VIEW named AS SELECT name FROM customer;
    INSERT INTO customer VALUES (1, 'x'), (2, 'y');
    INSERT INTO orders VALUES (1, 1);
    INSERT INTO \`a.b, "c'd\` VALUES (1), (2), (3);
  `,
};

describe.each(['postgres', 'mariadb'] as const)('the table count of a backup and its restore (%s)', (kind) => {
  let source: Side;
  let dir: string;
  const fresh: Side[] = [];
  const make = kind === 'postgres' ? postgresSide : mariadbSide;
  const schema = kind === 'postgres' ? 'public' : null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-backup-count-'));
    source = await make();
    await source.exec(SEED[kind]);
  });
  afterAll(async () => {
    await source?.drop();
    await Promise.all(fresh.map((s) => s.drop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function backUp(name: string, options: BackupOptions): Promise<{ tables: number; progress: BackupProgress[]; file: string }> {
    const file = join(dir, `${name}-${kind}.backup`);
    const from = await openSource(source.url);
    const progress: BackupProgress[] = [];
    try {
      const done = await runBackup(from, { path: file, overwrite: false, options }, { signal: new AbortController().signal, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
      return { tables: done.tables, progress, file };
    } finally {
      await from.close();
    }
  }

  async function restore(file: string, into?: Side): Promise<number> {
    const target = into ?? (await make());
    if (!into) fresh.push(target);
    const to = await openSource(target.url);
    try {
      return (await runRestore(to, { path: file }, { signal: new AbortController().signal })).tables;
    } finally {
      await to.close();
    }
  }

  it('everything: four tables (the view is not one), backed up and restored', async () => {
    const b = await backUp('all', { scope: 'all', tables: [] });
    expect(b.tables).toBe(4);
    expect(b.progress.at(-1)!.tables).toBe(4);
    expect(await restore(b.file)).toBe(4);
  });

  it('schema only: four tables, though no rows were written', async () => {
    const b = await backUp('schema', { scope: 'schema', tables: [] });
    expect(b.tables).toBe(4);
    expect(b.progress.at(-1)!.tables).toBe(4);
    // Restored: four tables made, and a data-only backup restores the rows of four into them.
    const target = await make();
    fresh.push(target);
    expect(await restore(b.file, target)).toBe(4);
    const d = await backUp('data', { scope: 'data', tables: [] });
    expect(d.tables).toBe(4);
    expect(await restore(d.file, target)).toBe(4);
    const [row] = await target.rows(kind === 'postgres' ? `SELECT count(*)::int AS n FROM "a.b, ""c'd"` : 'SELECT count(*) AS n FROM `a.b, "c\'d`');
    expect(Number(row!.n)).toBe(3);
  });

  it('chosen tables, the odd name among them: two, in every scope', async () => {
    const chosen = [
      { schema, name: ODD },
      { schema, name: 'customer' },
    ];
    for (const scope of ['all', 'schema', 'data'] as const) {
      const b = await backUp(`chosen-${scope}`, { scope, tables: chosen });
      expect(b.tables, scope).toBe(2);
      if (scope === 'all') {
        const target = await make();
        fresh.push(target);
        expect(await restore(b.file, target)).toBe(2);
        const [row] = await target.rows(kind === 'postgres' ? `SELECT count(*)::int AS n FROM "a.b, ""c'd"` : 'SELECT count(*) AS n FROM `a.b, "c\'d`');
        expect(Number(row!.n)).toBe(3);
      }
    }
  });
});

describe('the table count of a SQLite backup', () => {
  let side: Side;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-backup-count-'));
    side = await sqliteSide();
    await side.exec(`CREATE TABLE a (x); CREATE TABLE "a.b, ""c'd" (y); CREATE VIEW v AS SELECT x FROM a;`);
  });
  afterAll(async () => {
    await side?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  it('the whole file: its two tables', async () => {
    const from = await openSource(side.url);
    try {
      const done = await runBackup(from, { path: join(dir, 'all.sqlite'), overwrite: false, options: { scope: 'all', tables: [] } }, { signal: new AbortController().signal });
      expect(done.tables).toBe(2);
    } finally {
      await from.close();
    }
  });
});

describe('countArchiveTables (pg_restore --list)', () => {
  it('counts TABLE and TABLE DATA entries once per table OID, and not TABLE ATTACH, views or schemas', () => {
    const list = [
      ';',
      '; Selected TOC Entries:',
      '6; 2615 31269 SCHEMA - s2 postgres',
      '216; 1259 31252 TABLE public a.b, "c" postgres',
      '218; 1259 31259 MATERIALIZED VIEW public mv postgres',
      '219; 1259 31263 TABLE public p postgres',
      '220; 1259 31266 TABLE public p1 postgres',
      '217; 1259 31255 VIEW public v postgres',
      '221; 1259 31270 TABLE DATA s2 t postgres',
      '3221; 0 0 TABLE ATTACH public p1 postgres',
      '3367; 0 31252 TABLE DATA public a.b, "c" postgres',
      '3369; 0 31266 TABLE DATA public p1 postgres',
      '1; 1259 40000 FOREIGN TABLE public f postgres',
    ].join('\n');
    expect(countArchiveTables(list)).toBe(4);
  });
});
