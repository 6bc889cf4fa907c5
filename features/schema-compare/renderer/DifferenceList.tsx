import { useMemo, useRef } from 'react';
import type { CompareItem } from '../shared/compare-model';
import { itemLabel } from '../shared/compare-model';

export type StatusFilter = 'all' | CompareItem['status'];
const GROUPS: { status: CompareItem['status']; title: string; hint: string }[] = [
  { status: 'added', title: 'Added', hint: 'only in the source: the migration creates them' },
  { status: 'changed', title: 'Changed', hint: 'in both, different: the migration alters them' },
  { status: 'removed', title: 'Removed', hint: 'only in the target: the migration drops them' },
];

/** What an item is called in the list and what a filter matches: kind, name, signature, table. */
export function itemKey(item: CompareItem): string {
  return `${item.status}:${itemLabel(item)}`;
}

function matches(item: CompareItem, words: string[]): boolean {
  const text = `${itemLabel(item)} ${item.details.join(' ')}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

/** The differences grouped as added, changed and removed, each with its count, narrowed by the filter. */
export function DifferenceList(props: { items: CompareItem[]; filter: string; status: StatusFilter; selected: string | null; onSelect(key: string): void }) {
  const words = props.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = useMemo(() => props.items.filter((i) => (props.status === 'all' || i.status === props.status) && matches(i, words)), [props.items, props.status, words.join(' ')]); // eslint-disable-line react-hooks/exhaustive-deps
  const listRef = useRef<HTMLDivElement>(null);

  // Up and Down move between the items (and select), as in a list.
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button.cmp-item') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    e.preventDefault();
    next.focus();
    next.click();
  };

  // One item takes Tab (the selected one when shown, else the first); arrows move among them.
  const tabStop = shown.some((i) => itemKey(i) === props.selected) ? props.selected : shown[0] ? itemKey(shown[0]) : null;
  if (shown.length === 0) return <p className="muted cmp-none-shown">No difference matches the filter.</p>;
  return (
    <div className="cmp-list" ref={listRef} onKeyDown={onKeyDown}>
      {GROUPS.map((g) => {
        const items = shown.filter((i) => i.status === g.status);
        if (items.length === 0) return null;
        return (
          <section key={g.status} className={`cmp-group cmp-group-${g.status}`} aria-label={`${g.title} (${items.length})`}>
            <h3 title={g.hint}>
              <span className={`cmp-pill cmp-pill-${g.status}`}>{g.title}</span> <span className="muted">{items.length}</span>
            </h3>
            <ul>
              {items.map((item) => {
                const key = itemKey(item);
                return (
                  <li key={key}>
                    <button className={`cmp-item${props.selected === key ? ' selected' : ''}`} aria-pressed={props.selected === key} onClick={() => props.onSelect(key)} tabIndex={key === tabStop ? 0 : -1}>
                      <span className="cmp-kind">{item.kind.replace('-', ' ')}</span> <span className="mono">{item.signature !== null ? `${item.name}(${item.signature})` : item.name}</span>
                      {item.table !== null && <span className="muted"> on {item.table}</span>}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
