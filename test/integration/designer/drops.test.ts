import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropColumn, dropTable } from '../../../features/designer/shared/edits';
import { createMariadbDatabase, createPostgresDatabase, mariadbExec, postgresExec } from '../../support/servers';
import { createTestCore, saveProfileFromUrl, type TestCore, type TestWindow } from '../../support/test-core';
import { differences } from './design-differences';

/**
 * The same schema on each engine: a parent with an indexed column and a column a check uses, a
 * child referencing it, and a table nobody needs any more. Each has rows.
 */
const DDL = `CREATE TABLE parent (id int PRIMARY KEY, name varchar(50) NOT NULL, legacy varchar(20), score int, CONSTRAINT parent_score_check CHECK (score >= 0));
CREATE INDEX parent_legacy_idx ON parent (legacy);
CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL, note varchar(50), CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id));
CREATE TABLE obsolete (id int PRIMARY KEY);
INSERT INTO parent VALUES (1, 'Ada', 'x', 5), (2, 'Grace', NULL, 7);
INSERT INTO child VALUES (10, 1, 'a'), (11, 2, 'b'), (12, 2, NULL);
INSERT INTO obsolete VALUES (1);`;

interface Case {
  engine: 'postgresql' | 'mariadb' | 'sqlite';
  setup(): Promise<{ url: string; schema: string; rows(sql: string): Promise<Record<string, unknown>[]>; cleanup(): Promise<void> }>;
}

const cases: Case[] = [
  {
    engine: 'postgresql',
    async setup() {
      const db = await createPostgresDatabase();
      await postgresExec(db.name, DDL);
      return { url: db.url, schema: 'public', rows: async (sql) => (await postgresExec(db.name, sql)).rows as Record<string, unknown>[], cleanup: () => db.drop() };
    },
  },
  {
    engine: 'mariadb',
    async setup() {
      const db = await createMariadbDatabase();
      await mariadbExec(db.name, DDL);
      return { url: db.url, schema: db.name, rows: async (sql) => (await mariadbExec(db.name, sql)) as Record<string, unknown>[], cleanup: () => db.drop() };
    },
  },
  {
    engine: 'sqlite',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'dbdesk-designer-drops-'));
      const file = join(dir, 'drops.sqlite');
      const db = new Database(file);
      db.exec(DDL);
      db.close();
      const rows = async (sql: string) => {
        const r = new Database(file, { readonly: true });
        try {
          return r.prepare(sql).all() as Record<string, unknown>[];
        } finally {
          r.close();
        }
      };
      return { url: `sqlite://${file}`, schema: 'main', rows, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];

describe.each(cases)('dropping tables and columns in the designer on $engine', (c) => {
  let t: TestCore;
  let w: TestWindow;
  let env: Awaited<ReturnType<Case['setup']>>;
  let id: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dbdesk-designer-drops-migrations-'));
    env = await c.setup();
    t = createTestCore();
    w = t.openWindow();
    id = await saveProfileFromUrl(w.client, env.url);
    await w.client.call('connections.open', { id });
  });
  afterAll(async () => {
    await t?.close();
    await env?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = async () => (await w.client.call('designer.open', { connectionId: id, schema: env.schema })).design;
  const run = async (request: { action: 'up'; to: string } | { action: 'down'; steps: number }) => {
    const settings = { ...(await w.client.call('migrations.settings', { profileId: id })), dir };
    const plan = await w.client.call('migrations.plan', { connectionId: id, dir, settings, request });
    expect(plan.blockers).toEqual([]);
    const result = await w.client.call('migrations.apply', { connectionId: id, dir, settings, request, runId: `drops-${c.engine}-${request.action}`, approved: plan.steps.map((s) => `${s.version}:${s.direction}`) });
    expect(result, result.message).toMatchObject({ outcome: 'success' });
  };

  it('warns with the runner’s lint, applies, reads back exactly the design with the other rows intact, and the down section restores the columns and table', async () => {
    const base = await read();
    const parent = base.tables.find((x) => x.name === 'parent')!;
    const child = base.tables.find((x) => x.name === 'child')!;
    const col = (table: typeof parent, name: string) => table.columns.find((x) => x.name === name)!.id;
    let d = dropColumn(base, parent.id, col(parent, 'legacy'));
    d = dropColumn(d, parent.id, col(parent, 'score'));
    d = dropColumn(d, child.id, col(child, 'note'));
    d = dropTable(d, base.tables.find((x) => x.name === 'obsolete')!.id);
    // Dropping an indexed column takes its index; dropping the column a check uses takes the check.
    expect(d.tables.find((x) => x.id === parent.id)!.indexes).toEqual([]);
    expect(d.tables.find((x) => x.id === parent.id)!.checks).toEqual([]);

    const plan = await w.client.call('designer.plan', { connectionId: id, base, design: d, name: 'drop leftovers' });
    expect(plan.drift).toEqual([]);
    expect(plan.changes.map((x) => x.text)).toEqual(expect.arrayContaining([expect.stringMatching(/drop column legacy/), expect.stringMatching(/drop column note/), expect.stringMatching(/drop table/)]));
    // The runner's lint names every loss, and only real ones: a SQLite rebuild of parent copies its
    // rows (a table copy, not a dropped table), but the two columns it leaves out are dropped.
    const lint = plan.lint.map((l) => `${l.rule}: ${l.message}`);
    for (const lost of [/^drop-table: Drops the table obsolete/, /^drop-column: Drops the column child\.note/, /^drop-column: Drops the column parent\.legacy/, /^drop-column: Drops the column parent\.score/]) {
      expect(lint, lost.source).toEqual(expect.arrayContaining([expect.stringMatching(lost)]));
    }
    expect(lint.filter((l) => /Drops the table parent/.test(l))).toEqual([]);
    if (c.engine === 'sqlite') expect(lint).toEqual(expect.arrayContaining([expect.stringMatching(/^table-copy: Rebuilds parent: every row is copied into _dbdesk_new_parent \(columns id, name\)/)]));
    expect(plan.down.statements.length).toBeGreaterThan(0);

    const saved = await w.client.call('designer.save', { connectionId: id, base, design: d, name: 'drop leftovers', dir });
    // The Migrations view's plan of the saved file says the same (the runner reads the columns itself).
    const settings = { ...(await w.client.call('migrations.settings', { profileId: id })), dir };
    const runPlan = await w.client.call('migrations.plan', { connectionId: id, dir, settings, request: { action: 'up', to: saved.version } });
    const runLint = runPlan.steps.flatMap((s) => s.lint).map((l) => `${l.rule}: ${l.message}`);
    expect(runLint.map((l) => l.replace(/:.*/, '')).sort()).toEqual(lint.map((l) => l.replace(/:.*/, '')).sort());
    expect(runLint.filter((l) => /Drops the column parent\.(legacy|score)/.test(l))).toHaveLength(2);
    await run({ action: 'up', to: saved.version });

    const after = await read();
    expect(differences(d, after)).toEqual([]);
    expect(after.tables.map((x) => x.name).sort()).toEqual(['child', 'parent']);
    expect((await env.rows('SELECT id, name FROM parent ORDER BY id')).map((r) => [Number(r.id), r.name])).toEqual([
      [1, 'Ada'],
      [2, 'Grace'],
    ]);
    expect((await env.rows('SELECT id, parent_id FROM child ORDER BY id')).map((r) => [Number(r.id), Number(r.parent_id)])).toEqual([
      [10, 1],
      [11, 2],
      [12, 2],
    ]);

    // Down brings the schema back (the dropped values are gone: that is what the lint warned about).
    await run({ action: 'down', steps: 1 });
    expect(differences(base, await read())).toEqual([]);
  });
});
