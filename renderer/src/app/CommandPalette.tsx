import { useEffect, useMemo, useRef, useState } from 'react';
import type { TableSummary } from '../../../shared/model/schema';
import { openConnection, selectProfile } from '../../../features/connections/renderer/connection-actions';
import { schemaStore } from '../../../features/connections/renderer/schema-cache';
import { openTableTab } from '../../../features/connections/renderer/SchemaTree';
import { useModal } from '../ui/Dialog';
import { appStore } from './app-state';
import { filterCommands, paletteCommands, type PaletteCommand } from './palette-commands';
import { displayKeys } from './shortcuts';
import { useStore } from './store';
import { activateTab } from './tabs';

/** The tables the schema tree has read for a connection. */
function loadedTables(profileId: string | null): TableSummary[] {
  const schema = profileId ? schemaStore.get()[profileId] : undefined;
  if (!schema) return [];
  return Object.values(schema.tables).flatMap((t) => (t.status === 'ready' ? t.value : []));
}

/**
 * Ctrl+K (or Ctrl+Shift+P): every command and open tab, filtered as you type. ↑/↓ choose, Enter
 * runs, Escape closes; the focus goes back where it was before the command acts (a command that
 * opens a tab or a dialog then takes it).
 */
export function CommandPalette({ mode }: { mode: 'all' | 'tabs' }) {
  const ref = useRef<HTMLDialogElement>(null);
  useModal(ref);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const state = useStore(appStore, (s) => s);

  const commands = useMemo(() => {
    const all = paletteCommands(state, {
      showTab: (id) => activateTab(id, { focus: true }),
      connect: (id) => {
        selectProfile(id);
        void openConnection(id);
      },
      tables: state.selectedProfileId && state.connections[state.selectedProfileId]?.status === 'open' ? loadedTables(state.selectedProfileId) : [],
      openTable: (t) => openTableTab(state.selectedProfileId!, t as TableSummary),
    });
    return mode === 'tabs' ? all.filter((c) => c.group === 'Open tab') : all;
  }, [state, mode]);
  const shown = useMemo(() => filterCommands(commands, query), [commands, query]);
  const current = Math.min(index, Math.max(0, shown.length - 1));

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const close = () => appStore.set({ palette: null });
  const run = (c: PaletteCommand | undefined) => {
    if (!c) return;
    close();
    // After the palette is gone and the focus is back: the command may move it (a tab, a dialog).
    requestAnimationFrame(() => c.run());
  };

  const onKey = (e: React.KeyboardEvent) => {
    const page = 8;
    const to = (i: number) => setIndex(Math.max(0, Math.min(shown.length - 1, i)));
    if (e.key === 'ArrowDown') to(current + 1);
    else if (e.key === 'ArrowUp') to(current - 1);
    else if (e.key === 'PageDown') to(current + page);
    else if (e.key === 'PageUp') to(current - page);
    else if (e.key === 'Enter') run(shown[current]);
    else return;
    e.preventDefault();
  };

  const optionId = (i: number) => `palette-option-${i}`;
  return (
    <dialog
      ref={ref}
      className="palette"
      aria-label={mode === 'tabs' ? 'Open tabs' : 'Command palette'}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (e.target === e.currentTarget) close();
      }}
    >
      <input
        className="palette-input"
        data-autofocus
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-autocomplete="list"
        aria-activedescendant={shown.length ? optionId(current) : undefined}
        aria-label={mode === 'tabs' ? 'Go to an open tab' : 'Find a command or an open tab'}
        placeholder={mode === 'tabs' ? 'Go to an open tab…' : 'Type a command, an open tab or a table…'}
        value={query}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={onKey}
      />
      <ul ref={listRef} id="palette-list" role="listbox" aria-label={mode === 'tabs' ? 'Open tabs' : 'Commands'} className="palette-list">
        {shown.map((c, i) => (
          <li key={c.id} id={optionId(i)} data-index={i} role="option" aria-selected={i === current} className={`palette-item${i === current ? ' current' : ''}`} onMouseMove={() => setIndex(i)} onClick={() => run(c)}>
            <span className="palette-label">{c.label}</span>
            <span className="palette-group">{c.group}</span>
            {c.keys && <kbd>{displayKeys(c.keys)}</kbd>}
          </li>
        ))}
        {shown.length === 0 && (
          <li role="option" aria-selected={false} aria-disabled className="palette-empty">
            Nothing matches “{query}”.
          </li>
        )}
      </ul>
    </dialog>
  );
}
