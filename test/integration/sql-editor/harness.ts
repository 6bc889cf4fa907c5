import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CommandOutput, EventPayload } from '../../../shared/ipc/contract';
import type { EngineFamily } from '../../../shared/model/engine';
import { ColumnEncoding, decodeColumnarBatch } from '../../../shared/model/columnar-batch';
import type { CellValue } from '../../../shared/model/values';
import { lexRulesFor } from '../../../shared/sql/lex-rules';
import { splitStatements } from '../../../shared/sql/split-statements';
import { createMariadbDatabase, createPostgresDatabase, type TestDatabase } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';

export type EngineName = 'postgres' | 'mariadb' | 'sqlite';
export const ENGINES: EngineName[] = ['postgres', 'mariadb', 'sqlite'];
export const familyOf = (e: EngineName): EngineFamily => (e === 'mariadb' ? 'mysql' : e);

/** A database of one engine: a random PostgreSQL/MariaDB database or a temporary SQLite file. */
export async function createDatabase(engine: EngineName): Promise<TestDatabase> {
  if (engine === 'postgres') return createPostgresDatabase();
  if (engine === 'mariadb') return createMariadbDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'dbdesk-sqlite-'));
  const file = join(dir, 'test.sqlite');
  new Database(file).close();
  return { name: 'main', url: `sqlite://${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A statement that never ends, for cancel. A recursive CTE where the engine lets it run forever;
 * MariaDB stops recursion after max_recursive_iterations (1000), so there it is a cross join of
 * two billion-row sequences.
 */
export const RUNAWAY: Record<EngineName, string> = {
  postgres: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
  sqlite: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
  mariadb: 'SELECT count(*) FROM seq_1_to_1000000000 a CROSS JOIN seq_1_to_1000000000 b',
};

/** n rows numbered 1..n, in each dialect. */
export function series(engine: EngineName, n: number): string {
  if (engine === 'postgres') return `SELECT g AS n FROM generate_series(1, ${n}) g`;
  if (engine === 'mariadb') return `SELECT seq AS n FROM seq_1_to_${n}`;
  return `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${n}) SELECT n FROM s`;
}

export interface Runner {
  t: TestCore;
  w: TestWindow;
  profileId: string;
  db: TestDatabase;
  engine: EngineName;
  /** Opens (or reuses) a query session for an editor tab. */
  session(id?: string): Promise<CommandOutput<'query.openSession'>>;
  /** Splits a script as the editor does and runs it, granting credit for every batch. */
  /** `signal` cancels the run (the editor's Cancel). */
  run(script: string, options?: { sessionId?: string; confirmWrites?: boolean; maxRows?: number; batchRows?: number; continueOnError?: boolean; signal?: AbortSignal }): Promise<RunOutcome>;
  close(): Promise<void>;
}

export interface RunOutcome {
  output: CommandOutput<'query.run'>;
  /** Rows received per statement, by column. */
  rows: Map<number, CellValue[][]>;
  runId: string;
}

let runCounter = 0;

export async function openRunner(engine: EngineName, profileExtra: Record<string, unknown> = {}, options: { workerEnv?: Record<string, string> } = {}): Promise<Runner> {
  const db = await createDatabase(engine);
  const t = createTestCore(options);
  try {
    const w = t.openWindow();
    const profileId = await saveProfileFromUrl(w.client, db.url, profileExtra);
    await w.client.call('connections.open', { id: profileId });
    const rules = lexRulesFor(familyOf(engine));
    const runner: Runner = {
      t,
      w,
      profileId,
      db,
      engine,
      session: (id = 'tab1') => w.client.call('query.openSession', { connectionId: profileId, sessionId: id }),
      async run(script, o = {}) {
        const sessionId = o.sessionId ?? 'tab1';
        await runner.session(sessionId);
        const runId = `run${++runCounter}`;
        const rows = new Map<number, CellValue[][]>();
        const off = w.client.on('query.batch', (p: EventPayload<'query.batch'>) => {
          if (p.runId !== runId) return;
          // The batch arrives in its wire form (shared/model/columnar-batch.ts); kept here by column.
          const batch = decodeColumnarBatch(p.values);
          if (batch.rowCount !== p.rowCount) throw new Error(`a batch says ${p.rowCount} rows and holds ${batch.rowCount}`);
          const cols = rows.get(p.index) ?? batch.values.map(() => [] as CellValue[]);
          batch.values.forEach((column, c) => cols[c]!.push(...column));
          rows.set(p.index, cols);
          void w.client.call('query.credit', { runId, batches: 1 }).catch(() => undefined);
        });
        try {
          const statements = splitStatements(script, rules).map((s) => ({ sql: s.sql, offset: s.from }));
          const output = await w.client.call('query.run', {
            sessionId,
            runId,
            statements,
            confirmWrites: o.confirmWrites ?? false,
            ...(o.maxRows ? { maxRows: o.maxRows } : {}),
            ...(o.batchRows ? { batchRows: o.batchRows } : {}),
            ...(o.continueOnError ? { continueOnError: true } : {}),
          }, { signal: o.signal });
          return { output, rows, runId };
        } finally {
          off();
        }
      },
      async close() {
        await t.close();
        await db.drop();
      },
    };
    return runner;
  } catch (err) {
    await t.close();
    await db.drop();
    throw err;
  }
}

/** How each column of the batches `run` sends travels (the u8 per column after the 12-byte header), and each batch's size in bytes. */
export async function encodingsOf<T>(r: Runner, run: () => Promise<T>): Promise<{ result: T; encodings: number[][]; sizes: number[] }> {
  const encodings: number[][] = [];
  const sizes: number[] = [];
  const off = r.w.client.on('query.batch', (p: EventPayload<'query.batch'>) => {
    const width = new DataView(p.values.buffer, p.values.byteOffset).getUint32(8, true);
    encodings.push([...p.values.subarray(12, 12 + width)].map((tag) => tag & ~ColumnEncoding.Masked));
    sizes.push(p.values.byteLength);
  });
  try {
    return { result: await run(), encodings, sizes };
  } finally {
    off();
  }
}
