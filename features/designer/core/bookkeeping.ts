import type { DesignSchema } from '../shared/model';
import { FOREIGN_TABLE_NAMES, HISTORY_TABLE, LOCK_TABLE } from '../../migrations/core';

const BOOKKEEPING = new Set([HISTORY_TABLE, LOCK_TABLE, ...FOREIGN_TABLE_NAMES].map((n) => n.toLowerCase()));

/**
 * The design without migration tools' own tables (DB Desk's history and lock, dbmate's
 * schema_migrations, Flyway's history…): they are the runner's, not the schema a person designs,
 * and applying a migration creates them — they must not read as drift or as part of the design.
 */
export function withoutBookkeeping(design: DesignSchema): { design: DesignSchema; hidden: string[] } {
  const hidden = design.tables.filter((t) => BOOKKEEPING.has(t.name.toLowerCase())).map((t) => t.name);
  if (hidden.length === 0) return { design, hidden };
  return { design: { ...design, tables: design.tables.filter((t) => !BOOKKEEPING.has(t.name.toLowerCase())) }, hidden };
}
