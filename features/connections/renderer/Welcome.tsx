import { appStore } from '../../../renderer/src/app/app-state';

/** Nothing selected: how to begin — with no connection yet, or with saved ones to pick from. */
export function Welcome({ saved }: { saved: number }) {
  return (
    <div className="empty-state">
      <h2>Welcome to DB Desk</h2>
      {saved === 0 ? (
        <p>Add a connection to PostgreSQL, MySQL, MariaDB or SQLite to begin.</p>
      ) : (
        <p>
          {saved === 1 ? 'One saved connection is' : `${saved} saved connections are`} listed on the left: pick one to see it, double-click or press Enter to connect. Ctrl+K finds any action.
        </p>
      )}
      <div className="panel-actions">
        {saved > 0 && (
          <button className="btn btn-primary" onClick={() => document.querySelector<HTMLElement>('[role=listbox][aria-label="Saved connections"] [tabindex="0"]')?.focus()}>
            Go to the connections
          </button>
        )}
        <button className={`btn${saved === 0 ? ' btn-primary' : ''}`} onClick={() => appStore.set({ editor: { profileId: null } })}>
          New connection
        </button>
      </div>
    </div>
  );
}
