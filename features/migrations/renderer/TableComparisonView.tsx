import type { TableComparison } from '../../../shared/model/migrations';

/**
 * A failed CREATE TABLE next to the table of that name in the database, column by column: the
 * guide's "table already exists" answered with what differs, and whether the migration can be
 * marked applied instead of run.
 */
export function TableComparisonView({ comparison: c }: { comparison: TableComparison }) {
  if (!c.exists) return <p className="notice notice-warning">There is no table {c.table} in the database now: run the migration again.</p>;
  return (
    <div className={`notice ${c.match ? 'notice-success' : 'notice-warning'} table-comparison`} role="status" aria-label={`Comparison of ${c.table}`}>
      <p>
        <strong>{c.match ? `${c.table} in the database has the same columns as the migration creates.` : `${c.table} in the database differs from what the migration creates.`}</strong>
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th>Column</th>
            <th>The migration creates</th>
            <th>The database has</th>
          </tr>
        </thead>
        <tbody>
          {c.columns.map((col) => (
            <tr key={col.name} className={col.same ? '' : 'differs'}>
              <td className="mono">{col.name}</td>
              <td className="mono">{col.migration ?? '—'}</td>
              <td className="mono">{col.database ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{c.note}</p>
    </div>
  );
}
