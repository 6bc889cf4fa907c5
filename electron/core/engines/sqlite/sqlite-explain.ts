import type Database from 'better-sqlite3';
import type { ExplainPlan, PlanNode } from '../../../../shared/model/query';

interface QpRow {
  id: number | bigint;
  parent: number | bigint;
  detail: string;
}

/** The step kinds SQLite names, longest first so "USE TEMP B-TREE" wins over shorter words. */
const VERBS = ['CORRELATED SCALAR SUBQUERY', 'UNION USING TEMP B-TREE', 'LEFT-MOST SUBQUERY', 'USE TEMP B-TREE', 'SCALAR SUBQUERY', 'COMPOUND QUERY', 'MULTI-INDEX OR', 'BLOOM FILTER ON', 'RECURSIVE STEP', 'LIST SUBQUERY', 'MATERIALIZE', 'CO-ROUTINE', 'UNION ALL', 'SEARCH', 'SETUP', 'INDEX', 'SCAN'];

const node = (detail: string): PlanNode => {
  // "SEARCH t USING INDEX i (a=?)", "SCAN t", "USE TEMP B-TREE FOR ORDER BY": the step, then the rest.
  const verb = VERBS.find((v) => detail === v || detail.startsWith(`${v} `));
  return {
    operation: verb ?? detail,
    detail: verb && detail.length > verb.length ? detail.slice(verb.length + 1) : null,
    cost: null,
    rows: null,
    actualRows: null,
    actualTimeMs: null,
    loops: null,
    extra: [],
    children: [],
  };
};

/** EXPLAIN QUERY PLAN rows (id, parent, detail) → a tree. */
export function sqlitePlanTree(rows: QpRow[]): PlanNode {
  const root: PlanNode = { ...node('QUERY PLAN'), operation: 'Query plan' };
  const byId = new Map<number, PlanNode>([[0, root]]);
  for (const r of rows) {
    const n = node(r.detail);
    byId.set(Number(r.id), n);
    (byId.get(Number(r.parent)) ?? root).children.push(n);
  }
  return root.children.length === 1 ? root.children[0]! : root;
}

/**
 * SQLite's query plan. It has no costs or per-step times; with analyze the statement runs inside a
 * savepoint that is rolled back, and its total time and rows are reported.
 */
export function sqliteExplain(db: Database.Database, sql: string, analyze: boolean): ExplainPlan {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as QpRow[];
  const root = sqlitePlanTree(rows);
  const plan: ExplainPlan = {
    analyzed: analyze,
    root,
    totals: [],
    raw: rows.map((r) => `${Number(r.id)}\t${Number(r.parent)}\t${r.detail}`).join('\n'),
    notes: ['SQLite reports the plan’s steps only: no costs, row estimates or per-step times.'],
  };
  if (!analyze) return plan;
  db.exec('SAVEPOINT dbdesk_explain');
  try {
    const stmt = db.prepare(sql);
    const started = performance.now();
    let count = 0;
    if (stmt.reader) for (const _ of stmt.raw(true).iterate()) count++;
    else count = Number(stmt.run().changes);
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    root.actualTimeMs = ms;
    root.actualRows = count;
    plan.totals.push({ label: 'Execution time', value: `${ms} ms` }, { label: stmt.reader ? 'Rows returned' : 'Rows changed', value: String(count) });
    plan.notes.unshift('Analyze ran the statement; DB Desk rolled back its effects.');
  } finally {
    db.exec('ROLLBACK TO dbdesk_explain; RELEASE dbdesk_explain');
  }
  return plan;
}
