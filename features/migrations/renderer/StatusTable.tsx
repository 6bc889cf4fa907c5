import type { MigrationEntry } from '../../../shared/model/migrations';
import { formatTime } from './migration-client';

/** How a migration is named to the core: its version, or `R:<description>` for a Flyway repeatable. */
export function entryKey(m: MigrationEntry): string {
  return m.repeatable ? `R:${m.name}` : m.version;
}

export function stateLabel(m: MigrationEntry): string {
  if (m.state === 'failed' && m.statementsTotal !== undefined && m.resumable) {
    return `failed at ${m.errorStatement ?? (m.statementsApplied ?? 0) + 1} of ${m.statementsTotal}${m.failedDirection === 'down' ? ' (down)' : ''}`;
  }
  if (m.state === 'failed' && m.resumable === false && m.statementsTotal !== undefined) return 'failed, nothing applied';
  return m.state;
}

/** Every migration of the folder and the histories, with its state; a row can be selected for details. */
export function StatusTable(props: { migrations: MigrationEntry[]; selected: string | null; onSelect(version: string): void }) {
  if (props.migrations.length === 0) {
    return <p className="empty-state small">No migrations in this folder yet. Create the first one with “New migration”.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="data-table status-table" role="grid" aria-label="Migrations" aria-readonly="true">
        <thead>
          <tr>
            <th>State</th>
            <th>Version</th>
            <th>Name</th>
            <th>File</th>
            <th>Applied</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {props.migrations.map((m) => {
            const id = entryKey(m);
            const selected = props.selected === id;
            return (
              <tr
                key={id}
                className={`${selected ? 'selected ' : ''}row-${m.state}`}
                aria-selected={selected}
                tabIndex={0}
                onClick={() => props.onSelect(id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    props.onSelect(id);
                  }
                }}
              >
                <td>
                  <span className={`state state-${m.state}`}>{stateLabel(m)}</span>
                  {m.outOfOrder && <span className="badge badge-warn">out of order</span>}
                </td>
                <td className="mono">{m.version}</td>
                <td>
                  {m.name}
                  {/* Why the state is what it is when histories disagree: the same words as the CLI's status. */}
                  {m.note && <div className="mig-note muted small">{m.note}</div>}
                </td>
                <td className="mono muted">{m.file ?? '—'}</td>
                <td className="nowrap">{formatTime(m.appliedAt)}</td>
                <td>{m.appliedBy}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
