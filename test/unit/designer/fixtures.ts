import type { DesignColumn, DesignSchema, DesignTable } from '../../../features/designer/shared/model';
import type { EngineKind } from '../../../shared/model/engine';

export function col(name: string, type: string, extra: Partial<DesignColumn> = {}): DesignColumn {
  return { id: `c:${name}`, name, type, nullable: true, default: null, autoIncrement: false, generated: null, comment: null, collation: null, onUpdate: null, ...extra };
}

export function table(name: string, columns: DesignColumn[], extra: Partial<DesignTable> = {}): DesignTable {
  return { id: `t:${name}`, name, comment: null, columns, primaryKey: null, uniques: [], indexes: [], checks: [], foreignKeys: [], triggers: [], withoutRowid: false, strict: false, ...extra };
}

/** customers ← orders (customer_id), the smallest schema with a foreign key. */
export function shop(engine: EngineKind = 'postgresql', schema = 'public'): DesignSchema {
  const idType = engine === 'sqlite' ? 'INTEGER' : 'bigint';
  const customers = table('customers', [col('id', idType, { nullable: false, autoIncrement: engine !== 'sqlite' }), col('name', engine === 'sqlite' ? 'TEXT' : 'text', { nullable: false })], {
    primaryKey: { name: engine === 'postgresql' ? 'customers_pkey' : null, columns: ['c:id'] },
  });
  const orders = table('orders', [col('id', idType, { nullable: false }), col('customer_id', idType), col('total', engine === 'sqlite' ? 'NUMERIC' : 'numeric(12,2)', { default: '0' })], {
    primaryKey: { name: engine === 'postgresql' ? 'orders_pkey' : null, columns: ['c:id'] },
    foreignKeys: [{ id: 'f:orders_customer_id_fkey', name: 'orders_customer_id_fkey', columns: ['c:customer_id'], refSchema: null, refTable: 't:customers', refColumns: ['c:id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' }],
    indexes: [{ id: 'i:orders_total_idx', name: 'orders_total_idx', columns: ['c:total'], unique: false, method: null, where: null, definition: null }],
  });
  return { engine, schema, tables: [customers, orders], views: [] };
}
