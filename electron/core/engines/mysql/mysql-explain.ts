import type { ExplainPlan, PlanNode } from '../../../../shared/model/query';
import type { MysqlFlavour } from './mysql-engine';

type Json = Record<string, unknown>;
type Exec = (sql: string) => Promise<unknown>;

const ACCESS: Record<string, string> = {
  ALL: 'Full table scan',
  index: 'Full index scan',
  range: 'Index range scan',
  ref: 'Index lookup',
  eq_ref: 'Unique index lookup',
  ref_or_null: 'Index lookup (or NULL)',
  const: 'Constant row',
  system: 'System row',
  index_merge: 'Index merge',
  fulltext: 'Full-text search',
  hash_ALL: 'Hash join scan',
  hash_range: 'Hash join range',
  hash_index: 'Hash join index',
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const str = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** Costs per table of the chosen join order, from MariaDB's optimizer trace (its JSON plan has none before 11.0). */
export type TraceCosts = Map<string, number>;

const blank = (operation: string): PlanNode => ({ operation, detail: null, cost: null, rows: null, actualRows: null, actualTimeMs: null, loops: null, extra: [], children: [] });

/** Keys holding sub-plans, and how their nodes are called. */
const CONTAINERS: Record<string, string> = {
  filesort: 'Sort',
  temporary_table: 'Temporary table',
  ordering_operation: 'Order',
  grouping_operation: 'Group',
  duplicates_removal: 'Remove duplicates',
  window_functions_computation: 'Window functions',
  materialized: 'Materialize',
  buffer_result: 'Buffer result',
};
const PASS_THROUGH = new Set(['read_sorted_file', 'query_optimization']);

function children(obj: Json, costs: TraceCosts): PlanNode[] {
  const out: PlanNode[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'query_block' && typeof v === 'object') out.push(queryBlock(v as Json, costs));
    else if (k === 'table' && typeof v === 'object') out.push(tableNode(v as Json, costs));
    else if (k === 'nested_loop' && Array.isArray(v)) {
      const kids = v.flatMap((item) => children(item as Json, costs));
      if (kids.length === 1) out.push(kids[0]!);
      else out.push({ ...blank('Nested loop join'), children: kids });
    } else if (k in CONTAINERS && typeof v === 'object' && v !== null) out.push(containerNode(CONTAINERS[k]!, v as Json, costs));
    else if (PASS_THROUGH.has(k) && typeof v === 'object' && v !== null) out.push(...children(v as Json, costs));
    else if ((k === 'subqueries' || k === 'query_specifications') && Array.isArray(v)) {
      for (const item of v) out.push(...children(item as Json, costs));
    } else if (k === 'union_result' && typeof v === 'object') out.push(containerNode('Union', v as Json, costs));
  }
  return out;
}

function facts(obj: Json, skip: Set<string>): PlanNode['extra'] {
  return Object.entries(obj)
    .filter(([k, v]) => !skip.has(k) && (typeof v !== 'object' || Array.isArray(v) && v.every((x) => typeof x !== 'object')) && v !== undefined)
    .map(([k, v]) => ({ label: k.replace(/_/g, ' '), value: str(v) }));
}

const STRUCTURAL = new Set(['query_block', 'table', 'nested_loop', 'subqueries', 'query_specifications', 'union_result', ...Object.keys(CONTAINERS), ...PASS_THROUGH]);

function timing(node: PlanNode, obj: Json): void {
  const loops = num(obj.r_loops);
  node.loops = loops;
  const total = num(obj.r_total_time_ms) ?? (num(obj.r_table_time_ms) !== null ? (num(obj.r_table_time_ms) ?? 0) + (num(obj.r_other_time_ms) ?? 0) : null);
  node.actualTimeMs = total === null ? null : Math.round(total * 1000) / 1000;
}

function queryBlock(qb: Json, costs: TraceCosts): PlanNode {
  const node = blank(`Query block #${str(qb.select_id ?? '?')}`);
  node.cost = num(qb.cost) ?? num((qb.cost_info as Json | undefined)?.query_cost) ?? costs.get(`block:${str(qb.select_id)}`) ?? null;
  timing(node, qb);
  node.extra = facts(qb, new Set([...STRUCTURAL, 'select_id', 'r_loops', 'r_total_time_ms', 'cost', 'cost_info']));
  node.children = children(qb, costs);
  return node;
}

function containerNode(name: string, obj: Json, costs: TraceCosts): PlanNode {
  const node = blank(name);
  timing(node, obj);
  node.actualRows = num(obj.r_output_rows);
  node.extra = facts(obj, new Set([...STRUCTURAL, 'r_loops', 'r_total_time_ms', 'r_output_rows']));
  node.children = children(obj, costs);
  return node;
}

function tableNode(t: Json, costs: TraceCosts): PlanNode {
  const access = str(t.access_type ?? '');
  const node = blank(ACCESS[access] ?? (access || 'Table'));
  const parts = [`on ${str(t.table_name ?? '?')}`];
  if (t.key) parts.push(`using ${str(t.key)}`);
  node.detail = parts.join(' ');
  node.rows = num(t.rows) ?? num(t.rows_examined_per_scan);
  const costInfo = t.cost_info as Json | undefined;
  node.cost = num(t.cost) ?? num(costInfo?.prefix_cost) ?? num(costInfo?.read_cost) ?? costs.get(`table:${str(t.table_name)}`) ?? null;
  timing(node, t);
  const rRows = num(t.r_rows);
  node.actualRows = rRows === null ? null : Math.round(rRows * (node.loops ?? 1));
  node.extra = facts(t, new Set([...STRUCTURAL, 'table_name', 'access_type', 'key', 'rows', 'cost', 'r_rows', 'r_loops', 'r_total_time_ms', 'r_table_time_ms', 'r_other_time_ms', 'rows_examined_per_scan']));
  node.children = children(t, costs);
  return node;
}

/** MariaDB's (and MySQL 5.7's) EXPLAIN/ANALYZE FORMAT=JSON → the shared plan shape. */
export function parseMysqlJsonPlan(json: Json, analyzed: boolean, costs: TraceCosts = new Map()): ExplainPlan {
  const root = children(json, costs)[0] ?? blank('(no plan)');
  const totals: ExplainPlan['totals'] = [];
  const opt = num((json.query_optimization as Json | undefined)?.r_total_time_ms);
  if (opt !== null) totals.push({ label: 'Optimization time', value: `${Math.round(opt * 1000) / 1000} ms` });
  if (analyzed && root.actualTimeMs !== null) totals.push({ label: 'Execution time', value: `${root.actualTimeMs} ms` });
  if (root.cost !== null) totals.push({ label: 'Query cost', value: String(root.cost) });
  const notes = analyzed ? ['Actual rows are totals over all loops of a table (r_rows × r_loops).'] : [];
  return { analyzed, root, totals, raw: JSON.stringify(json, null, 2), notes };
}

const TREE_LINE = /^(\s*)-> (.*?)(?:\s+\(cost=([\d.e+-]+)(?:\.\.([\d.e+-]+))? rows=([\d.e+-]+)\))?(?:\s+\(actual time=([\d.e+-]+)\.\.([\d.e+-]+) rows=([\d.e+-]+) loops=(\d+)\))?(?:\s+\(never executed\))?\s*$/;

/** MySQL 8's EXPLAIN FORMAT=TREE / EXPLAIN ANALYZE text → the shared plan shape. */
export function parseMysqlTreePlan(text: string, analyzed: boolean): ExplainPlan {
  const root = blank('Query');
  const stack: { indent: number; node: PlanNode }[] = [{ indent: -1, node: root }];
  for (const line of text.split('\n')) {
    const m = TREE_LINE.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    const label = m[2]!;
    const on = / on (\S+.*)$/.exec(label);
    const node = blank(on ? label.slice(0, on.index) : label);
    node.detail = on ? `on ${on[1]}` : null;
    node.cost = num(m[4] ?? m[3]);
    node.rows = num(m[5]);
    if (m[7] !== undefined) {
      node.loops = num(m[9]);
      node.actualRows = Math.round((num(m[8]) ?? 0) * (node.loops ?? 1));
      // MySQL reports the time to the last row per loop, as PostgreSQL does: kept per loop.
      node.actualTimeMs = num(m[7]);
    }
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    stack[stack.length - 1]!.node.children.push(node);
    stack.push({ indent, node });
  }
  const top = root.children.length === 1 ? root.children[0]! : root;
  return { analyzed, root: top, totals: [], raw: text, notes: analyzed ? ['Actual rows are totals over all loops of a node; times are per loop, to the last row.'] : [] };
}

function versionAtLeast(version: string, major: number, minor: number, patch: number): boolean {
  const [a = 0, b = 0, c = 0] = version.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  return a !== major ? a > major : b !== minor ? b > minor : c >= patch;
}

/** Walks MariaDB's optimizer trace for the cost of each table in the chosen join order. */
export function traceCosts(trace: unknown): TraceCosts {
  const costs: TraceCosts = new Map();
  const visit = (v: unknown, selectId: string | null): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, selectId));
    if (typeof v !== 'object' || v === null) return;
    const o = v as Json;
    if (o.join_optimization && typeof o.join_optimization === 'object') {
      const jo = o.join_optimization as Json;
      const id = str(jo.select_id ?? '?');
      const steps = (jo.steps as unknown[]) ?? [];
      const order = (steps.find((s) => (s as Json).best_join_order) as Json | undefined)?.best_join_order as string[] | undefined;
      const plans = (steps.find((s) => (s as Json).considered_execution_plans) as Json | undefined)?.considered_execution_plans;
      if (order && plans) {
        const byPrefix = new Map<string, number>();
        let planCost: number | null = null;
        const walk = (p: unknown): void => {
          if (Array.isArray(p)) return p.forEach(walk);
          if (typeof p !== 'object' || p === null) return;
          const po = p as Json;
          const prefix = ((po.plan_prefix as string[]) ?? []).join('\u0001');
          for (const g of (po.get_costs_for_tables as Json[]) ?? []) {
            const bap = g.best_access_path as Json | undefined;
            const cost = num((bap?.chosen_access_method as Json | undefined)?.cost);
            if (bap && cost !== null) byPrefix.set(`${prefix}\u0002${str(bap.table)}`, cost);
          }
          const full = [...((po.plan_prefix as string[]) ?? []), str(po.table)];
          if (po.table !== undefined && full.join('\u0001') === order.join('\u0001')) planCost = num(po.cost_for_plan);
          walk(po.rest_of_plan);
        };
        walk(plans);
        order.forEach((table, i) => {
          const cost = byPrefix.get(`${order.slice(0, i).join('\u0001')}\u0002${table}`);
          if (cost !== undefined && !costs.has(`table:${table}`)) costs.set(`table:${table}`, cost);
        });
        if (planCost !== null) costs.set(`block:${id}`, planCost);
      }
    }
    for (const x of Object.values(o)) visit(x, selectId);
  };
  visit(trace, null);
  return costs;
}

/**
 * EXPLAIN on the session's own connection. ANALYZE executes the statement, so it runs inside a
 * transaction (or a savepoint of the open one) that is rolled back.
 */
export async function explainMysql(
  exec: Exec,
  sql: string,
  analyze: boolean,
  server: { flavour: MysqlFlavour; version: string; inTransaction: boolean },
): Promise<ExplainPlan> {
  const tree = server.flavour === 'mysql' && versionAtLeast(server.version, 8, 0, 18);
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (!analyze) return fn();
    await exec(server.inTransaction ? 'SAVEPOINT dbdesk_explain' : 'START TRANSACTION');
    try {
      return await fn();
    } finally {
      await exec(server.inTransaction ? 'ROLLBACK TO SAVEPOINT dbdesk_explain' : 'ROLLBACK').catch(() => undefined);
    }
  };
  if (tree) {
    const rows = (await wrap(() => exec(analyze ? `EXPLAIN ANALYZE ${sql}` : `EXPLAIN FORMAT=TREE ${sql}`))) as Json[];
    const plan = parseMysqlTreePlan(String(Object.values(rows[0] ?? {})[0] ?? ''), analyze);
    if (analyze) plan.notes.unshift('EXPLAIN ANALYZE ran the statement; DB Desk rolled back its effects.');
    return plan;
  }
  if (analyze && server.flavour === 'mysql') {
    throw new Error(`EXPLAIN ANALYZE needs MySQL 8.0.18 or later (this server is ${server.version}).`);
  }
  const mariadb = server.flavour === 'mariadb';
  if (mariadb) await exec("SET SESSION optimizer_trace = 'enabled=on'");
  try {
    const rows = (await wrap(() => exec(`${analyze ? 'ANALYZE' : 'EXPLAIN'} FORMAT=JSON ${sql}`))) as Json[];
    const json = JSON.parse(String(Object.values(rows[0] ?? {})[0] ?? '{}')) as Json;
    let costs: TraceCosts = new Map();
    if (mariadb) {
      const trace = (await exec('SELECT TRACE FROM information_schema.OPTIMIZER_TRACE')) as { TRACE: string }[];
      try {
        costs = traceCosts(JSON.parse(trace[0]?.TRACE ?? '{}'));
      } catch {
        /* a trace cut by optimizer_trace_max_mem_size: plan without costs */
      }
    }
    const plan = parseMysqlJsonPlan(json, analyze, costs);
    if (mariadb && costs.size > 0) plan.notes.push("Costs come from MariaDB's optimizer trace (chosen access method per table, plan cost per query block).");
    if (analyze) plan.notes.unshift('ANALYZE ran the statement; DB Desk rolled back its effects.');
    return plan;
  } finally {
    if (mariadb) await exec("SET SESSION optimizer_trace = 'enabled=off'").catch(() => undefined);
  }
}
