import { useEffect, useState } from 'react';
import type { TableDetail } from '../../../shared/model/schema';
import type { FilterGroup } from '../../../shared/model/table-query';
import type { Tab } from '../../../renderer/src/app/app-state';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf } from '../../connections/renderer/connection-actions';
import { TableDataView } from './TableDataView';
import { TableStructure } from './TableStructure';
import { plural } from '../../../shared/text/plural';

type Load = { status: 'loading' } | { status: 'ready'; detail: TableDetail } | { status: 'failed'; message: string };

/** A table's tab: its rows (Data, the default) and its structure side by side as two views. */
export function TableTab({ tab, active }: { tab: Tab; active: boolean }) {
  const schema = String(tab.params.schema);
  const name = String(tab.params.name);
  const initialFilter = (tab.params.filter as FilterGroup | undefined) ?? null;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [view, setView] = useState<'data' | 'structure'>('data');
  const [generation, setGeneration] = useState(0);

  const refresh = () => {
    setLoad({ status: 'loading' });
    client
      .call('schema.table', { connectionId: tab.profileId!, table: { schema, name } })
      .then((detail) => {
        setLoad({ status: 'ready', detail });
        setGeneration((g) => g + 1);
      })
      .catch((err: unknown) => setLoad({ status: 'failed', message: errorOf(err).message }));
  };
  useEffect(refresh, [tab.profileId, schema, name]);

  const viewId = (v: string) => `${tab.id}-${v}`;
  return (
    <div className="table-tab">
      <header className="table-tab-header">
        <h2>
          <span className="muted">{schema}.</span>
          {name}
        </h2>
        {load.status === 'ready' && (
          <span className="muted">
            {load.detail.kind.replace('-', ' ')} · {plural(load.detail.columns.length, 'column')}
          </span>
        )}
        <div className="view-switch" role="tablist" aria-label="Table views">
          {(['data', 'structure'] as const).map((v) => (
            <button key={v} role="tab" id={viewId(v)} aria-selected={view === v} aria-controls={`${viewId(v)}-panel`} className={`view-tab${view === v ? ' active' : ''}`} onClick={() => setView(v)}>
              {v === 'data' ? 'Data' : 'Structure'}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <button className="btn btn-small" onClick={refresh} title="Read the table’s structure again">
          Refresh structure
        </button>
      </header>
      {load.status === 'loading' && <p className="muted page-note">Reading the table…</p>}
      {load.status === 'failed' && (
        <p className="page-note error-text" role="alert">
          {load.message}
        </p>
      )}
      {load.status === 'ready' && (
        <>
          <div role="tabpanel" id={`${viewId('data')}-panel`} aria-labelledby={viewId('data')} className="table-view" hidden={view !== 'data'}>
            <TableDataView key={generation} tabId={tab.id} profileId={tab.profileId!} detail={load.detail} initialFilter={initialFilter} active={active && view === 'data'} />
          </div>
          <div role="tabpanel" id={`${viewId('structure')}-panel`} aria-labelledby={viewId('structure')} className="table-view tab-page" hidden={view !== 'structure'}>
            {load.detail.rowIdentity.kind === 'ctid' && <p className="notice notice-warning">{load.detail.rowIdentity.warning}</p>}
            {load.detail.rowIdentity.kind === 'none' && <p className="notice">{load.detail.rowIdentity.reason}</p>}
            <TableStructure detail={load.detail} />
          </div>
        </>
      )}
    </div>
  );
}
