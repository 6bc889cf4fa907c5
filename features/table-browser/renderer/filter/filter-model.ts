import { operatorArity, type FilterCondition, type FilterGroup, type FilterOperator } from '../../../../shared/model/table-query';
import { isBytes, type CellValue } from '../../../../shared/model/values';

/** A condition as the builder edits it: every value is text until the filter is applied. */
export interface DraftCondition {
  id: number;
  kind: 'condition';
  column: string;
  operator: FilterOperator;
  value: string;
  to: string;
  /** `in` / `not in`: one value per line. */
  list: string;
}

export interface DraftGroup {
  id: number;
  kind: 'group';
  combinator: 'and' | 'or';
  children: (DraftCondition | DraftGroup)[];
}

export type DraftNode = DraftCondition | DraftGroup;

export const operatorLabels: Record<FilterOperator, string> = {
  '=': '=',
  '<>': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  like: 'LIKE',
  'not-like': 'NOT LIKE',
  contains: 'contains',
  in: 'IN',
  'not-in': 'NOT IN',
  between: 'between',
  'is-null': 'IS NULL',
  'is-not-null': 'IS NOT NULL',
};

let nextId = 1;

export function newCondition(column: string): DraftCondition {
  return { id: nextId++, kind: 'condition', column, operator: '=', value: '', to: '', list: '' };
}

export function newGroup(combinator: 'and' | 'or' = 'and', children: DraftNode[] = []): DraftGroup {
  return { id: nextId++, kind: 'group', combinator, children };
}

/** Replaces the node with this id anywhere in the tree (null removes it). */
export function updateNode(root: DraftGroup, id: number, f: (n: DraftNode) => DraftNode | null): DraftGroup {
  const walk = (g: DraftGroup): DraftGroup => ({
    ...g,
    children: g.children.flatMap((c) => {
      if (c.id === id) {
        const next = f(c);
        return next ? [next] : [];
      }
      return c.kind === 'group' ? [walk(c)] : [c];
    }),
  });
  return root.id === id ? (f(root) as DraftGroup) : walk(root);
}

export interface DraftProblem {
  id: number;
  message: string;
}

/** The draft as the contract's filter, or the problems that keep it from being one. Empty groups vanish. */
export function toFilter(root: DraftGroup): { filter: FilterGroup | null; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const convert = (g: DraftGroup): FilterGroup | null => {
    const children: (FilterGroup | FilterCondition)[] = [];
    for (const c of g.children) {
      if (c.kind === 'group') {
        const sub = convert(c);
        if (sub) children.push(sub);
        continue;
      }
      const arity = operatorArity(c.operator);
      const base = { kind: 'condition' as const, column: c.column, operator: c.operator };
      if (!c.column) problems.push({ id: c.id, message: 'Choose a column.' });
      else if (arity === 'none') children.push(base);
      else if (arity === 'one') children.push({ ...base, value: c.value });
      else if (arity === 'range') children.push({ ...base, value: c.value, to: c.to });
      else {
        const values = c.list.split(/\r?\n/).filter((v) => v !== '');
        if (values.length === 0) problems.push({ id: c.id, message: 'Give at least one value, one per line.' });
        else children.push({ ...base, values });
      }
    }
    return children.length ? { kind: 'group', combinator: g.combinator, children } : null;
  };
  const filter = convert(root);
  return { filter: problems.length ? null : filter, problems };
}

/** A filter from the contract back into a draft (a tab opened by following a foreign key). */
export function fromFilter(f: FilterGroup | null): DraftGroup {
  if (!f) return newGroup();
  const walk = (g: FilterGroup): DraftGroup =>
    newGroup(
      g.combinator,
      g.children.map((c) =>
        c.kind === 'group'
          ? walk(c)
          : { ...newCondition(c.column), operator: c.operator, value: c.value === undefined ? '' : String(c.value), to: c.to === undefined ? '' : String(c.to), list: (c.values ?? []).map(String).join('\n') },
      ),
    );
  return walk(f);
}

/** How many conditions a filter holds. */
export function conditionCount(f: FilterGroup | null): number {
  if (!f) return 0;
  return f.children.reduce((n, c) => n + (c.kind === 'group' ? conditionCount(c) : 1), 0);
}

/** `a = v1 AND b = v2`, the filter that finds the rows a key points at (or that point at a row). */
export function equalityFilter(columns: string[], values: CellValue[]): FilterGroup | null {
  if (values.some((v) => v === null || isBytes(v))) return null;
  return {
    kind: 'group',
    combinator: 'and',
    children: columns.map((column, i) => ({ kind: 'condition', column, operator: '=', value: values[i] as string | number | boolean })),
  };
}
