import type pg from 'pg';
import type { ExplainPlan, PlanNode } from '../../../../shared/model/query';

type PgPlan = Record<string, unknown> & { Plans?: PgPlan[] };

/** Keys shown as the node's facts, in this order, when present. */
const EXTRA_KEYS = [
  'Filter',
  'Index Cond',
  'Recheck Cond',
  'Hash Cond',
  'Merge Cond',
  'Join Filter',
  'Sort Key',
  'Sort Method',
  'Group Key',
  'Rows Removed by Filter',
  'Rows Removed by Join Filter',
  'Heap Fetches',
  'Workers Planned',
  'Workers Launched',
  'Shared Hit Blocks',
  'Shared Read Blocks',
  'Temp Read Blocks',
  'Temp Written Blocks',
];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : String(v));

export function postgresPlanNode(p: PgPlan): PlanNode {
  const join = typeof p['Join Type'] === 'string' && p['Node Type'] !== 'Hash' ? `${p['Join Type']} ` : '';
  const operation = `${p['Node Type'] === 'Hash Join' || p['Node Type'] === 'Merge Join' || p['Node Type'] === 'Nested Loop' ? join : ''}${String(p['Node Type'] ?? '?')}`;
  const parts: string[] = [];
  if (p['Relation Name']) parts.push(`on ${p['Schema'] ? `${String(p['Schema'])}.` : ''}${String(p['Relation Name'])}${p['Alias'] && p['Alias'] !== p['Relation Name'] ? ` ${String(p['Alias'])}` : ''}`);
  if (p['Index Name']) parts.push(`using ${String(p['Index Name'])}`);
  if (p['CTE Name']) parts.push(`CTE ${String(p['CTE Name'])}`);
  if (p['Function Name']) parts.push(`function ${String(p['Function Name'])}`);
  if (p['Subplan Name']) parts.push(String(p['Subplan Name']));
  const loops = num(p['Actual Loops']);
  const perLoopRows = num(p['Actual Rows']);
  const perLoopTime = num(p['Actual Total Time']);
  return {
    operation,
    detail: parts.length ? parts.join(' ') : null,
    cost: num(p['Total Cost']),
    rows: num(p['Plan Rows']),
    // PostgreSQL reports rows per loop (shown as the total over all loops) and the time per loop
    // (kept as it is: parallel workers' loops run at the same time, so a product would overstate).
    actualRows: perLoopRows === null ? null : perLoopRows * (loops ?? 1),
    actualTimeMs: perLoopTime,
    loops,
    // Zero block counts say nothing: left out.
    extra: EXTRA_KEYS.filter((k) => p[k] !== undefined && p[k] !== null && !(k.endsWith('Blocks') && p[k] === 0)).map((k) => ({ label: k, value: text(p[k]) })),
    children: (p.Plans ?? []).map(postgresPlanNode),
  };
}

/** EXPLAIN (FORMAT JSON) output → the shared plan shape. */
export function parsePostgresExplain(json: unknown, analyzed: boolean): ExplainPlan {
  const doc = (Array.isArray(json) ? json[0] : json) as Record<string, unknown> & { Plan: PgPlan };
  const totals: ExplainPlan['totals'] = [];
  for (const k of ['Planning Time', 'Execution Time']) {
    if (typeof doc[k] === 'number') totals.push({ label: k, value: `${doc[k] as number} ms` });
  }
  const notes = analyzed ? ['Actual rows are totals over all loops of a node; times are per loop, to the last row (PostgreSQL’s own figures).'] : [];
  return { analyzed, root: postgresPlanNode(doc.Plan), totals, raw: JSON.stringify(json, null, 2), notes };
}

/**
 * EXPLAIN on the session's own connection (it sees the session's transaction). ANALYZE runs the
 * statement, so it runs inside a transaction (or a savepoint of the open one) that is rolled back.
 */
export async function explainStatement(client: pg.Client, sql: string, analyze: boolean): Promise<ExplainPlan> {
  const options = analyze ? 'FORMAT JSON, ANALYZE, BUFFERS' : 'FORMAT JSON';
  const statement = `EXPLAIN (${options}) ${sql}`;
  if (!analyze) {
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>({ text: statement, types: { getTypeParser: () => (v: string) => v } });
    return parsePostgresExplain(JSON.parse(String(rows[0]!['QUERY PLAN'])), false);
  }
  const inTransaction = client.getTransactionStatus() === 'T';
  await client.query(inTransaction ? 'SAVEPOINT dbdesk_explain' : 'BEGIN');
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>({ text: statement, types: { getTypeParser: () => (v: string) => v } });
    const plan = parsePostgresExplain(JSON.parse(String(rows[0]!['QUERY PLAN'])), true);
    plan.notes.unshift('EXPLAIN ANALYZE ran the statement; DB Desk rolled back its effects.');
    return plan;
  } finally {
    await client.query(inTransaction ? 'ROLLBACK TO SAVEPOINT dbdesk_explain; RELEASE SAVEPOINT dbdesk_explain' : 'ROLLBACK').catch(() => undefined);
  }
}
