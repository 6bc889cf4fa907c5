import { useRef, useState } from 'react';
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

export function ConnectionList() {
  const profiles = useStore(appStore, (s) => s.profiles);
  const selected = useStore(appStore, (s) => s.selectedProfileId);
  const connections = useStore(appStore, (s) => s.connections);
  const [filter, setFilter] = useState('');
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const shown = profiles.filter((p) => `${p.name} ${describeTarget(p)}`.toLowerCase().includes(filter.toLowerCase()));

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
        <ul className="connection-list" role="listbox" aria-label="Saved connections">
          {shown.map((p) => (
            <ConnectionRow
              key={p.id}
              profile={p}
              state={connectionState({ connections } as never, p.id)}
              selected={p.id === selected}
              confirmingDelete={confirmDelete === p.id}
              onAskDelete={() => setConfirmDelete(p.id)}
              onCancelDelete={() => setConfirmDelete(null)}
            />
          ))}
          {shown.length === 0 && <li className="muted list-note">No connection matches “{filter}”.</li>}
        </ul>
      )}
    </section>
  );
}

function ConnectionRow(props: {
  profile: ConnectionProfile;
  state: ConnectionState;
  selected: boolean;
  confirmingDelete: boolean;
  onAskDelete(): void;
  onCancelDelete(): void;
}) {
  const { profile: p, state } = props;
  const connect = () => void (state.status === 'open' ? undefined : openConnection(p.id));
  return (
    <li
      role="option"
      aria-selected={props.selected}
      tabIndex={props.selected ? 0 : -1}
      className={`connection-row color-${p.color}${props.selected ? ' selected' : ''}`}
      data-profile-id={p.id}
      onClick={() => selectProfile(p.id)}
      onDoubleClick={connect}
      onKeyDown={(e) => {
        if (e.key === 'Enter') connect();
      }}
    >
      <span className={`status-dot status-${state.status}`} title={statusLabel[state.status]} aria-label={statusLabel[state.status]} />
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
      {props.confirmingDelete ? (
        <div className="row-actions visible" onClick={(e) => e.stopPropagation()}>
          <button className="btn btn-small btn-danger" onClick={() => void deleteProfile(p.id)}>
            Delete
          </button>
          <button className="btn btn-small" onClick={props.onCancelDelete}>
            Keep
          </button>
        </div>
      ) : (
        <div className="row-actions" onClick={(e) => e.stopPropagation()}>
          {state.status === 'open' ? (
            <button className="icon-btn" title="Disconnect" aria-label={`Disconnect ${p.name}`} onClick={() => void closeConnection(p.id)}>
              <Icon name="eject" />
            </button>
          ) : (
            <button className="icon-btn" title="Connect" aria-label={`Connect ${p.name}`} onClick={connect}>
              <Icon name="play" />
            </button>
          )}
          <button className="icon-btn" title="Edit" aria-label={`Edit ${p.name}`} onClick={() => appStore.set({ editor: { profileId: p.id } })}>
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
        </div>
      )}
    </li>
  );
}
