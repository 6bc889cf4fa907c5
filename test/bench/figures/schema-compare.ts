import { execFile } from 'node:child_process';
import { openEngine } from '../../../electron/core/engines';
import type { Engine } from '../../../electron/core/engines';
import { compareLive } from '../../../features/schema-compare/core/compare-live';
import { ConnectionFields } from '../../../shared/model/connection';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import { largeSchemaDdl } from '../../support/large-schema';
import pg from 'pg';
import { createPostgresDatabase, POSTGRES, type TestDatabase } from '../../support/servers';
import { round, timeRatio, type Figure, type FigureModule } from '../figure';

const TABLES = 2000;
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a program to its end; resolves with its exit code and output (what a user waits for). */
function run(file: string, args: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }, (err, out, errOut) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out, err: errOut, ms: performance.now() - t0 });
    });
  });
}

/**
 * The target: the source's 2,000 tables with the kinds of differences a staging/production pair has —
 * 40 tables with a column more, 20 with an index, 10 dropped (and 5 of their own), a view, an enum.
 */
function targetChanges(): string {
  const out: string[] = [];
  for (let i = 100; i < 140; i++) out.push(`ALTER TABLE t${String(i).padStart(4, '0')}_${['account', 'order', 'item', 'event', 'invoice', 'user', 'note', 'tag'][i % 8]} ADD COLUMN hotfix_note text;`);
  for (let i = 200; i < 220; i++) out.push(`CREATE INDEX hotfix_idx_${i} ON t${String(i).padStart(4, '0')}_${['account', 'order', 'item', 'event', 'invoice', 'user', 'note', 'tag'][i % 8]} (id, c0_name);`);
  for (let i = 0; i < 5; i++) out.push(`CREATE TABLE extra_${i} (id bigint PRIMARY KEY, note text);`);
  out.push(`CREATE TYPE hotfix_state AS ENUM ('open', 'closed');`, `CREATE VIEW hotfix_view AS SELECT id FROM t0000_account;`);
  return out.join('\n');
}

/**
 * Runs DDL in pieces of `per` statements, each in its own connection and implicit transaction, and
 * runs a piece again when the server ended the session (other engineers' tests on this shared server
 * terminate backends): a piece either happened whole or not at all.
 */
async function execInPieces(database: string, ddl: string, per = 250): Promise<void> {
  const statements = ddl.split('\n').filter((l) => l.trim() !== '');
  for (let i = 0; i < statements.length; i += per) {
    const piece = statements.slice(i, i + per).join('\n');
    for (let attempt = 1; ; attempt++) {
      const client = new pg.Client({ ...POSTGRES, database });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query(piece);
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }
}

async function engineFor(url: string): Promise<Engine> {
  const parsed = parseConnectionUrl(url);
  return openEngine({ ...ConnectionFields.parse(parsed.fields), poolSize: 3, ...(parsed.password ? { password: parsed.password } : {}) });
}

/**
 * diff.postgres.2000: `dbdesk diff SOURCE TARGET --json` on two 2,000-table PostgreSQL databases that
 * differ in ~75 objects, end to end (process start, both connections, both reads, compare, the
 * migration and its lint, the JSON printed). Baseline: `pg_dump -s` of the source, in the same run —
 * what PostgreSQL's own tool needs just to read one of the two schemas out.
 */
async function diffFigure(): Promise<Figure> {
  const dbs: TestDatabase[] = [];
  try {
    const [source, target] = await Promise.all([createPostgresDatabase(), createPostgresDatabase()]);
    dbs.push(source, target);
    const ddl = largeSchemaDdl(TABLES);
    await Promise.all([execInPieces(source.name, ddl), execInPieces(target.name, ddl)]);
    await execInPieces(target.name, targetChanges());

    // Warm both servers' catalog caches and the disk cache once, for both tools alike.
    const first = await run(process.execPath, ['bin/dbdesk.cjs', 'diff', source.url, target.url, '--json']);
    if (first.code !== 1) throw new Error(`dbdesk diff exited ${first.code} (expected 1, different): ${first.err}`);
    const items = (JSON.parse(first.out) as { items: unknown[] }).items.length;
    const dumpArgs = ['-s', '-h', POSTGRES.host, '-p', String(POSTGRES.port), '-U', POSTGRES.user, '-d', source.name, '-f', '/dev/null'];
    const warm = await run('pg_dump', dumpArgs);
    if (warm.code !== 0) throw new Error(`pg_dump failed: ${warm.err}`);

    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const d = await run(process.execPath, ['bin/dbdesk.cjs', 'diff', source.url, target.url, '--json']);
      if (d.code !== 1) throw new Error(`dbdesk diff exited ${d.code}: ${d.err}`);
      ours.push(d.ms);
      base.push((await run('pg_dump', dumpArgs)).ms);
    }

    // Where the time goes, in-process (no process start): both reads at once, the compare, the lint.
    const [s, t] = await Promise.all([engineFor(source.url), engineFor(target.url)]);
    const parts: { read: number; compare: number; lint: number }[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const timings = { read: 0, compare: 0, lint: 0 };
        await compareLive({ engine: s, schema: null, label: 'source' }, { engine: t, schema: null, label: 'target' }, { timings });
        parts.push(timings);
      }
    } finally {
      await Promise.all([s.close(), t.close()]);
    }
    const part = (k: 'read' | 'compare' | 'lint') => round(median(parts.map((p) => p[k])));

    const value = median(ours);
    const baseline = median(base);
    return {
      id: `diff.postgres.${TABLES}`,
      value: round(value),
      unit: 'ms',
      baseline: round(baseline),
      ratio: timeRatio(value, baseline),
      goal: '≤ 2000 ms',
      note: `pg_dump -s of one of the two ${TABLES}-table schemas (median of ${RUNS}); ours: dbdesk diff --json end to end, ${items} differences; in-process read ${part('read')} ms (both sides at once), compare ${part('compare')} ms, lint ${part('lint')} ms`,
    };
  } finally {
    await Promise.all(dbs.map((d) => d.drop()));
  }
}

const figures: FigureModule = {
  ids: [`diff.postgres.${TABLES}`],
  async run() {
    return [await diffFigure()];
  },
};
export default figures;
