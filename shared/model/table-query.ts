import { z } from 'zod';
import { ExplainedError } from './explained-error';
import { TableRef } from './schema';
import { CellValue, CellValueInput, MAX_INPUT_CELL_CHARS, RowBatch } from './values';

/**
 * What the table browser asks a table for: which rows (filter, raw WHERE) in which order (sort).
 * Column names travel as plain strings and are always quoted by the engine; values are always
 * bound. The raw WHERE is the one piece of user SQL: engines run it read-only and bounded.
 */

export const ColumnName = z.string().min(1).max(1024);

export const SortSpec = z.object({
  column: ColumnName,
  direction: z.enum(['asc', 'desc']),
});
export type SortSpec = z.infer<typeof SortSpec>;

/** A value typed into the filter builder. Strings are bound as text: the server converts them to the column's type. */
export const FilterValue = z.union([z.string().max(100_000), z.number(), z.boolean()]);
export type FilterValue = z.infer<typeof FilterValue>;

export const filterOperators = ['=', '<>', '<', '<=', '>', '>=', 'like', 'not-like', 'contains', 'in', 'not-in', 'between', 'is-null', 'is-not-null'] as const;
export const FilterOperator = z.enum(filterOperators);
export type FilterOperator = z.infer<typeof FilterOperator>;

/** Operators that take no value, one value, a list, or a range. */
export function operatorArity(op: FilterOperator): 'none' | 'one' | 'list' | 'range' {
  if (op === 'is-null' || op === 'is-not-null') return 'none';
  if (op === 'in' || op === 'not-in') return 'list';
  if (op === 'between') return 'range';
  return 'one';
}

export const FilterCondition = z
  .object({
    kind: z.literal('condition'),
    column: ColumnName,
    operator: FilterOperator,
    value: FilterValue.optional(),
    /** `in` / `not-in`. */
    values: z.array(FilterValue).max(10_000).optional(),
    /** Upper bound of `between` (inclusive); `value` is the lower one. */
    to: FilterValue.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const arity = operatorArity(c.operator);
    if (arity === 'one' && c.value === undefined) ctx.addIssue({ code: 'custom', message: `"${c.operator}" needs a value`, path: ['value'] });
    if (arity === 'range' && (c.value === undefined || c.to === undefined)) ctx.addIssue({ code: 'custom', message: 'A range needs both bounds', path: ['to'] });
    if (arity === 'list' && (!c.values || c.values.length === 0)) ctx.addIssue({ code: 'custom', message: `"${c.operator}" needs at least one value`, path: ['values'] });
  });
export type FilterCondition = z.infer<typeof FilterCondition>;

export interface FilterGroup {
  kind: 'group';
  combinator: 'and' | 'or';
  children: (FilterGroup | FilterCondition)[];
}
export type FilterNode = FilterGroup | FilterCondition;

const MAX_FILTER_DEPTH = 8;

export const FilterGroup: z.ZodType<FilterGroup> = z.lazy(() =>
  z
    .object({
      kind: z.literal('group'),
      combinator: z.enum(['and', 'or']),
      children: z.array(z.union([FilterCondition, FilterGroup])).max(200),
    })
    .strict(),
);

function depthOf(node: FilterNode): number {
  return node.kind === 'group' ? 1 + Math.max(0, ...node.children.map(depthOf)) : 0;
}

export const TableQuery = z
  .object({
    table: TableRef,
    sort: z.array(SortSpec).max(16).default([]),
    filter: FilterGroup.nullable().default(null),
    /** A raw WHERE condition typed by the user (without the word WHERE). */
    where: z.string().max(20_000).nullable().default(null),
  })
  .strict()
  .refine((q) => !q.filter || depthOf(q.filter) <= MAX_FILTER_DEPTH, { message: `Filter groups nest at most ${MAX_FILTER_DEPTH} deep`, path: ['filter'] });
export type TableQuery = z.infer<typeof TableQuery>;
export type TableQueryInput = z.input<typeof TableQuery>;

/**
 * Where a window starts. Without an anchor, `offset` counts rows from the start (or, with
 * `fromEnd`, from the end: the window then ends `offset` rows before the last row). With an
 * anchor, rows are sought by key: `after` the anchor row (skipping `offset` rows) or `before`
 * it (the window ends `offset` rows before the anchor). Keys come from an earlier window's
 * `keys` and are only valid for the same query.
 */
export const WindowAnchor = z.object({
  key: z.array(CellValueInput).min(1).max(64),
  direction: z.enum(['after', 'before']),
});
export type WindowAnchor = z.infer<typeof WindowAnchor>;

export const WindowSpec = z
  .object({
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    limit: z.number().int().min(1).max(5000),
    fromEnd: z.boolean().default(false),
    anchor: WindowAnchor.optional(),
    /** Also return every row's key (`rowKeys`), so one window can be cut into several cached blocks. */
    rowKeys: z.boolean().default(false),
  })
  .strict();
export type WindowSpec = z.infer<typeof WindowSpec>;

/** Rows of one window plus what editing and keyset paging need about them. */
export const TableWindow = z.object({
  batch: RowBatch,
  /** Identity of each row (primary key values, rowid or ctid), by identity column: `rowIds[k][r]`. Null when rows cannot be identified. */
  rowIds: z.array(z.array(CellValue)).nullable(),
  /** A fingerprint of each row as read; an edit of a row whose fingerprint changed since is a conflict. */
  versions: z.array(z.string()).nullable(),
  /** Keys of the first and last row, for keyset paging to the neighbouring windows. Null when the order is not unique. */
  keys: z.object({ first: z.array(CellValue), last: z.array(CellValue) }).nullable(),
  /** Every row's key by key part (`rowKeys[k][r]`) when asked for and the order is unique; else null. */
  rowKeys: z.array(z.array(CellValue)).nullable().default(null),
  /** Cells whose text was cut for the grid, as [column, row]; the full value comes from `table.cell`. */
  truncated: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** How the window was found (for the status line and the tests). */
  strategy: z.enum(['offset', 'keyset', 'keyset+offset']),
});
export type TableWindow = z.infer<typeof TableWindow>;

/** Text longer than this is cut in grid windows (the viewer loads the whole value). */
export const GRID_TEXT_LIMIT = 2000;

/** A value for an edit: NULL, text the server converts, a number, a boolean, or bytes as hex. */
export const EditValue = z.union([
  z.null(),
  z.string().max(MAX_INPUT_CELL_CHARS),
  z.number(),
  z.boolean(),
  z.object({ hex: z.string().max(2 * MAX_INPUT_CELL_CHARS).regex(/^([0-9a-fA-F]{2})*$/) }).strict(),
]);
export type EditValue = z.infer<typeof EditValue>;

export const ColumnValue = z.object({ column: ColumnName, value: EditValue }).strict();
export type ColumnValue = z.infer<typeof ColumnValue>;

const ChangeId = z.string().min(1).max(100);
const RowId = z.array(CellValueInput).min(1).max(64);

export const RowChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('update'), id: ChangeId, rowId: RowId, version: z.string().max(200), values: z.array(ColumnValue).min(1).max(4096) }).strict(),
  z.object({ kind: z.literal('delete'), id: ChangeId, rowId: RowId, version: z.string().max(200) }).strict(),
  z.object({ kind: z.literal('insert'), id: ChangeId, values: z.array(ColumnValue).max(4096) }).strict(),
]);
export type RowChange = z.infer<typeof RowChange>;

export const EditRequest = z
  .object({
    table: TableRef,
    changes: z.array(RowChange).min(1).max(10_000),
    /**
     * Apply the changes as these separate transactions (change ids, in order) instead of one: what the
     * user agreed to when the batch is too big for one transaction on a Galera cluster. Absent: one transaction.
     */
    transactions: z.array(z.array(ChangeId).min(1).max(10_000)).min(2).max(10_000).optional(),
  })
  .strict();
export type EditRequest = z.infer<typeof EditRequest>;

/**
 * A staged batch that one transaction cannot carry on this server (Galera's wsrep_max_ws_rows /
 * wsrep_max_ws_size): why, and the separate transactions it could be applied as instead.
 */
export const EditBatchLimit = z.object({
  variable: z.enum(['wsrep_max_ws_rows', 'wsrep_max_ws_size']),
  /** The server's limit: rows per transaction, or bytes per write set. */
  value: z.number(),
  /** The batch's rows, or its estimated write set in bytes. */
  batch: z.number(),
  /** The limit is applied to an estimate (the write set's size), not to a count. */
  estimated: z.boolean(),
  /** What happened, in words a person can act on. */
  reason: z.string(),
  /** Change ids in order, one list per transaction, each within the limits; null when the batch cannot be applied here at all. */
  split: z.array(z.array(ChangeId)).nullable(),
});
export type EditBatchLimit = z.infer<typeof EditBatchLimit>;

/**
 * A bound value as the driver sends it, for Review SQL: a cell (text goes as text, numbers as
 * numbers, bytes as bytes, NULL as NULL), or `{ number }` — an exact number the driver sends as a
 * numeral with every digit (a 64-bit key, a decimal), which neither a JS number nor quoted text would show truly.
 */
export const BoundValue = z.union([CellValue, z.object({ number: z.string().regex(/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/) }).strict()]);
export type BoundValue = z.infer<typeof BoundValue>;

/** One statement exactly as it will be sent: SQL with placeholders, and the bound values. */
export const PlannedStatement = z.object({
  /** The change it belongs to; null for BEGIN/COMMIT. */
  changeId: z.string().nullable(),
  purpose: z.enum(['begin', 'check', 'update', 'insert', 'delete', 'commit']),
  sql: z.string(),
  params: z.array(BoundValue),
});
export type PlannedStatement = z.infer<typeof PlannedStatement>;

/** Something Review SQL says about one staged value before anything runs (SQLite: a value past its declared type). */
export const EditWarning = z.object({
  changeId: z.string(),
  column: z.string(),
  message: z.string(),
});
export type EditWarning = z.infer<typeof EditWarning>;

/** What Apply would run, and what to know before it does. */
export const EditPreview = z.object({
  statements: z.array(PlannedStatement),
  warnings: z.array(EditWarning),
});
export type EditPreview = z.infer<typeof EditPreview>;

export const EditProblem = z.object({
  changeId: z.string(),
  kind: z.enum(['conflict', 'error']),
  message: z.string(),
  /** A refused statement in the user's terms (constraint, key, definition, the engine's own text); the grid marks its column. */
  explained: ExplainedError.optional(),
});
export type EditProblem = z.infer<typeof EditProblem>;

export const ApplyResult = z.object({
  /** True when every change was committed; false when the transaction was rolled back (nothing applied). */
  applied: z.boolean(),
  rowsAffected: z.number().int(),
  problems: z.array(EditProblem),
  /**
   * A batch applied as several transactions (as the user agreed): each one's outcome, in order. The
   * first that fails is rolled back and the ones after it are not run; the ones before it stay applied.
   */
  transactions: z
    .array(
      z.object({
        changeIds: z.array(z.string()),
        applied: z.boolean(),
        rowsAffected: z.number().int(),
        ran: z.boolean(),
        /** The connection broke during its COMMIT: whether it was applied is unknown. */
        outcomeUnknown: z.boolean().optional(),
      }),
    )
    .optional(),
  /** Refused before anything ran: the batch is too big for one transaction here. */
  limit: EditBatchLimit.optional(),
});
export type ApplyResult = z.infer<typeof ApplyResult>;

/** A foreign key of another table that points at this one. */
export const ReferencingKey = z.object({
  name: z.string(),
  schema: z.string(),
  table: z.string(),
  columns: z.array(z.string()),
  referencedColumns: z.array(z.string()),
});
export type ReferencingKey = z.infer<typeof ReferencingKey>;

export const exportFormats = ['csv', 'jsonl', 'sql'] as const;
export const ExportFormat = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportOptions = z
  .object({
    /** CSV: write the column names as the first line. */
    header: z.boolean().default(true),
    delimiter: z.enum([',', ';', '\t', '|']).default(','),
    /** SQL: rows per INSERT statement. */
    rowsPerInsert: z.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type ExportOptions = z.infer<typeof ExportOptions>;
