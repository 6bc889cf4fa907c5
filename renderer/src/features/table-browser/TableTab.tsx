import { useEffect, useState } from 'react';
import type { TableDetail } from '../../../../shared/model/schema';
import type { Tab } from '../../app/app-state';
import { client } from '../../ipc/client';
import { errorOf } from '../connections/connection-actions';
import { TableStructure } from './TableStructure';

type Load = { status: 'loading' } | { status: 'ready'; detail: TableDetail } | { status: 'failed'; message: string };

/** A table's tab: its structure (the data grid joins it with the table-browser work). */
export function TableTab({ tab }: { tab: Tab; active: boolean }) {
  const schema = String(tab.params.schema);
  const name = String(tab.params.name);
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  const refresh = () => {
    setLoad({ status: 'loading' });
    client
      .call('schema.table', { connectionId: tab.profileId!, table: { schema, name } })
      .then((detail) => setLoad({ status: 'ready', detail }))
      .catch((err: unknown) => setLoad({ status: 'failed', message: errorOf(err).message }));
  };
  useEffect(refresh, [tab.profileId, schema, name]);

  return (
    <div className="tab-page">
      <header className="page-header">
        <h2>
          <span className="muted">{schema}.</span>
          {name}
        </h2>
        {load.status === 'ready' && (
          <span className="muted">
            {load.detail.kind.replace('-', ' ')} · {load.detail.columns.length} columns
            {load.detail.rowCount && ` · ${load.detail.rowCount.exact ? '' : '~'}${load.detail.rowCount.value.toLocaleString()} rows${load.detail.rowCount.exact ? '' : ' (estimate)'}`}
          </span>
        )}
        <span className="spacer" />
        <button className="btn btn-small" onClick={refresh}>
          Refresh
        </button>
      </header>
      {load.status === 'loading' && <p className="muted page-note">Reading the table’s structure…</p>}
      {load.status === 'failed' && (
        <p className="page-note error-text" role="alert">
          {load.message}
        </p>
      )}
      {load.status === 'ready' && (
        <>
          {load.detail.rowIdentity.kind === 'ctid' && <p className="notice notice-warning">{load.detail.rowIdentity.warning}</p>}
          {load.detail.rowIdentity.kind === 'none' && <p className="notice">{load.detail.rowIdentity.reason}</p>}
          <TableStructure detail={load.detail} />
        </>
      )}
    </div>
  );
}
