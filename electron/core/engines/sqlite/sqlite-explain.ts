import type Database from 'better-sqlite3';
import type { ExplainPlan, PlanNode } from '../../../../shared/model/query';

interface QpRow {
  id: number | bigint;
  parent: number | bigint;
  detail: string;
}

const node = (detail: string): PlanNode => {
  // "SEARCH t USING INDEX i (a=?)", "SCAN t", "USE TEMP B-TREE FOR ORDER BY": the verb, then the rest.
  const m = /^([A-Z][A-Z -]*?)(?:\s+(\S.*))?$/.exec(detail);
  const verb = m?.[1] && /^(SCAN|SEARCH|USE TEMP B-TREE|CO-ROUTINE|MATERIALIZE|COMPOUND QUERY|UNION ALL|UNION USING TEMP B-TREE|LEFT-MOST SUBQUERY|CORRELATED SCALAR SUBQUERY|SCALAR SUBQUERY|LIST SUBQUERY|MULTI-INDEX OR|INDEX|BLOOM FILTER ON|RECURSIVE STEP|SETUP)$/.test(m[1]) ? m[1] : null;
  return {
    operation: verb ?? detail,
    detail: verb ? (m?.[2] ?? null) : null,
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
