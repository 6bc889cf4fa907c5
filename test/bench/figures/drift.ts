import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase, POSTGRES, postgresExec, type TestDatabase } from '../../support/servers';
import { round, timeRatio, type Figure, type FigureModule } from '../figure';

const MIGRATIONS = 200;
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function run(file: string, args: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, out, errOut) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out, err: errOut, ms: performance.now() - t0 });
    });
  });
}

/**
 * A folder as a project grows one: tables created, then columns added, indexes and foreign keys, a
 * view now and then — 200 dbmate files, one to three statements each.
 */
function upSections(): string[] {
  const ups: string[] = [];
  let tables = 0;
  for (let i = 0; ups.length < MIGRATIONS; i++) {
    const kind = i % 4;
    if (kind === 0 || tables < 2) {
      ups.push(`CREATE TABLE t${tables} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`);
      tables++;
    } else if (kind === 1) ups.push(`ALTER TABLE t${tables - 1} ADD COLUMN note_${i} varchar(200);\nCREATE INDEX t${tables - 1}_note_${i} ON t${tables - 1} (note_${i});`);
    else if (kind === 2) ups.push(`ALTER TABLE t${tables - 1} ADD COLUMN parent_id bigint REFERENCES t${tables - 2} (id) ON DELETE SET NULL;`);
    else ups.push(`CREATE OR REPLACE VIEW v${tables - 1} AS SELECT id, name FROM t${tables - 1};\nCOMMENT ON TABLE t${tables - 1} IS 'step ${i}';`);
  }
  return ups;
}

/**
 * drift.postgres.200: `dbdesk migrate drift --json` against a PostgreSQL database that applied a
 * 200-migration folder and was then changed by hand — end to end (process start, history, live read,
 * temporary database made, the 200 replayed through the runner, read, compared, dropped). Baseline: psql
 * running the same 200 up sections into an empty database in one session (the floor of any replay).
 */
async function driftFigure(): Promise<Figure> {
  const folder = mkdtempSync(join(tmpdir(), 'dbdesk-bench-drift-'));
  const dbs: TestDatabase[] = [];
  try {
    const ups = upSections();
    ups.forEach((up, i) => writeFileSync(join(folder, `${String(20240101000000 + i)}_step_${i}.sql`), `-- migrate:up\n${up}\n\n-- migrate:down\n`));
    const live = await createPostgresDatabase();
    dbs.push(live);
    const applied = await run(process.execPath, ['dist/cli.cjs', 'migrate', 'up', '--url', live.url, '--dir', folder]);
    if (applied.code !== 0) throw new Error(`migrate up: ${applied.out}${applied.err}`);
    const index = /CREATE INDEX (t10_note_\d+) ON/.exec(ups.join('\n'))![1]!;
    await postgresExec(live.name, `ALTER TABLE t3 ADD COLUMN hotfix text; DROP INDEX ${index};`);

    const ours: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await run(process.execPath, ['dist/cli.cjs', 'migrate', 'drift', '--url', live.url, '--dir', folder, '--json']);
      if (r.code !== 1) throw new Error(`drift should find the hand changes (exit 1), got ${r.code}: ${r.err.slice(-2000)}`);
      const items = (JSON.parse(r.out) as { items: { name: string }[] }).items.map((x) => x.name).sort();
      if (items.join(',') !== 't10,t3') throw new Error(`drift found ${items.join(', ')}`);
      ours.push(r.ms);
    }
    const script = join(folder, 'all.sql');
    writeFileSync(script, ups.join('\n'));
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const empty = await createPostgresDatabase();
      dbs.push(empty);
      const r = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', POSTGRES.host, '-p', String(POSTGRES.port), '-U', POSTGRES.user, '-d', empty.name, '-f', script]);
      if (r.code !== 0) throw new Error(`psql: ${r.err}`);
      base.push(r.ms);
    }
    const value = round(median(ours), 0);
    const baseline = round(median(base), 0);
    return {
      id: 'drift.postgres.200',
      value,
      unit: 'ms',
      baseline,
      ratio: timeRatio(value, baseline),
      goal: '≤ 10000 ms',
      note: `median of ${RUNS}: dbdesk migrate drift end to end on a ${MIGRATIONS}-migration folder (2 objects changed by hand) vs psql replaying the ${MIGRATIONS} up sections into an empty database`,
    };
  } finally {
    await Promise.all(dbs.map((d) => d.drop().catch(() => undefined)));
    rmSync(folder, { recursive: true, force: true });
  }
}

const module: FigureModule = {
  ids: ['drift.postgres.200'],
  async run() {
    return [await driftFigure()];
  },
};
export default module;
