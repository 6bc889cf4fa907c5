import { useEffect, useRef, useState } from 'react';
import { filterOperators, operatorArity, type FilterGroup } from '../../../../shared/model/table-query';
import type { GridColumn } from '../../../../renderer/src/ui/data-grid/core/types';
import { fromFilter, newCondition, newGroup, operatorLabels, toFilter, updateNode, type DraftCondition, type DraftGroup, type DraftProblem } from './filter-model';

interface Props {
  columns: GridColumn[];
  filter: FilterGroup | null;
  onApply(filter: FilterGroup | null): void;
  onClose(): void;
  /** The server refused the filter (a value the column's type cannot take): said once, here. */
  error?: string | null;
}

/** Column, operator, value; AND/OR groups nest. Values are bound by the server, never pasted into SQL. */
export function FilterBuilder({ columns, filter, onApply, onClose, error }: Props) {
  const ref = useRef<HTMLElement>(null);
  // Opened (Ctrl+F or the button): the keyboard goes to its first field.
  useEffect(() => ref.current?.querySelector<HTMLElement>('select, input')?.focus(), []);
  const [root, setRoot] = useState<DraftGroup>(() => {
    const d = fromFilter(filter);
    return d.children.length ? d : newGroup('and', [newCondition(columns[0]?.name ?? '')]);
  });
  const [problems, setProblems] = useState<DraftProblem[]>([]);

  const apply = () => {
    const { filter: f, problems: p } = toFilter(root);
    setProblems(p);
    if (p.length === 0) onApply(f);
  };
  const patch = (id: number, f: (n: DraftCondition | DraftGroup) => DraftCondition | DraftGroup | null) => setRoot((r) => updateNode(r, id, f));

  const renderCondition = (c: DraftCondition) => {
    const arity = operatorArity(c.operator);
    const problem = problems.find((p) => p.id === c.id);
    const set = (p: Partial<DraftCondition>) => patch(c.id, (n) => ({ ...(n as DraftCondition), ...p }));
    return (
      <li key={c.id} className="fb-condition" role="group" aria-label="Condition">
        <select aria-label="Column" value={c.column} onChange={(e) => set({ column: e.target.value })}>
          {columns.map((col) => (
            <option key={col.name} value={col.name}>
              {col.name}
            </option>
          ))}
        </select>
        <select aria-label="Operator" value={c.operator} onChange={(e) => set({ operator: e.target.value as DraftCondition['operator'] })}>
          {filterOperators.map((op) => (
            <option key={op} value={op}>
              {operatorLabels[op]}
            </option>
          ))}
        </select>
        {arity === 'one' && <input aria-label="Value" className="fb-value" value={c.value} placeholder={c.operator.includes('like') ? 'pattern, % and _ as wildcards' : 'value'} onChange={(e) => set({ value: e.target.value })} />}
        {arity === 'range' && (
          <>
            <input aria-label="From" className="fb-value" value={c.value} placeholder="from" onChange={(e) => set({ value: e.target.value })} />
            <span className="muted">and</span>
            <input aria-label="To" className="fb-value" value={c.to} placeholder="to" onChange={(e) => set({ to: e.target.value })} />
          </>
        )}
        {arity === 'list' && <textarea aria-label="Values, one per line" className="fb-value fb-list" rows={Math.min(6, Math.max(2, c.list.split('\n').length))} value={c.list} placeholder="one value per line" onChange={(e) => set({ list: e.target.value })} />}
        <button className="icon-btn" aria-label="Remove condition" title="Remove condition" onClick={() => patch(c.id, () => null)}>
          ×
        </button>
        {problem && (
          <span className="field-error" role="alert">
            {problem.message}
          </span>
        )}
      </li>
    );
  };

  const renderGroup = (g: DraftGroup, depth: number) => (
    <div className={`fb-group${depth ? ' fb-nested' : ''}`} role="group" aria-label={depth ? 'Condition group' : 'Filter'} key={g.id}>
      <div className="fb-group-head">
        <label>
          <span className="visually-hidden">Combine conditions with</span>
          <select aria-label="Combine with" value={g.combinator} onChange={(e) => patch(g.id, (n) => ({ ...(n as DraftGroup), combinator: e.target.value as 'and' | 'or' }))}>
            <option value="and">All of (AND)</option>
            <option value="or">Any of (OR)</option>
          </select>
        </label>
        <button className="btn btn-small" onClick={() => patch(g.id, (n) => ({ ...(n as DraftGroup), children: [...(n as DraftGroup).children, newCondition(columns[0]?.name ?? '')] }))}>
          + Condition
        </button>
        {depth < 6 && (
          <button className="btn btn-small" onClick={() => patch(g.id, (n) => ({ ...(n as DraftGroup), children: [...(n as DraftGroup).children, newGroup(g.combinator === 'and' ? 'or' : 'and', [newCondition(columns[0]?.name ?? '')])] }))}>
            + Group
          </button>
        )}
        {depth > 0 && (
          <button className="icon-btn" aria-label="Remove group" title="Remove group" onClick={() => patch(g.id, () => null)}>
            ×
          </button>
        )}
      </div>
      <ul className="fb-children">
        {g.children.map((c) => (c.kind === 'group' ? <li key={c.id}>{renderGroup(c, depth + 1)}</li> : renderCondition(c)))}
        {g.children.length === 0 && <li className="muted fb-hint">No conditions: every row matches.</li>}
      </ul>
    </div>
  );

  return (
    <section
      ref={ref}
      className="filter-builder"
      aria-label="Filter builder"
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
          e.preventDefault();
          apply();
        } else if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      {renderGroup(root, 0)}
      <div className="fb-actions">
        <button className="btn btn-primary btn-small" onClick={apply}>
          Apply filter
        </button>
        <button
          className="btn btn-small"
          onClick={() => {
            setRoot(newGroup('and', []));
            setProblems([]);
            onApply(null);
          }}
        >
          Clear
        </button>
        {error ? (
          <span className="error-text fb-error" role="alert">
            The filter did not run: {error}
          </span>
        ) : (
          <span className="muted fb-hint">Values are sent as bound parameters; the server converts them to each column’s type.</span>
        )}
        <span className="spacer" />
        <button className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
