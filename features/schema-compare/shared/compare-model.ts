import { z } from 'zod';
import { DdlSection, DesignLint } from '../../../shared/ipc/commands/designer';
import { EngineKind } from '../../../shared/model/engine';
import { SchemaObjectKind } from '../../designer/shared/model';

/** What kind of thing a compared item is: a table, or one of the other schema object kinds. */
export const CompareKind = z.union([z.literal('table'), SchemaObjectKind]);
export type CompareKind = z.infer<typeof CompareKind>;

/**
 * One object that differs. `added`: only the source has it (the migration creates it on the target);
 * `removed`: only the target has it (the migration drops it); `changed`: both, differently.
 */
export const CompareItem = z.object({
  kind: CompareKind,
  name: z.string(),
  /** Functions and procedures: their identity arguments. */
  signature: z.string().nullable(),
  /** Triggers: their table. */
  table: z.string().nullable(),
  status: z.enum(['added', 'removed', 'changed']),
  /** What differs, in words (a table's columns, keys, indexes…). */
  details: z.array(z.string()),
  /** The object's DDL on each side (null where it does not exist). */
  sourceDdl: z.string().nullable(),
  targetDdl: z.string().nullable(),
});
export type CompareItem = z.infer<typeof CompareItem>;

export const CompareSide = z.object({
  /** What messages call it: the connection's name, or the URL without its password. */
  label: z.string(),
  schema: z.string(),
});
export type CompareSide = z.infer<typeof CompareSide>;

/** The migration that turns the target into the source, and back. */
export const CompareMigration = z.object({
  up: DdlSection,
  down: DdlSection,
  /** As a dbmate migration file. */
  fileName: z.string(),
  fileText: z.string(),
  lint: z.array(DesignLint),
});
export type CompareMigration = z.infer<typeof CompareMigration>;

export const CompareResult = z.object({
  engine: EngineKind,
  source: CompareSide,
  target: CompareSide,
  equal: z.boolean(),
  items: z.array(CompareItem),
  /** Objects of each side that are the same on both. */
  same: z.number().int(),
  /** Tables left out of the comparison: migration tools' own (history, locks). */
  ignored: z.array(z.string()),
  migration: CompareMigration,
});
export type CompareResult = z.infer<typeof CompareResult>;

/** A readable label for an item: `view v`, `function f(integer)`, `trigger t on orders`. */
export function itemLabel(item: Pick<CompareItem, 'kind' | 'name' | 'signature' | 'table'>): string {
  const name = item.signature !== null ? `${item.name}(${item.signature})` : item.name;
  return `${item.kind.replace('-', ' ')} ${name}${item.table !== null ? ` on ${item.table}` : ''}`;
}
