import { useEffect, useEffectEvent, useState } from 'react';
import type { TableRef } from '../../../../shared/model/schema';
import type { EditValue } from '../../../../shared/model/table-query';
import { isBytes, type CellValue } from '../../../../shared/model/values';
import { client } from '../../../../renderer/src/ipc/client';
import { formatBytes } from '../../../../renderer/src/ui/data-grid/core/cell-text';
import type { GridColumn } from '../../../../renderer/src/ui/data-grid/core/types';
import { toast } from '../../../../renderer/src/ui/toasts';
import { errorOf } from '../../../connections/renderer/connection-actions';
import { hexDump } from './hex-dump';
import { prettyJson } from './json-pretty';
import { plural } from '../../../../shared/text/plural';

export interface ActiveCell {
  column: GridColumn;
  value: CellValue;
  truncated: boolean;
  /** The row's identity when it was read from the table (null for a staged new row or a table without keys). */
  rowId: CellValue[] | null;
  staged: boolean;
}

interface Props {
  connectionId: string;
  table: TableRef;
  cell: ActiveCell | null;
  /** Editing is possible here: stage a new value for the active cell. */
  onStage: ((value: EditValue) => void) | null;
}

type Full = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: CellValue } | { status: 'failed'; message: string };

function downloadBytes(hex: string, name: string): void {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The side viewer of the active cell: JSON pretty-printed (numbers untouched), long text whole,
 * bytes as a hex dump with size, download and save. Cut values are fetched whole on demand.
 */
export function ValuePanel({ connectionId, table, cell, onStage }: Props) {
  const [full, setFull] = useState<Full>({ status: 'idle' });
  const [editing, setEditing] = useState<string | null>(null);
  const [savePath, setSavePath] = useState('');

  const key = cell ? JSON.stringify([cell.rowId, cell.column.name, cell.staged]) : '';
  /** Reads the whole value of a truncated cell; the cell is read as it is when its key changes. */
  const loadFull = useEffectEvent((isGone: () => boolean) => {
    setEditing(null);
    if (!cell || !cell.truncated || !cell.rowId || cell.staged) {
      setFull({ status: 'idle' });
      return;
    }
    setFull({ status: 'loading' });
    client
      .call('table.cell', { connectionId, table, rowId: cell.rowId, column: cell.column.name })
      .then((r) => !isGone() && setFull({ status: 'ready', value: r.value }))
      .catch((err: unknown) => !isGone() && setFull({ status: 'failed', message: errorOf(err).message }));
  });
  useEffect(() => {
    let gone = false;
    loadFull(() => gone);
    return () => {
      gone = true;
    };
  }, [key, connectionId, table.schema, table.name]);

  if (!cell) return <p className="muted panel-note">Select a cell to see its whole value.</p>;
  const value = full.status === 'ready' ? full.value : cell.value;
  const whole = !cell.truncated || full.status === 'ready';
  const text = typeof value === 'string' ? value : null;
  const json = text !== null && (cell.column.kind === 'json' || /^\s*[[{]/.test(text)) ? prettyJson(text) : null;
  const editableText = onStage && !isBytes(value) && whole;

  const saveToCore = async () => {
    if (!cell.rowId) return;
    try {
      const r = await client.call('table.saveCell', { connectionId, table, rowId: cell.rowId, column: cell.column.name, path: savePath });
      toast({ level: 'success', title: `Saved ${formatBytes(r.bytes)}`, message: r.path });
    } catch (err) {
      toast({ level: 'error', title: 'Could not save the value', message: errorOf(err).message });
    }
  };

  return (
    <div className="value-panel">
      <header className="panel-head">
        <span className="mono">{cell.column.name}</span>
        <span className="muted mono">{cell.column.dataType}</span>
        {cell.staged && <span className="badge badge-key">staged</span>}
      </header>
      {full.status === 'loading' && <p className="muted panel-note">Loading the whole value…</p>}
      {full.status === 'failed' && (
        <p className="error-text panel-note" role="alert">
          {full.message}
        </p>
      )}
      {editing !== null ? (
        <div className="panel-editor">
          <textarea aria-label={`New value of ${cell.column.name}`} value={editing} onChange={(e) => setEditing(e.target.value)} spellCheck={false} rows={12} />
          <div className="panel-actions">
            <button
              className="btn btn-primary btn-small"
              onClick={() => {
                onStage?.(editing);
                setEditing(null);
              }}
            >
              Stage change
            </button>
            <button className="btn btn-small" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : value === null ? (
        <p className="null-value panel-note">NULL</p>
      ) : isBytes(value) ? (
        <BytesView value={value} whole={whole} />
      ) : json !== null ? (
        <pre className="panel-value json-view" aria-label="JSON value" tabIndex={0}>
          {json}
        </pre>
      ) : (
        <pre className="panel-value" aria-label="Value" tabIndex={0}>
          {String(value) === '' ? <span className="null-value">(empty string)</span> : String(value)}
        </pre>
      )}
      {editing === null && (
        <div className="panel-actions">
          {text !== null && <span className="muted">{plural(text.length, 'character')}</span>}
          <span className="spacer" />
          {editableText && (
            <button className="btn btn-small" onClick={() => setEditing(value === null ? '' : json ?? String(value))}>
              Edit here
            </button>
          )}
          {onStage && value !== null && (
            <button className="btn btn-small" onClick={() => onStage(null)}>
              Set NULL
            </button>
          )}
          {value !== null && !isBytes(value) && whole && (
            <button className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(json ?? String(value)).catch(() => undefined)}>
              Copy
            </button>
          )}
        </div>
      )}
      {isBytes(value) && (
        <div className="panel-actions panel-save">
          {whole && (
            <button className="btn btn-small" onClick={() => downloadBytes(value.bytes, `${table.name}-${cell.column.name}.bin`)}>
              Download
            </button>
          )}
          {cell.rowId && !cell.staged && (
            <>
              <input aria-label="Save to a file on the machine that runs DB Desk" className="mono" placeholder="/path/on/the/core/machine.bin" value={savePath} onChange={(e) => setSavePath(e.target.value)} />
              <button className="btn btn-small" disabled={!savePath.trim()} onClick={() => void saveToCore()}>
                Save
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}

function BytesView({ value, whole }: { value: { bytes: string; size: number; truncated: boolean }; whole: boolean }) {
  const dump = hexDump(value.bytes);
  return (
    <div>
      <p className="panel-note">
        <strong>{formatBytes(value.size)}</strong>
        {!whole && ' — preview of the first bytes'}
        {dump.shown < value.size && whole && ` — first ${formatBytes(dump.shown)} shown`}
      </p>
      <pre className="panel-value hex-view" aria-label="Bytes as hex" tabIndex={0}>
        {dump.lines.join('\n') || '(no bytes)'}
      </pre>
    </div>
  );
}
