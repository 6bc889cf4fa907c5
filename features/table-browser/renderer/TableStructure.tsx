import type { TableDetail } from '../../../shared/model/schema';

/** Columns, keys and indexes of one table, as read from the live catalog. */
export function TableStructure({ detail }: { detail: TableDetail }) {
  return (
    <div className="structure">
      <section aria-label="Columns">
        <h3>Columns</h3>
        <table className="data-table" aria-label={`Columns of ${detail.name}`}>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Nullable</th>
              <th scope="col">Default</th>
              <th scope="col">Key</th>
            </tr>
          </thead>
          <tbody>
            {detail.columns.map((c, i) => (
              <tr key={c.name}>
                <td className="num muted">{i + 1}</td>
                <td className="mono">{c.name}</td>
                <td className="mono">{c.dataType || <span className="muted">(none)</span>}</td>
                <td>{c.nullable ? 'yes' : <strong>NOT NULL</strong>}</td>
                <td className="mono">{c.defaultValue ?? <span className="null-value">none</span>}</td>
                <td>
                  {c.primaryKeyPosition !== null && <span className="badge badge-key">PK{detail.primaryKey.length > 1 ? ` ${c.primaryKeyPosition}` : ''}</span>}
                  {c.autoIncrement && <span className="badge">auto</span>}
                  {c.generated && <span className="badge">generated</span>}
                  {detail.foreignKeys.some((f) => f.columns.includes(c.name)) && <span className="badge badge-fk">FK</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="Foreign keys">
        <h3>Foreign keys</h3>
        {detail.foreignKeys.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Columns</th>
                <th scope="col">References</th>
                <th scope="col">On delete</th>
                <th scope="col">On update</th>
              </tr>
            </thead>
            <tbody>
              {detail.foreignKeys.map((f) => (
                <tr key={f.name}>
                  <td className="mono">{f.name}</td>
                  <td className="mono">{f.columns.join(', ')}</td>
                  <td className="mono">
                    {f.referencedSchema}.{f.referencedTable} ({f.referencedColumns.join(', ')})
                  </td>
                  <td>{f.onDelete}</td>
                  <td>{f.onUpdate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Indexes">
        <h3>Indexes</h3>
        {detail.indexes.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Columns</th>
                <th scope="col">Unique</th>
                <th scope="col">Method</th>
              </tr>
            </thead>
            <tbody>
              {detail.indexes.map((ix) => (
                <tr key={ix.name} title={ix.definition ?? undefined}>
                  <td className="mono">
                    {ix.name} {ix.primary && <span className="badge badge-key">PK</span>}
                  </td>
                  <td className="mono">{ix.columns.join(', ')}</td>
                  <td>{ix.unique ? 'yes' : 'no'}</td>
                  <td>{ix.method ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
