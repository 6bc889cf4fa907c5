import { useLayoutEffect, useRef, useState } from 'react';
import { describeTarget, type ConnectionProfile } from '../../../shared/model/connection';
import { engineLabels } from '../../../shared/model/engine';
import { appStore, connectionState, type ConnectionState } from '../../../renderer/src/app/app-state';
import { Icon } from '../../../renderer/src/ui/icons';
import { useStore } from '../../../renderer/src/app/store';
import { closeConnection, deleteProfile, duplicateProfile, importEnvFile, openConnection, selectProfile } from './connection-actions';

const statusLabel: Record<ConnectionState['status'], string> = {
  idle: 'Not connected',
  opening: 'Connecting…',
  open: 'Connected',
  failed: 'Connection failed',
};

/** Moves the keyboard focus to the saved connection with this id (the list's roving focus). */
function focusRow(list: HTMLElement | null, id: string): void {
  requestAnimationFrame(() => list?.querySelector<HTMLElement>(`[data-profile-id="${CSS.escape(id)}"]`)?.focus());
}

/**
 * The saved connections: a listbox the arrow keys move through (the selection follows), Enter
 * connects. The selected (or hovered) connection's actions sit beside the listbox, over its row:
 * buttons inside an option would be controls nested in a control.
 */
export function ConnectionList() {
  const profiles = useStore(appStore, (s) => s.profiles);
  const selected = useStore(appStore, (s) => s.selectedProfileId);
  const connections = useStore(appStore, (s) => s.connections);
  const [filter, setFilter] = useState('');
  const [hovered, setHovered] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const shown = profiles.filter((p) => `${p.name} ${describeTarget(p)}`.toLowerCase().includes(filter.toLowerCase()));
  // One option is in the tab order: the selected one, or the first when none is (or it is filtered out).
  const tabbable = shown.find((p) => p.id === selected)?.id ?? shown[0]?.id ?? null;

  const move = (id: string) => {
    selectProfile(id);
    focusRow(listRef.current, id);
  };

  const onListKey = (e: React.KeyboardEvent) => {
    if (shown.length === 0) return;
    const i = Math.max(0, shown.findIndex((p) => p.id === (e.target as HTMLElement).dataset.profileId));
    const at = (k: number) => shown[Math.min(shown.length - 1, Math.max(0, k))]!.id;
    const p = shown[i]!;
    switch (e.key) {
      case 'ArrowDown':
        move(at(i + 1));
        break;
      case 'ArrowUp':
        move(at(i - 1));
        break;
      case 'Home':
        move(at(0));
        break;
      case 'End':
        move(at(shown.length - 1));
        break;
      case 'Enter':
        if (connectionState(appStore.get(), p.id).status !== 'open') void openConnection(p.id);
        break;
      case 'F2':
        appStore.set({ editor: { profileId: p.id } });
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const actionsFor = hovered && shown.some((p) => p.id === hovered) ? hovered : confirmDelete ?? (tabbable === selected ? selected : null);
  const actionsProfile = shown.find((p) => p.id === actionsFor);

  return (
    <section className="connections" aria-label="Connections">
      <div className="sidebar-toolbar">
        <input
          id="connection-filter"
          className="search"
          type="search"
          placeholder="Filter connections"
          aria-label="Filter connections"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            // Down from the filter goes into the list it filters.
            if (e.key === 'ArrowDown' && tabbable) {
              e.preventDefault();
              move(tabbable);
            } else if (e.key === 'Enter' && shown.length === 1) {
              e.preventDefault();
              move(shown[0]!.id);
            }
          }}
        />
        <button className="btn btn-small btn-primary" onClick={() => appStore.set({ editor: { profileId: null } })} title="New connection (Alt+N)">
          + New
        </button>
        <button className="btn btn-small" onClick={() => fileInput.current?.click()} title="Create a connection from a .env file with DB_TYPE, DB_HOST…">
          .env
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label="Import .env file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then((t) => importEnvFile(t, file.name));
            e.target.value = '';
          }}
        />
      </div>
      {profiles.length === 0 ? (
        <div className="empty-state small">
          <p>No connections yet.</p>
          <button className="btn btn-primary" onClick={() => appStore.set({ editor: { profileId: null } })}>
            Add a connection
          </button>
        </div>
      ) : (
        <div className="connection-list" onMouseLeave={() => setHovered(null)}>
          <ul ref={listRef} role="listbox" aria-label="Saved connections" onKeyDown={onListKey}>
            {shown.map((p) => (
              <ConnectionRow
                key={p.id}
                profile={p}
                state={connectionState({ connections } as never, p.id)}
                selected={p.id === selected}
                tabbable={p.id === tabbable}
                hovered={p.id === hovered}
                onHover={() => setHovered(p.id)}
              />
            ))}
          </ul>
          {shown.length === 0 && <p className="muted list-note">No connection matches “{filter}”.</p>}
          {actionsProfile && (
            <RowActions
              key={actionsProfile.id}
              list={listRef}
              profile={actionsProfile}
              state={connectionState({ connections } as never, actionsProfile.id)}
              selected={actionsProfile.id === selected}
              confirmingDelete={confirmDelete === actionsProfile.id}
              onAskDelete={() => setConfirmDelete(actionsProfile.id)}
              onCancelDelete={() => {
                setConfirmDelete(null);
                focusRow(listRef.current, actionsProfile.id);
              }}
            />
          )}
        </div>
      )}
    </section>
  );
}

function ConnectionRow(props: { profile: ConnectionProfile; state: ConnectionState; selected: boolean; tabbable: boolean; hovered: boolean; onHover(): void }) {
  const { profile: p, state } = props;
  return (
    <li
      role="option"
      aria-selected={props.selected}
      tabIndex={props.tabbable ? 0 : -1}
      className={`connection-row color-${p.color}${props.selected ? ' selected' : ''}${props.hovered ? ' hovered' : ''}`}
      data-profile-id={p.id}
      onClick={() => selectProfile(p.id)}
      onDoubleClick={() => void (state.status === 'open' ? undefined : openConnection(p.id))}
      onMouseEnter={props.onHover}
    >
      <span className={`status-dot status-${state.status}`} title={statusLabel[state.status]} aria-label={statusLabel[state.status]} role="img" />
      <div className="connection-text">
        <div className="connection-name">
          {p.name}
          {p.production && <span className="badge badge-prod">PROD</span>}
          {p.readOnly && <span className="badge">READ-ONLY</span>}
          {p.source === 'environment' && <span className="badge">ENV</span>}
        </div>
        <div className="connection-target" title={describeTarget(p)}>
          {engineLabels[p.engine]} · {describeTarget(p)}
        </div>
      </div>
    </li>
  );
}

/** Connect, edit, duplicate and delete for one row, drawn over the right end of that row. */
function RowActions(props: {
  list: React.RefObject<HTMLUListElement | null>;
  profile: ConnectionProfile;
  state: ConnectionState;
  selected: boolean;
  confirmingDelete: boolean;
  onAskDelete(): void;
  onCancelDelete(): void;
}) {
  const { profile: p, state } = props;
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const row = props.list.current?.querySelector<HTMLElement>(`[data-profile-id="${CSS.escape(p.id)}"]`);
    const el = ref.current;
    if (!row || !el) return;
    el.style.top = `${row.offsetTop}px`;
    el.style.height = `${row.offsetHeight}px`;
  });
  const connect = () => void (state.status === 'open' ? undefined : openConnection(p.id));
  return (
    <div ref={ref} className={`row-actions${props.selected ? ' on-selected' : ''}`} role="toolbar" aria-label={`Actions of ${p.name}`}>
      {props.confirmingDelete ? (
        <>
          <button className="btn btn-small btn-danger" onClick={() => void deleteProfile(p.id)} autoFocus>
            Delete
          </button>
          <button className="btn btn-small" onClick={props.onCancelDelete}>
            Keep
          </button>
        </>
      ) : (
        <>
          {state.status === 'open' ? (
            <button className="icon-btn" title="Disconnect" aria-label={`Disconnect ${p.name}`} onClick={() => void closeConnection(p.id)}>
              <Icon name="eject" />
            </button>
          ) : (
            <button className="icon-btn" title="Connect" aria-label={`Connect ${p.name}`} onClick={connect}>
              <Icon name="play" />
            </button>
          )}
          <button className="icon-btn" title="Edit (F2)" aria-label={`Edit ${p.name}`} onClick={() => appStore.set({ editor: { profileId: p.id } })}>
            <Icon name="edit" />
          </button>
          <button className="icon-btn" title="Duplicate" aria-label={`Duplicate ${p.name}`} onClick={() => void duplicateProfile(p.id)}>
            <Icon name="copy" />
          </button>
          {p.source !== 'environment' && (
            <button className="icon-btn" title="Delete" aria-label={`Delete ${p.name}`} onClick={props.onAskDelete}>
              <Icon name="trash" />
            </button>
          )}
        </>
      )}
    </div>
  );
}
