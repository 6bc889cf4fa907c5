import { describe, expect, it } from 'vitest';
import { changeMarks, describeChange, diffDesigns, exactRules } from '../../../features/designer/shared/diff';
import { addColumn, addTable, dropTable, renameTable, updateColumn, updateForeignKey } from '../../../features/designer/shared/edits';
import { designEdges, neighbourhood, searchDesign } from '../../../features/designer/shared/graph';
import { layeredLayout, layoutDesign, mergePositions, tableSize } from '../../../features/designer/shared/layout';
import { diagramSvg } from '../../../features/designer/shared/svg-export';
import type { DesignSchema } from '../../../features/designer/shared/model';
import { col, shop, table } from './fixtures';

const words = (from: DesignSchema, to: DesignSchema) => diffDesigns(from, to).map((c) => describeChange(c, from, to).text);

describe('diff', () => {
  it('finds nothing between a design and itself', () => {
    expect(diffDesigns(shop(), shop())).toEqual([]);
  });

  it('tells a rename from a drop and an add, by id', () => {
    let d = renameTable(shop(), 't:customers', 'clients');
    d = updateColumn(d, 't:orders', 'c:total', { name: 'amount' });
    expect(words(shop(), d)).toEqual(['rename table customers → clients', 'rename column total → amount']);
  });

  it('lists column aspects that changed, and constraints changed as drop + add', () => {
    let d = updateColumn(shop(), 't:orders', 'c:total', { type: 'numeric(14,2)', nullable: false, default: '1' });
    d = updateForeignKey(d, 't:orders', 'f:orders_customer_id_fkey', { onDelete: 'RESTRICT' });
    expect(diffDesigns(shop(), d).map((c) => c.kind)).toEqual(['alter-column', 'drop-foreign-key', 'add-foreign-key']);
    expect(words(shop(), d)[0]).toBe('column total: type numeric(12,2) → numeric(14,2), NOT NULL, default 0 → 1');
    expect(words(shop(), d)[2]).toBe('add foreign key orders_customer_id_fkey (customer_id) → customers(id) ON DELETE RESTRICT');
  });

  it('uses the engine rules to decide what is the same', () => {
    const d = updateColumn(shop(), 't:orders', 'c:total', { type: 'NUMERIC(12, 2)' });
    expect(diffDesigns(shop(), d, exactRules)).toEqual([]);
    const strict = { normalizeType: (t: string) => t, normalizeExpression: (e: string) => e };
    expect(diffDesigns(shop(), d, strict).map((c) => c.kind)).toEqual(['alter-column']);
  });

  it('marks new and changed tables and columns for the diagram', () => {
    let d = addColumn(shop(), 't:orders', { name: 'note' }).design;
    d = addTable(d, 'invoices').design;
    d = dropTable(d, 't:customers');
    const m = changeMarks(shop(), d);
    expect(m.tables.get('t:orders')).toBe('changed');
    expect([...m.tables.values()]).toContain('new');
    expect(m.droppedTables).toEqual(['customers']);
    expect([...m.columns.values()]).toEqual(['new']);
  });
});

describe('graph', () => {
  it('gives each foreign key its cardinality: many-to-one, optional when the column is nullable', () => {
    const [e] = designEdges(shop());
    expect(e).toMatchObject({ source: 't:orders', target: 't:customers', childCardinality: 'many', parentOptional: true });
    const oneToOne = updateColumn(shop(), 't:orders', 'c:customer_id', { nullable: false });
    oneToOne.tables[1]!.uniques = [{ id: 'u:x', name: 'x', columns: ['c:customer_id'] }];
    expect(designEdges(oneToOne)[0]).toMatchObject({ childCardinality: 'one', parentOptional: false });
  });

  it('collects neighbours to a depth, in both directions', () => {
    const d: DesignSchema = {
      ...shop(),
      tables: [
        ...shop().tables,
        table('items', [col('id', 'bigint'), col('order_id', 'bigint')], { primaryKey: { name: null, columns: ['c:id'] }, foreignKeys: [{ id: 'f:i', name: 'i', columns: ['c:order_id'], refSchema: null, refTable: 't:orders', refColumns: ['c:id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' }] }),
        table('lonely', [col('id', 'bigint')]),
      ],
    };
    expect([...neighbourhood(d, 't:customers', 1)].sort()).toEqual(['t:customers', 't:orders']);
    expect([...neighbourhood(d, 't:customers', 2)].sort()).toEqual(['t:customers', 't:items', 't:orders']);
    expect([...neighbourhood(d, 't:lonely', 5)]).toEqual(['t:lonely']);
  });

  it('finds tables by name first (exact, then prefix), then by column', () => {
    const d = addTable(addTable(shop(), 'order_archive').design, 'customer_orders').design;
    expect(searchDesign(d, 'ORDER').map((h) => h.table)).toEqual(['order_archive', 'orders', 'customer_orders']);
    expect(searchDesign(d, 'total')).toEqual([{ tableId: 't:orders', table: 'orders', column: 'total' }]);
    expect(searchDesign(d, '  ')).toEqual([]);
  });
});

describe('layout', () => {
  const overlaps = (pos: Map<string, { x: number; y: number }>, sizes: Map<string, { width: number; height: number }>) => {
    const ids = [...pos.keys()];
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const a = pos.get(ids[i]!)!;
        const b = pos.get(ids[j]!)!;
        const sa = sizes.get(ids[i]!)!;
        const sb = sizes.get(ids[j]!)!;
        if (a.x < b.x + sb.width && b.x < a.x + sa.width && a.y < b.y + sb.height && b.y < a.y + sa.height) return `${ids[i]} overlaps ${ids[j]}`;
      }
    return null;
  };

  it('places referenced tables left of the tables that reference them, without overlaps, the same every time', () => {
    const nodes = Array.from({ length: 60 }, (_, i) => ({ id: `n${i}`, width: 200, height: 60 + (i % 7) * 22 }));
    const edges = nodes.slice(1).map((n, i) => ({ source: n.id, target: `n${Math.floor(i / 3)}` }));
    const pos = layeredLayout(nodes, edges);
    expect(pos.size).toBe(60);
    expect(overlaps(pos, new Map(nodes.map((n) => [n.id, n])))).toBeNull();
    expect(edges.every((e) => pos.get(e.target)!.x < pos.get(e.source)!.x)).toBe(true);
    expect(layeredLayout(nodes, edges)).toEqual(pos);
    // A cycle of references (and a self reference) is laid out all the same.
    const cyclic = layeredLayout(nodes, [...edges, { source: 'n0', target: 'n59' }, { source: 'n5', target: 'n5' }]);
    expect(cyclic.size).toBe(60);
    expect(overlaps(cyclic, new Map(nodes.map((n) => [n.id, n])))).toBeNull();
  });

  it('sizes tables from their columns and keeps saved positions when tables are added', () => {
    const s = tableSize(shop().tables[1]!);
    expect(s.height).toBe(32 + 3 * 22 + 6);
    const saved = new Map([['t:customers', { x: 500, y: 40 }], ['t:orders', { x: 900, y: 40 }]]);
    const d = addTable(shop(), 'invoices').design;
    const merged = mergePositions(d, saved);
    expect(merged.get('t:customers')).toEqual({ x: 500, y: 40 });
    expect(merged.get(d.tables[2]!.id)!.y).toBeGreaterThan(40 + s.height);
    expect(layoutDesign(shop()).get('t:customers')!.x).toBeLessThan(layoutDesign(shop()).get('t:orders')!.x);
  });
});

describe('SVG export', () => {
  it('draws every table with its columns and a line per foreign key, escaping names', () => {
    const d = renameTable(shop(), 't:customers', 'clients <&> "vip"');
    const { svg, width, height } = diagramSvg(d, layoutDesign(d));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('clients &lt;&amp;&gt; &quot;vip&quot;');
    expect(svg).not.toContain('<&>');
    expect(svg.match(/marker-start="url\(#many\)"/g)).toHaveLength(1);
    expect(svg).toContain('>customer_id<');
    expect(svg).toContain('numeric(12,2)');
    expect(width).toBeGreaterThan(400);
    expect(height).toBeGreaterThan(100);
  });

  it('draws only the focused tables when asked', () => {
    const { svg } = diagramSvg(shop(), layoutDesign(shop()), undefined, { only: new Set(['t:orders']) });
    expect(svg).toContain('>orders<');
    expect(svg).not.toContain('>customers<');
    expect(svg).not.toContain('marker-start');
  });
});
