import { useEffect, useEffectEvent, useState } from 'react';
import type { RowCount, TableDetail } from '../../../../shared/model/schema';
import type { FilterGroup, ReferencingKey } from '../../../../shared/model/table-query';
import type { CellValue } from '../../../../shared/model/values';
import { equalityFilter } from '../filter/filter-model';
import { client } from '../../../../renderer/src/ipc/client';
import { plural } from '../../../../shared/text/plural';

interface Props {
  connectionId: string;
  detail: TableDetail;
  referencedBy: ReferencingKey[] | null;
  /** The active row's value of a column, or undefined when no read row is active. */
  valueOf(column: string): CellValue | undefined;
  rowKey: string | null;
  onOpen(table: { schema: string; name: string }, filter: FilterGroup, title: string): void;
}

/** Foreign keys both ways for the active row: the rows it points at, and the rows pointing at it (with counts). */
export function ReferencesPanel({ connectionId, detail, referencedBy, valueOf, rowKey, onOpen }: Props) {
  const [counts, setCounts] = useState<Record<string, RowCount | 'error' | 'loading'>>({});

  /** Counts the rows pointing at the active one (valueOf is read as it is when the timer fires). */
  const countReferences = useEffectEvent((keys: ReferencingKey[], isGone: () => boolean) => {
    for (const fk of keys) {
        const filter = equalityFilter(fk.columns, fk.referencedColumns.map((c) => valueOf(c) ?? null));
        const id = `${fk.schema}.${fk.table}.${fk.name}`;
        if (!filter) continue;
        setCounts((c) => ({ ...c, [id]: 'loading' }));
        client
          .call('table.count', { connectionId, query: { table: { schema: fk.schema, name: fk.table }, filter }, timeoutMs: 3000 })
          .then((n) => !isGone() && setCounts((c) => ({ ...c, [id]: n })))
          .catch(() => !isGone() && setCounts((c) => ({ ...c, [id]: 'error' })));
    }
  });
  useEffect(() => {
    setCounts({});
    if (!rowKey || !referencedBy?.length) return;
    let gone = false;
    const timer = setTimeout(() => countReferences(referencedBy, () => gone), 250);
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [rowKey, referencedBy, connectionId]);

  if (!rowKey) return <p className="muted panel-note">Select a row to follow its foreign keys.</p>;
  const outgoing = detail.foreignKeys;
  return (
    <div className="references-panel">
      <h4>This row points at</h4>
      {outgoing.length === 0 && <p className="muted panel-note">No foreign keys.</p>}
      <ul className="ref-list">
        {outgoing.map((fk) => {
          const values = fk.columns.map((c) => valueOf(c) ?? null);
          const filter = equalityFilter(fk.referencedColumns, values);
          return (
            <li key={fk.name}>
              <button className="btn btn-small" disabled={!filter} onClick={() => filter && onOpen({ schema: fk.referencedSchema, name: fk.referencedTable }, filter, `${fk.referencedTable} (${fk.referencedColumns.join(', ')} = ${values.join(', ')})`)}>
                → {fk.referencedTable}
              </button>
              <span className="mono muted">
                {fk.columns.join(', ')} = {values.map((v) => (v === null ? 'NULL' : String(v))).join(', ')}
              </span>
            </li>
          );
        })}
      </ul>
      <h4>Rows pointing at this row</h4>
      {referencedBy === null && <p className="muted panel-note">Looking for foreign keys…</p>}
      {referencedBy?.length === 0 && <p className="muted panel-note">No table references this one.</p>}
      <ul className="ref-list">
        {referencedBy?.map((fk) => {
          const id = `${fk.schema}.${fk.table}.${fk.name}`;
          const values = fk.referencedColumns.map((c) => valueOf(c) ?? null);
          const filter = equalityFilter(fk.columns, values);
          const n = counts[id];
          return (
            <li key={id}>
              <button className="btn btn-small" disabled={!filter} onClick={() => filter && onOpen({ schema: fk.schema, name: fk.table }, filter, `${fk.table} (${fk.columns.join(', ')} = ${values.join(', ')})`)}>
                ← {fk.table}
              </button>
              <span className="mono muted">via {fk.columns.join(', ')}</span>
              <span className="ref-count">{n === undefined ? '' : n === 'loading' ? '…' : n === 'error' ? '?' : `${n.exact ? '' : '~'}${plural(n.value, 'row')}`}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
