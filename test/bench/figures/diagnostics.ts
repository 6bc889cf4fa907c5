import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runDiagnostics } from '../../../features/diagnostics/core/run-diagnostics';
import type { EngineConfig } from '../../../electron/core/engines/config';
import { ConnectionFields, type ConnectionFieldsInput } from '../../../shared/model/connection';
import { silentServer } from '../../support/fake-servers';
import { medianMs, round, timeRatio, type Figure, type FigureModule } from '../figure';

/**
 * A full diagnosis of a healthy server (every step: DNS, TCP, fingerprint, TLS, login, catalog read,
 * privileges, health, a real table read — or the SQLite file checks and quick_check) against the
 * bare driver doing connect + SELECT 1 in the same run; and how soon a port that accepts and never
 * answers is reported with a 1 s step limit.
 */
const RUNS = 9;

function config(fields: ConnectionFieldsInput): EngineConfig {
  return { ...ConnectionFields.parse(fields), poolSize: 1 };
}

async function healthy(id: string, cfg: EngineConfig, baseline: () => Promise<unknown>, note: string): Promise<Figure> {
  // Warm both paths (module loading, the server's first connection) before measuring.
  await runDiagnostics(cfg);
  await baseline();
  const first = await runDiagnostics(cfg);
  if (!first.verdict.usable) throw new Error(`${id}: the server is not healthy: ${first.verdict.headline}`);
  const ours = await medianMs(RUNS, () => runDiagnostics(cfg));
  const base = await medianMs(RUNS, baseline);
  return { id, value: round(ours), unit: 'ms', baseline: round(base), ratio: timeRatio(ours, base), goal: '≤ 300 ms', note };
}

const module: FigureModule = {
  ids: ['diagnose.healthy.postgres', 'diagnose.healthy.mariadb', 'diagnose.healthy.sqlite', 'diagnose.silent-port'],
  async run() {
    const figures: Figure[] = [];

    figures.push(
      await healthy(
        'diagnose.healthy.postgres',
        config({ name: 'bench', engine: 'postgresql', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', tls: { mode: 'prefer' } }),
        async () => {
          const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
          await c.connect();
          await c.query('SELECT 1');
          await c.end();
        },
        'pg Client connect + SELECT 1 + end (median of 9)',
      ),
    );

    figures.push(
      await healthy(
        'diagnose.healthy.mariadb',
        config({ name: 'bench', engine: 'mariadb', host: '127.0.0.1', port: 3306, user: 'root', database: 'test', tls: { mode: 'prefer' } }),
        async () => {
          const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
          await c.query('SELECT 1');
          await c.end();
        },
        'mysql2 createConnection + SELECT 1 + end (median of 9)',
      ),
    );

    const dir = mkdtempSync(join(tmpdir(), 'dbdesk-bench-diag-'));
    try {
      const file = join(dir, 'bench.sqlite');
      const db = new Database(file);
      db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)');
      const insert = db.prepare('INSERT INTO items (name, price) VALUES (?, ?)');
      db.transaction(() => {
        for (let i = 0; i < 10_000; i++) insert.run(`item ${i}`, i / 100);
      })();
      db.close();
      figures.push(
        await healthy(
          'diagnose.healthy.sqlite',
          config({ name: 'bench', engine: 'sqlite', file }),
          async () => {
            const c = new Database(file, { fileMustExist: true });
            c.prepare('SELECT 1').get();
            c.close();
          },
          'better-sqlite3 open + SELECT 1 + close, 10k-row file (median of 9)',
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const silent = await silentServer();
    try {
      const cfg = config({ name: 'bench', engine: 'postgresql', host: '127.0.0.1', port: silent.port, user: 'app', database: 'app', tls: { mode: 'disable' } });
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const run = await runDiagnostics(cfg, { stepTimeoutMs: 1000 });
        if (run.verdict.classId !== 'no-response') throw new Error(`silent port classified as ${run.verdict.classId}`);
        times.push(run.ms);
      }
      const worst = Math.max(...times);
      figures.push({
        id: 'diagnose.silent-port',
        value: worst,
        unit: 'ms',
        baseline: 1000,
        ratio: timeRatio(worst, 1000),
        goal: '≤ 1100 ms',
        note: 'worst of 3 runs to the no-response verdict; baseline = the 1 s step limit itself',
      });
    } finally {
      await silent.close();
    }
    return figures;
  },
};

export default module;
