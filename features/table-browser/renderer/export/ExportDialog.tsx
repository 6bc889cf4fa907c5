import { useEffect, useRef, useState } from 'react';
import type { ExportFormat, TableQueryInput } from '../../../../shared/model/table-query';
import { client } from '../../../../renderer/src/ipc/client';
import { Dialog } from '../../../../renderer/src/ui/Dialog';
import { PathField } from '../../../../renderer/src/ui/PathField';
import { JobError, JobProgress, ProgressFooter } from '../../../../renderer/src/ui/ProgressFooter';
import { formatBytes } from '../../../../renderer/src/ui/data-grid/core/cell-text';
import { errorOf } from '../../../connections/renderer/connection-actions';
import { plural } from '../../../../shared/text/plural';

const extensions: Record<ExportFormat, string> = { csv: 'csv', jsonl: 'jsonl', sql: 'sql' };
const formatLabels: Record<ExportFormat, string> = { csv: 'CSV', jsonl: 'JSON lines', sql: 'SQL INSERT statements' };

interface Props {
  connectionId: string;
  tableName: string;
  /** The current view (filter, WHERE, sort) and the whole table. */
  view: TableQueryInput;
  viewIsFiltered: boolean;
  onClose(): void;
}

type Phase =
  | { kind: 'setup'; error?: string; exists?: boolean }
  | { kind: 'running'; rows: number; bytes: number; totalRows: number | null }
  | { kind: 'done'; rows: number; bytes: number; path: string; ms: number; downloadId: string | null }
  | { kind: 'cancelled'; message: string };

function newExportId(): string {
  return `exp_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Export a view or the whole table. The core streams the rows from a cursor into a file on the
 * machine that runs it (in the browser shell, that may not be this computer — the finished file
 * is then also offered as a download), with progress and cancel.
 */
export function ExportDialog({ connectionId, tableName, view, viewIsFiltered, onClose }: Props) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [scope, setScope] = useState<'view' | 'table'>('view');
  const [dir, setDir] = useState<{ directory: string; separator: string } | null>(null);
  const [path, setPath] = useState('');
  const [pathTouched, setPathTouched] = useState(false);
  const [header, setHeader] = useState(true);
  const [delimiter, setDelimiter] = useState<',' | ';' | '\t' | '|'>(',');
  const [rowsPerInsert, setRowsPerInsert] = useState(100);
  const [phase, setPhase] = useState<Phase>({ kind: 'setup' });
  const exportId = useRef<string | null>(null);
  /** The running table.export call's controller: Cancel aborts the call itself. */
  const running$ = useRef<AbortController | null>(null);

  useEffect(() => {
    client
      .call('table.exportDefaults', {})
      .then(setDir)
      .catch(() => setDir({ directory: '', separator: '/' }));
  }, []);
  useEffect(() => {
    if (dir && !pathTouched) setPath(`${dir.directory}${dir.directory.endsWith(dir.separator) ? '' : dir.separator}${tableName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')}.${extensions[format]}`);
  }, [dir, format, tableName, pathTouched]);
  useEffect(
    () =>
      client.on('table.exportProgress', (p) => {
        if (p.exportId !== exportId.current || p.done) return;
        setPhase({ kind: 'running', rows: p.rows, bytes: p.bytes, totalRows: p.totalRows });
      }),
    [],
  );

  const start = async (overwrite: boolean) => {
    const id = newExportId();
    exportId.current = id;
    setPhase({ kind: 'running', rows: 0, bytes: 0, totalRows: null });
    const query: TableQueryInput = scope === 'view' ? view : { table: view.table };
    const controller = new AbortController();
    running$.current = controller;
    try {
      const done = await client.call('table.export', { connectionId, exportId: id, query, format, path, overwrite, options: { header, delimiter, rowsPerInsert } }, { signal: controller.signal });
      setPhase({ kind: 'done', ...done });
    } catch (err) {
      const e = errorOf(err);
      if (e.code === 'cancelled') setPhase({ kind: 'cancelled', message: e.message });
      else setPhase({ kind: 'setup', error: e.message, exists: e.code === 'conflict' });
    }
  };

  const cancel = () => running$.current?.abort();

  const running = phase.kind === 'running';
  const percent = running && phase.totalRows ? Math.min(100, (phase.rows / phase.totalRows) * 100) : null;

  return (
    <Dialog
      title={`Export ${tableName}`}
      onClose={running ? cancel : onClose}
      footer={
        <ProgressFooter
          running={running}
          done={phase.kind === 'done'}
          cancelLabel="Cancel export"
          onCancel={cancel}
          onClose={onClose}
          action={{ label: 'Export', disabled: !path.trim(), onClick: () => void start(false) }}
        />
      }
    >
      <div className="form export-form">
        <fieldset className="fieldset field-wide" disabled={running}>
          <legend>Format</legend>
          {(['csv', 'jsonl', 'sql'] as const).map((f) => (
            <label key={f} className="checkbox">
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              {formatLabels[f]}
            </label>
          ))}
        </fieldset>
        <fieldset className="fieldset field-wide" disabled={running}>
          <legend>Rows</legend>
          <label className="checkbox">
            <input type="radio" name="export-scope" checked={scope === 'view'} onChange={() => setScope('view')} />
            The current view{viewIsFiltered ? ' (filtered and sorted as shown)' : ' (sorted as shown)'}
          </label>
          <label className="checkbox">
            <input type="radio" name="export-scope" checked={scope === 'table'} onChange={() => setScope('table')} />
            The whole table
          </label>
        </fieldset>
        {format === 'csv' && (
          <>
            <label className="checkbox">
              <input type="checkbox" checked={header} disabled={running} onChange={(e) => setHeader(e.target.checked)} />
              Column names on the first line
            </label>
            <div className="field">
              <label htmlFor="export-delimiter">Delimiter</label>
              <select id="export-delimiter" value={delimiter} disabled={running} onChange={(e) => setDelimiter(e.target.value as typeof delimiter)}>
                <option value=",">Comma</option>
                <option value=";">Semicolon</option>
                <option value={'\t'}>Tab</option>
                <option value="|">Pipe</option>
              </select>
            </div>
          </>
        )}
        {format === 'sql' && (
          <div className="field">
            <label htmlFor="export-rows-per-insert">Rows per INSERT</label>
            <input id="export-rows-per-insert" type="number" min={1} max={1000} value={rowsPerInsert} disabled={running} onChange={(e) => setRowsPerInsert(Math.min(1000, Math.max(1, Number(e.target.value) || 1)))} />
          </div>
        )}
        <PathField
          id="export-path"
          label="File on the machine that runs DB Desk"
          value={path}
          disabled={running}
          browse={{ kind: 'save-file', filters: [{ name: formatLabels[format], extensions: [extensions[format]] }] }}
          onChange={(p) => {
            setPath(p);
            setPathTouched(true);
          }}
          help="The file is written by DB Desk’s core, streamed from the database, and only appears once complete."
        />
      </div>
      {phase.kind === 'setup' && phase.error && <JobError className="export-error" message={phase.error} onReplace={phase.exists ? () => void start(true) : undefined} />}
      {running && (
        <JobProgress label="Export progress" percent={percent}>
          {plural(phase.rows, 'row')}
          {phase.totalRows ? ` of ~${phase.totalRows.toLocaleString('en-US')}` : ''} · {formatBytes(phase.bytes)}
        </JobProgress>
      )}
      {phase.kind === 'done' && (
        <div className="export-done" role="status">
          <p>
            <strong>{plural(phase.rows, 'row')}</strong> ({formatBytes(phase.bytes)}) written in {(phase.ms / 1000).toFixed(1)} s to <code>{phase.path}</code>.
          </p>
          {phase.downloadId && (
            <a className="btn btn-small" href={new URL(`download/${phase.downloadId}`, window.location.href).href} download>
              Download to this computer
            </a>
          )}
        </div>
      )}
      {phase.kind === 'cancelled' && <p className="muted">{phase.message}</p>}
    </Dialog>
  );
}
