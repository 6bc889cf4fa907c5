import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TableKind, TableSummary } from '../../../shared/model/schema';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf } from '../../connections/renderer/connection-actions';
import { plural } from '../../../shared/text/plural';
import type { BackupTable } from '../shared/backup-model';

type Group = { schema: string; tables: TableSummary[] };
type Load = { status: 'loading' } | { status: 'ready'; groups: Group[] } | { status: 'failed'; message: string };

/** A table's key in the selection: schema and name apart, so no character of either can be mistaken for a separator. */
const keyOf = (schema: string | null, name: string) => JSON.stringify([schema, name]);

/** The filter finds a name; typed with a dot it may name the schema too (`sales.ord`). */
function matches(t: TableSummary, needle: string): boolean {
  return t.name.toLowerCase().includes(needle) || (needle.includes('.') && `${t.schema}.${t.name}`.toLowerCase().includes(needle));
}

const kindLabels: Partial<Record<TableKind, string>> = { view: 'view', 'materialized-view': 'materialized view', 'foreign-table': 'foreign table', 'partitioned-table': 'partitioned' };

/**
 * The tables of the connection's database to back up, from the schema introspection (schema.schemas,
 * schema.tables): grouped by schema, a filter, select all shown / none, a count. Each table is a
 * checkbox (a name with dots, commas or quotes is just a name here); the list is one stop in the Tab
 * order, and the arrow keys, Home and End move between its checkboxes (Space ticks one).
 */
export function TablePicker({ connectionId, from, value, onChange, disabled }: { connectionId: string; from: 'every-schema' | 'default-schema'; value: BackupTable[]; onChange(tables: BackupTable[]): void; disabled?: boolean }) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    let stale = false;
    (async () => {
      const schemas = await client.call('schema.schemas', { connectionId });
      const chosen = from === 'default-schema' ? schemas.filter((s) => s.isDefault).slice(0, 1) : schemas;
      const groups = await Promise.all(chosen.map(async (s) => ({ schema: s.name, tables: await client.call('schema.tables', { connectionId, schema: s.name }) })));
      if (!stale) setLoad({ status: 'ready', groups: groups.filter((g) => g.tables.length > 0) });
    })().catch((err: unknown) => {
      if (!stale) setLoad({ status: 'failed', message: errorOf(err).message });
    });
    return () => {
      stale = true;
    };
  }, [connectionId, from]);

  const groups = useMemo(() => (load.status === 'ready' ? load.groups : []), [load]);
  const total = groups.reduce((n, g) => n + g.tables.length, 0);
  const selected = useMemo(() => new Set(value.map((t) => keyOf(t.schema, t.name))), [value]);
  const needle = filter.trim().toLowerCase();
  const shown = useMemo(
    () =>
      groups
        .map((g) => ({ schema: g.schema, tables: needle ? g.tables.filter((t) => matches(t, needle)) : g.tables }))
        .filter((g) => g.tables.length > 0),
    [groups, needle],
  );
  const shownCount = shown.reduce((n, g) => n + g.tables.length, 0);
  const chosenCount = groups.reduce((n, g) => n + g.tables.filter((t) => selected.has(keyOf(t.schema, t.name))).length, 0);

  /** Ticks (or unticks) these tables, keeping the others as they are, in the schema tree's order. */
  const set = (tables: TableSummary[], on: boolean) => {
    const change = new Set(tables.map((t) => keyOf(t.schema, t.name)));
    const next: BackupTable[] = [];
    for (const g of groups) {
      for (const t of g.tables) {
        const k = keyOf(t.schema, t.name);
        if (change.has(k) ? on : selected.has(k)) next.push({ schema: t.schema, name: t.name });
      }
    }
    onChange(next);
  };

  // The one checkbox of the list in the Tab order: the last one focused while it is still shown, else the first.
  const keys = shown.flatMap((g) => [`schema:${g.schema}`, ...g.tables.map((t) => keyOf(t.schema, t.name))]);
  const tabStop = active !== null && keys.includes(active) ? active : (keys[0] ?? null);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const boxes = [...(list.current?.querySelectorAll<HTMLInputElement>('input[type=checkbox]') ?? [])];
    const at = boxes.indexOf(document.activeElement as HTMLInputElement);
    if (at < 0) return;
    const to = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? boxes.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    boxes[Math.max(0, Math.min(boxes.length - 1, to))]?.focus();
  };

  const countText = `${chosenCount} of ${plural(total, 'table')} chosen${needle ? ` · ${shownCount} shown` : ''}`;

  return (
    <div className="table-picker">
      <div className="table-picker-bar">
        <input type="search" className="table-picker-filter" aria-label="Filter tables" placeholder="Filter tables" value={filter} disabled={disabled || load.status !== 'ready'} spellCheck={false} autoComplete="off" onChange={(e) => setFilter(e.target.value)} />
        <button type="button" className="btn btn-small" disabled={disabled || shownCount === 0} onClick={() => set(shown.flatMap((g) => g.tables), true)}>
          {needle ? 'Select all shown' : 'Select all'}
        </button>
        <button type="button" className="btn btn-small" disabled={disabled || chosenCount === 0} onClick={() => onChange([])}>
          Select none
        </button>
        <span className="table-picker-count" id={`${id}-count`} aria-live="polite">
          {load.status === 'ready' ? countText : ''}
        </span>
      </div>
      {load.status === 'loading' && (
        <p className="muted table-picker-note" role="status">
          Reading the tables…
        </p>
      )}
      {load.status === 'failed' && (
        <p className="error-text table-picker-note" role="alert">
          The tables could not be read: {load.message}
        </p>
      )}
      {load.status === 'ready' && (
        <div ref={list} className="table-picker-list" role="group" aria-label="Tables to back up" aria-describedby={`${id}-count`} onKeyDown={onKeyDown}>
          {total === 0 && <p className="muted table-picker-note">This database has no tables.</p>}
          {total > 0 && shown.length === 0 && <p className="muted table-picker-note">No table matches “{filter.trim()}”.</p>}
          {shown.map((g, gi) => {
            const on = g.tables.filter((t) => selected.has(keyOf(t.schema, t.name))).length;
            const headingId = `${id}-schema-${gi}`;
            const schemaKey = `schema:${g.schema}`;
            return (
              <div key={g.schema} className="table-picker-group" role="group" aria-labelledby={headingId}>
                <label className="table-picker-schema">
                  <input
                    type="checkbox"
                    checked={on === g.tables.length}
                    ref={(el) => {
                      if (el) el.indeterminate = on > 0 && on < g.tables.length;
                    }}
                    disabled={disabled}
                    tabIndex={tabStop === schemaKey ? 0 : -1}
                    onFocus={() => setActive(schemaKey)}
                    onChange={(e) => set(g.tables, e.target.checked)}
                  />
                  <span id={headingId} className="mono">
                    {g.schema}
                  </span>
                  <span className="muted">
                    {needle ? `${g.tables.length} shown` : plural(g.tables.length, 'table')}
                  </span>
                </label>
                <ul className="table-picker-tables">
                  {g.tables.map((t) => {
                    const k = keyOf(t.schema, t.name);
                    return (
                      <li key={k}>
                        <label className="table-picker-item">
                          <input type="checkbox" checked={selected.has(k)} disabled={disabled} tabIndex={tabStop === k ? 0 : -1} onFocus={() => setActive(k)} onChange={(e) => set([t], e.target.checked)} />
                          <span className="mono">{t.name}</span>
                          {kindLabels[t.kind] && <span className="table-picker-kind">{kindLabels[t.kind]}</span>}
                        </label>
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
