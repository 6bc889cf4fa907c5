import mysql from 'mysql2/promise';
import pg from 'pg';
import { postgresLexRules } from '../../../shared/sql/lex-rules/postgres';
import { openEngine } from '../../../electron/core/engines';
import { MigrationRunner } from '../../../features/migrations/core/runner';
import { splitStatements } from '../../../shared/sql/split-statements';
import { ConnectionFields } from '../../../shared/model/connection';
import { parseConnectionUrl } from '../../../shared/model/connection-url';
import { defaultMigrationSettings } from '../../../shared/model/migrations';
import { dbmateFile, migrationFolder } from '../../support/migrations';
import { createMariadbDatabase, createPostgresDatabase, MARIADB, POSTGRES, type TestDatabase } from '../../support/servers';
import { medianMs, round, throughputRatio, timeRatio, type Figure, type FigureModule } from '../figure';

const STATEMENTS = 400;

/** A PostgreSQL migration with the hard parts: comments, strings with ;, dollar-quoted bodies. */
function bigMigration(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(`-- step ${i}; still a comment\nINSERT INTO t (id, note) VALUES (${i}, 'a;b''c ${i}');`);
    if (i % 10 === 0) parts.push(`CREATE OR REPLACE FUNCTION f${i}() RETURNS int AS $body$ BEGIN RETURN ${i}; END; $body$ LANGUAGE plpgsql;`);
  }
  return parts.join('\n');
}

async function runnerFor(url: string) {
  const parsed = parseConnectionUrl(url);
  const fields = ConnectionFields.parse(parsed.fields);
  const engine = await openEngine({ ...fields, poolSize: 3, ...(parsed.password ? { password: parsed.password } : {}) });
  return { engine, runner: new MigrationRunner({ adapter: engine.migrations(), settings: defaultMigrationSettings, production: false, readOnly: false }) };
}

/** Applies STATEMENTS inserts as one migration through the runner, and the same statements with the raw driver. */
async function applyFigure(id: string, create: () => Promise<TestDatabase>, raw: (db: TestDatabase, statements: string[]) => Promise<void>, note: string): Promise<Figure> {
  const statements = Array.from({ length: STATEMENTS }, (_, i) => `INSERT INTO t VALUES (${i}, 'row ${i}')`);
  const ours: number[] = [];
  const base: number[] = [];
  for (let round_ = 0; round_ < 3; round_++) {
    const db = await create();
    const folder = migrationFolder({ '20240101000000_rows.sql': dbmateFile(`${statements.join(';\n')};`) });
    try {
      const { engine, runner } = await runnerFor(db.url);
      try {
        await raw(db, ['CREATE TABLE t (id int, note varchar(50))']);
        const t0 = performance.now();
        const r = await runner.apply(folder.dir, { action: 'up' }, { runId: 'bench' });
        ours.push(performance.now() - t0);
        if (r.outcome !== 'success') throw new Error(r.message);
        await raw(db, ['DELETE FROM t']);
        const t1 = performance.now();
        await raw(db, statements);
        base.push(performance.now() - t1);
      } finally {
        await engine.close();
      }
    } finally {
      await db.drop();
      folder.remove();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const o = median(ours);
  const b = median(base);
  return { id, value: round(o), unit: 'ms', baseline: round(b), ratio: timeRatio(o, b), note };
}

export default {
  ids: ['migrations.split-throughput', 'migrations.apply-postgres', 'migrations.apply-mariadb'],
  async run() {
    const text = bigMigration(5000);
    const mb = new TextEncoder().encode(text).length / 1_000_000;
    const ours = await medianMs(7, async () => splitStatements(text, postgresLexRules));
    const naive = await medianMs(7, async () => text.split(';'));
    const figures: Figure[] = [
      {
        id: 'migrations.split-throughput',
        value: round(mb / (ours / 1000), 1),
        unit: 'MB/s',
        baseline: round(mb / (naive / 1000), 1),
        ratio: throughputRatio(mb / ours, mb / naive),
        note: `splitting ${round(mb, 2)} MB of PostgreSQL (comments, quoted ;, dollar quotes); baseline: text.split(';') as golang-migrate does, which breaks such files`,
      },
    ];
    figures.push(
      await applyFigure(
        'migrations.apply-postgres',
        createPostgresDatabase,
        async (db, statements) => {
          const c = new pg.Client({ ...POSTGRES, database: db.name });
          await c.connect();
          try {
            await c.query('BEGIN');
            for (const s of statements) await c.query(s);
            await c.query('COMMIT');
          } finally {
            await c.end();
          }
        },
        `${STATEMENTS} INSERTs as one migration (lock, history, one transaction, progress per statement); baseline: pg client, same statements in one transaction`,
      ),
    );
    figures.push(
      await applyFigure(
        'migrations.apply-mariadb',
        createMariadbDatabase,
        async (db, statements) => {
          const c = await mysql.createConnection({ ...MARIADB, database: db.name });
          try {
            for (const s of statements) await c.query(s);
          } finally {
            await c.end();
          }
        },
        `${STATEMENTS} INSERTs as one migration (GET_LOCK, progress recorded in dbdesk_migrations after every statement); baseline: mysql2, same statements autocommitted`,
      ),
    );
    return figures;
  },
} satisfies FigureModule;
