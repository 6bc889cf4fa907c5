import { useEffect, useEffectEvent, useState } from 'react';
import type { FolderListing } from '../../../shared/ipc/commands/migrations';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { BrowseButton } from '../../../renderer/src/ui/PathField';
import { errorOf } from '../../connections/renderer/connection-actions';

/** Picks a folder on the machine that runs DB Desk: typed or browsed here, or (desktop app) with the OS's folder dialog. */
export function FolderDialog(props: { start: string | null; onChoose(path: string): void; onClose(): void; returnFocus?(): HTMLElement | null }) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState(props.start ?? '');

  const go = (path?: string) => {
    setError(null);
    client
      .call('migrations.browse', path ? { path } : {})
      .then((l) => {
        setListing(l);
        setTyped(l.path);
      })
      .catch((err: unknown) => setError(errorOf(err).message));
  };
  const openStart = useEffectEvent(() => go(props.start ?? undefined));
  useEffect(() => openStart(), []);

  return (
    <Dialog
      title="Choose the migrations folder"
      wide
      onClose={props.onClose}
      returnFocus={props.returnFocus}
      footer={
        <>
          <span className="muted">{listing ? `${listing.sqlFiles} .sql file${listing.sqlFiles === 1 ? '' : 's'} here` : ''}</span>
          <span className="spacer" />
          <button className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" disabled={!listing} onClick={() => listing && props.onChoose(listing.path)}>
            Use this folder
          </button>
        </>
      }
    >
      <form
        className="folder-path"
        onSubmit={(e) => {
          e.preventDefault();
          go(typed);
        }}
      >
        <input aria-label="Folder path" data-autofocus value={typed} onChange={(e) => setTyped(e.target.value)} spellCheck={false} />
        <button className="btn" type="submit">
          Go
        </button>
        <BrowseButton
          browse={{ kind: 'folder' }}
          title="Choose the migrations folder"
          value={typed}
          onPick={(path) => {
            setTyped(path);
            go(path);
          }}
        />
      </form>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {listing && (
        <ul className="folder-list" aria-label="Sub-folders">
          {listing.parent && (
            <li>
              <button className="folder-item" onClick={() => go(listing.parent!)}>
                ↰ ..
              </button>
            </li>
          )}
          {listing.dirs.map((d) => (
            <li key={d}>
              <button className="folder-item" onClick={() => go(`${listing.path.replace(/[\\/]$/, '')}/${d}`)}>
                ▸ {d}
              </button>
            </li>
          ))}
          {listing.dirs.length === 0 && <li className="muted folder-empty">No sub-folders.</li>}
        </ul>
      )}
    </Dialog>
  );
}
