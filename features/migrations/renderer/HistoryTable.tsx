import type { HistoryRow } from '../../../shared/model/migrations';
import { formatMs, formatTime } from './migration-client';

/** dbdesk_migrations, newest first, with every audit column. */
export function HistoryTable({ rows }: { rows: HistoryRow[] }) {
  if (rows.length === 0) return <p className="empty-state small">DB Desk has not run anything on this database yet.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table history-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Version</th>
            <th>Name</th>
            <th>Action</th>
            <th>Status</th>
            <th>Statements</th>
            <th>Started</th>
            <th>Finished</th>
            <th>Duration</th>
            <th>DB user</th>
            <th>OS user</th>
            <th>Client host</th>
            <th>App</th>
            <th>Checksum</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="num">{r.id}</td>
              <td className="mono">{r.version}</td>
              <td>{r.name}</td>
              <td>{r.action}</td>
              <td>
                <span className={`state state-${r.status === 'failed' ? 'failed' : r.status === 'running' ? 'pending' : 'applied'}`}>{r.status}</span>
              </td>
              <td className="num-wide">
                {r.statementsApplied}/{r.statementsTotal}
              </td>
              <td className="nowrap">{formatTime(r.startedAt)}</td>
              <td className="nowrap">{formatTime(r.finishedAt)}</td>
              <td className="nowrap">{formatMs(r.durationMs)}</td>
              <td className="mono">{r.dbUser ?? <span className="null-value">NULL</span>}</td>
              <td>{r.osUser}</td>
              <td>{r.clientHost}</td>
              <td>{r.appVersion}</td>
              <td className="mono" title={r.checksum ?? ''}>
                {r.checksum ? r.checksum.slice(0, 10) : ''}
              </td>
              <td className="history-error">
                {r.error && (
                  <>
                    {r.errorStatement !== null && <strong>Statement {r.errorStatement}: </strong>}
                    {r.error}
                  </>
                )}
                {r.note && <div className="muted">{r.note}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
