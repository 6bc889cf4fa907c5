import { describe, expect, it } from 'vitest';
import { mysqlErrorOffset } from '../../../electron/core/engines/mysql/mysql-error-position';
import { parseMysqlJsonPlan, parseMysqlTreePlan, traceCosts } from '../../../electron/core/engines/mysql/mysql-explain';
import { mysqlResultColumns } from '../../../electron/core/engines/mysql/mysql-result-types';
import { parsePostgresExplain } from '../../../electron/core/engines/postgres/postgres-explain';
import { RowBatcher } from '../../../electron/core/engines/common/row-batch';
import { sqlitePlanTree } from '../../../electron/core/engines/sqlite/sqlite-explain';
import { decodeRows } from '../../../shared/model/values';
import { StreamedResult } from '../../../features/sql-editor/renderer/result-store';
import { toNamespace } from '../../../features/sql-editor/renderer/completion-namespace';

describe('plans as trees', () => {
  it('PostgreSQL JSON: nodes, costs, estimated and actual rows, per-loop times, facts', () => {
    const plan = parsePostgresExplain(
      [
        {
          Plan: {
            'Node Type': 'Hash Join',
            'Join Type': 'Inner',
            'Total Cost': 120.5,
            'Plan Rows': 40,
            'Actual Rows': 10,
            'Actual Loops': 1,
            'Actual Total Time': 2.5,
            'Hash Cond': '(o.customer_id = c.id)',
            Plans: [
              { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', Alias: 'o', 'Total Cost': 80, 'Plan Rows': 1000, 'Actual Rows': 500, 'Actual Loops': 2, 'Actual Total Time': 1.25, 'Shared Hit Blocks': 0 },
              { 'Node Type': 'Hash', 'Total Cost': 30, 'Plan Rows': 100, Plans: [{ 'Node Type': 'Index Scan', 'Relation Name': 'customers', Alias: 'c', 'Index Name': 'customers_pkey', 'Total Cost': 25, 'Plan Rows': 100 }] },
            ],
          },
          'Planning Time': 0.1,
          'Execution Time': 2.7,
        },
      ],
      true,
    );
    expect(plan.root.operation).toBe('Inner Hash Join');
    expect(plan.root.extra).toEqual([{ label: 'Hash Cond', value: '(o.customer_id = c.id)' }]);
    const scan = plan.root.children[0]!;
    expect(scan).toMatchObject({ operation: 'Seq Scan', detail: 'on orders o', cost: 80, rows: 1000, actualRows: 1000, actualTimeMs: 1.25, loops: 2 });
    expect(scan.extra).toEqual([]); // a zero block count says nothing
    expect(plan.root.children[1]!.children[0]!.detail).toBe('on customers c using customers_pkey');
    expect(plan.totals).toEqual([
      { label: 'Planning Time', value: '0.1 ms' },
      { label: 'Execution Time', value: '2.7 ms' },
    ]);
  });

  it('MariaDB JSON with costs from the optimizer trace, and ANALYZE timings', () => {
    const json = {
      query_block: {
        select_id: 1,
        r_loops: 1,
        r_total_time_ms: 0.5,
        nested_loop: [
          { table: { table_name: 'a', access_type: 'range', key: 'v', rows: 2, r_rows: 2, r_loops: 1, r_table_time_ms: 0.05, r_other_time_ms: 0.01, attached_condition: 'a.v > 1' } },
          { table: { table_name: 'b', access_type: 'eq_ref', key: 'PRIMARY', rows: 1, r_rows: 1, r_loops: 2, r_table_time_ms: 0.003 } },
        ],
      },
    };
    const trace = {
      steps: [
        {
          join_optimization: {
            select_id: 1,
            steps: [
              {
                considered_execution_plans: [
                  { plan_prefix: [], get_costs_for_tables: [{ best_access_path: { table: 'a', chosen_access_method: { cost: 0.54 } } }, { best_access_path: { table: 'b', chosen_access_method: { cost: 0.55 } } }] },
                  { plan_prefix: [], table: 'a', cost_for_plan: 0.94, rest_of_plan: [{ plan_prefix: ['a'], get_costs_for_tables: [{ best_access_path: { table: 'b', chosen_access_method: { cost: 2 } } }] }, { plan_prefix: ['a'], table: 'b', cost_for_plan: 3.34 }] },
                ],
              },
              { best_join_order: ['a', 'b'] },
            ],
          },
        },
      ],
    };
    const plan = parseMysqlJsonPlan(json, true, traceCosts(trace));
    expect(plan.root).toMatchObject({ operation: 'Query block #1', cost: 3.34, actualTimeMs: 0.5 });
    const join = plan.root.children[0]!;
    expect(join.operation).toBe('Nested loop join');
    expect(join.children[0]).toMatchObject({ operation: 'Index range scan', detail: 'on a using v', cost: 0.54, rows: 2, actualRows: 2, actualTimeMs: 0.06 });
    // b is costed with a before it (prefix [a]), not alone.
    expect(join.children[1]).toMatchObject({ operation: 'Unique index lookup', cost: 2, actualRows: 2, loops: 2 });
  });

  it('MySQL 8 EXPLAIN ANALYZE text tree', () => {
    const text = `-> Nested loop inner join  (cost=1.10 rows=2) (actual time=0.05..0.08 rows=2 loops=1)
    -> Filter: (a.v > 1)  (cost=0.45 rows=2) (actual time=0.03..0.04 rows=2 loops=1)
        -> Index range scan on a using v  (cost=0.45 rows=2) (actual time=0.02..0.03 rows=2 loops=1)
    -> Single-row index lookup on b using PRIMARY (id=a.v)  (cost=0.30 rows=1) (actual time=0.01..0.01 rows=1 loops=2)`;
    const plan = parseMysqlTreePlan(text, true);
    expect(plan.root).toMatchObject({ operation: 'Nested loop inner join', cost: 1.1, rows: 2, actualRows: 2, actualTimeMs: 0.08 });
    expect(plan.root.children.map((c) => c.operation)).toEqual(['Filter: (a.v > 1)', 'Single-row index lookup']);
    expect(plan.root.children[0]!.children[0]!.detail).toBe('on a using v');
    expect(plan.root.children[1]).toMatchObject({ detail: 'on b using PRIMARY (id=a.v)', actualRows: 2, loops: 2 });
  });

  it('SQLite EXPLAIN QUERY PLAN rows', () => {
    const root = sqlitePlanTree([
      { id: 2, parent: 0, detail: 'SCAN o' },
      { id: 5, parent: 0, detail: 'SEARCH c USING INTEGER PRIMARY KEY (rowid=?)' },
      { id: 9, parent: 0, detail: 'USE TEMP B-TREE FOR ORDER BY' },
    ]);
    expect(root.children.map((c) => [c.operation, c.detail])).toEqual([
      ['SCAN', 'o'],
      ['SEARCH', 'c USING INTEGER PRIMARY KEY (rowid=?)'],
      ['USE TEMP B-TREE', 'FOR ORDER BY'],
    ]);
  });
});

describe('MySQL error positions from the server’s words', () => {
  const sql = 'SELECT *\n  FROMM t\n WHERE x = 1';
  it('finds the quoted text of a syntax error on its line', () => {
    expect(mysqlErrorOffset({ errno: 1064, sqlMessage: "You have an error in your SQL syntax; check the manual … near 'FROMM t\n WHERE x = 1' at line 2" }, sql)).toBe(sql.indexOf('FROMM'));
    expect(mysqlErrorOffset({ errno: 1064, sqlMessage: "… near '' at line 3" }, sql)).toBe(sql.length);
  });
  it('finds the unknown column or table by name', () => {
    expect(mysqlErrorOffset({ errno: 1054, sqlMessage: "Unknown column 'x' in 'where clause'" }, sql)).toBe(sql.indexOf('x ='));
    expect(mysqlErrorOffset({ errno: 1146, sqlMessage: "Table 'db.t' doesn't exist" }, sql)).toBe(sql.indexOf('t\n'));
    expect(mysqlErrorOffset({ errno: 1045, sqlMessage: 'Access denied' }, sql)).toBeNull();
  });
  it('names result columns from the protocol’s types', () => {
    const cols = mysqlResultColumns([
      { name: 'id', columnType: 8, columnLength: 20, flags: 32, decimals: 0, characterSet: 63 },
      { name: 'name', columnType: 253, columnLength: 400, flags: 0, decimals: 0, characterSet: 45 },
      { name: 'blob', columnType: 252, columnLength: 65535, flags: 0, decimals: 0, characterSet: 63 },
      { name: 'price', columnType: 246, columnLength: 14, flags: 0, decimals: 2, characterSet: 63 },
    ]);
    expect(cols.map((c) => [c.dataType, c.kind])).toEqual([
      ['bigint unsigned', 'bigint'],
      ['varchar', 'text'],
      ['blob', 'bytes'],
      ['decimal', 'decimal'],
    ]);
  });
});

describe('streamed results in the window', () => {
  const columns = [
    { name: 'id', dataType: 'int', kind: 'integer' as const },
    { name: 'big', dataType: 'bigint', kind: 'bigint' as const },
  ];
  it('keep exact values, are stored as bytes, decode on demand, and read back as rows and windows', () => {
    const result = new StreamedResult();
    result.setColumns(columns);
    const builder = new RowBatcher();
    for (let batch = 0; batch < 3; batch++) {
      for (let i = 0; i < 4; i++) builder.push([batch * 4 + i, 9007199254740993n + BigInt(batch * 4 + i)]);
      // Encoded as the reader sends it; the store decodes only what is shown.
      result.append(builder.take());
    }
    expect(result.rowCount()).toBe(12);
    expect(result.countExact()).toBe(false);
    result.finish();
    expect(result.countExact()).toBe(true);
    const row = result.row(5);
    expect(row.status === 'ready' && [row.row.cell(0), row.row.cell(1)]).toEqual([5, '9007199254740998']);
    const w = result.window(3, 6);
    expect(w.rowCount).toBe(6);
    expect(w.values[0]).toEqual([3, 4, 5, 6, 7, 8]);
    expect(result.window(10, 10).values[0]).toEqual([10, 11]);
  });
  it('encode every kind of cell exactly: NULL vs empty text, bigint, bytes, NaN, dates', () => {
    const builder = new RowBatcher();
    builder.push([null, '', 9007199254740993n, new Uint8Array([0, 255]), Number.NaN, new Date('2024-01-02T03:04:05.678Z'), true, undefined]);
    builder.push(['x', 'y', -5n, null, 1.5, null, false, 0]);
    const encoded = builder.take();
    expect(encoded.rowCount).toBe(2);
    expect(builder.rowCount).toBe(0);
    const cols = Array.from({ length: 8 }, (_, i) => ({ name: `c${i}`, dataType: 'any', kind: 'other' as const }));
    const { values, rowCount } = decodeRows(cols, encoded);
    expect(rowCount).toBe(2);
    expect(values).toEqual([
      [null, 'x'],
      ['', 'y'],
      ['9007199254740993', -5],
      [{ bytes: '00ff', size: 2, truncated: false }, null],
      ['NaN', 1.5],
      ['2024-01-02T03:04:05.678Z', null],
      [true, false],
      [null, 0],
    ]);
  });
  it('show a damaged batch as empty rows and say why, without breaking the rows around it', () => {
    const result = new StreamedResult();
    result.setColumns(columns);
    const good = new RowBatcher();
    good.push([1, 2n]);
    result.append(good.take());
    const damaged = new RowBatcher();
    damaged.push([2, 3n]);
    damaged.push([3, 4n]);
    const bytes = damaged.take();
    bytes.values[0] = 0; // the magic number gone
    result.append(bytes);
    expect(result.damage).toBeNull();
    const row = result.row(2);
    expect(row.status === 'ready' && [row.row.cell(0), row.row.cell(1)]).toEqual([null, null]);
    expect(result.damage).toMatch(/^Rows 2–3 cannot be shown: .*malformed; run the statement again\.$/);
    const first = result.row(0);
    expect(first.status === 'ready' && first.row.cell(0)).toBe(1);
  });
  it('refuses a batch that does not match its columns', () => {
    const threeWide = new RowBatcher();
    threeWide.push([1, 2, 3]);
    expect(() => decodeRows(columns, threeWide.take())).toThrow(/does not match/);
    const oneRow = new RowBatcher();
    oneRow.push([1, 2]);
    expect(() => decodeRows(columns, { ...oneRow.take(), rowCount: 2 })).toThrow(/does not match/);
  });
});

describe('completion namespace', () => {
  it('schema → table → columns with their types; the default schema named', () => {
    const { namespace, defaultSchema } = toNamespace({
      schemas: [
        { name: 'public', isDefault: true },
        { name: 'audit', isDefault: false },
      ],
      tables: { public: [{ schema: 'public', name: 'orders', kind: 'table', estimatedRows: 1 }], audit: [{ schema: 'audit', name: 'log', kind: 'view', estimatedRows: null }] },
      columns: { public: [{ table: 'orders', column: 'id', dataType: 'bigint' }] },
      defaultSchema: 'public',
    });
    expect(defaultSchema).toBe('public');
    const pub = (namespace as Record<string, { children: Record<string, { children: { label: string; detail: string }[] }> }>).public!;
    expect(pub.children.orders!.children).toEqual([{ label: 'id', type: 'property', detail: 'bigint' }]);
    expect((namespace as Record<string, { children: Record<string, unknown> }>).audit!.children.log).toBeDefined();
  });
});
