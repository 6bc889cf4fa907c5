import { useEffect, useRef, useState } from 'react';
import type { CommandOutput } from '../../../shared/ipc/contract';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { PathField } from '../../../renderer/src/ui/PathField';
import { JobError, JobProgress, ProgressFooter } from '../../../renderer/src/ui/ProgressFooter';
import { formatBytes } from '../../../renderer/src/ui/data-grid/core/cell-text';
import { errorOf } from '../../connections/renderer/connection-actions';
import { plural } from '../../../shared/text/plural';
import type { BackupProgress, BackupResult, BackupScope, BackupTable } from '../shared/backup-model';
import { TablePicker } from './TablePicker';
import './backup.css';

type Mode = 'backup' | 'restore';
type Info = CommandOutput<'backup.info'>;

type Phase =
  | { kind: 'setup'; error?: string; exists?: boolean }
  | { kind: 'running'; progress: BackupProgress }
  | { kind: 'done'; result: BackupResult; downloadId: string | null }
  | { kind: 'cancelled' };

const scopeLabels: Record<BackupScope, string> = { all: 'Everything (schema and rows)', schema: 'Schema only', data: 'Data only' };

function newJobId(): string {
  return `bk_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}

function fileStem(name: string): string {
  const day = new Date().toISOString().slice(0, 10);
  return `${name.replace(/[\\/:*?"<>|\u0000-\u001f\s]+/g, '_')}-${day}`;
}

/**
 * Back up or restore an open connection with the engine's own tools (pg_dump/pg_restore,
 * mariadb-dump/mariadb) or SQLite's backup API. The file is on the machine that runs DB Desk's core.
 * Progress while it runs, Cancel stops the tool (a partial backup is removed); a restore into a
 * production connection needs its database name typed, which the worker checks again.
 */
export function BackupDialog({ mode, connectionId, name, onClose, onRestored }: { mode: Mode; connectionId: string; name: string; onClose(): void; onRestored?(): void }) {
  const [info, setInfo] = useState<Info | null>(null);
  const [path, setPath] = useState('');
  const [scope, setScope] = useState<BackupScope>('all');
  /** Every table, or only those ticked in the picker. */
  const [some, setSome] = useState(false);
  const [tables, setTables] = useState<BackupTable[]>([]);
  const [typed, setTyped] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'setup' });
  const job = useRef<{ id: string; controller: AbortController } | null>(null);

  useEffect(() => {
    void Promise.all([client.call('backup.info', { connectionId }), client.call('table.exportDefaults', {})]).then(
      ([i, d]) => {
        setInfo(i);
        const folder = `${d.directory}${d.directory.endsWith(d.separator) ? '' : d.separator}`;
        setPath(mode === 'backup' ? `${folder}${fileStem(name)}${i.fileExtension}` : folder);
      },
      (err: unknown) => setPhase({ kind: 'setup', error: errorOf(err).message }),
    );
  }, [connectionId, mode, name]);

  useEffect(
    () =>
      client.on('backup.progress', (p) => {
        if (p.jobId !== job.current?.id) return;
        setPhase((old) => (old.kind === 'running' ? { kind: 'running', progress: p } : old));
      }),
    [],
  );

  const confirmation = mode === 'restore' ? (info?.confirmationName ?? null) : null;
  const confirmed = confirmation === null || typed === confirmation;
  const tableList = some ? tables : [];

  const start = async (overwrite: boolean) => {
    const id = newJobId();
    const controller = new AbortController();
    job.current = { id, controller };
    setPhase({ kind: 'running', progress: { bytes: 0, totalBytes: null, tables: 0, currentTable: null } });
    try {
      if (mode === 'backup') {
        const { downloadId, ...result } = await client.call('backup.run', { connectionId, jobId: id, path: path.trim(), overwrite, options: { scope, tables: tableList } }, { signal: controller.signal });
        setPhase({ kind: 'done', result, downloadId });
      } else {
        const result = await client.call('backup.restore', { connectionId, jobId: id, path: path.trim(), ...(confirmation !== null ? { confirmDatabase: typed } : {}) }, { signal: controller.signal });
        setPhase({ kind: 'done', result, downloadId: null });
      }
      if (mode === 'restore') onRestored?.();
    } catch (err) {
      const e = errorOf(err);
      if (e.code === 'cancelled') setPhase({ kind: 'cancelled' });
      else setPhase({ kind: 'setup', error: e.message, exists: e.code === 'conflict' });
    } finally {
      job.current = null;
    }
  };
  const cancel = () => job.current?.controller.abort();
  const running = phase.kind === 'running';
  const verb = mode === 'backup' ? 'Back up' : 'Restore';
  const canStart = info !== null && path.trim() !== '' && confirmed && !(mode === 'restore' && info.readOnly) && !(mode === 'backup' && some && tables.length === 0);

  return (
    <Dialog
      title={mode === 'backup' ? `Back up ${name}` : `Restore into ${name}`}
      wide
      onClose={running ? cancel : onClose}
      footer={
        <ProgressFooter
          running={running}
          done={phase.kind === 'done'}
          cancelLabel={mode === 'backup' ? 'Cancel backup' : 'Cancel restore'}
          onCancel={cancel}
          onClose={onClose}
          action={{ label: verb, danger: mode === 'restore', disabled: !canStart, onClick: () => void start(false) }}
        />
      }
    >
      <div className="form backup-form">
        {mode === 'backup' && info && (
          <>
            <fieldset className="fieldset field-wide" disabled={running || !info.partial}>
              <legend>What to back up</legend>
              {(['all', 'schema', 'data'] as const).map((s) => (
                <label key={s} className="checkbox">
                  <input type="radio" name="backup-scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
                  {scopeLabels[s]}
                </label>
              ))}
            </fieldset>
            {info.partial ? (
              <fieldset className="fieldset field-wide backup-tables" disabled={running}>
                <legend>Tables</legend>
                <label className="checkbox">
                  <input type="radio" name="backup-tables" checked={!some} onChange={() => setSome(false)} />
                  Every table
                </label>
                <label className="checkbox">
                  <input type="radio" name="backup-tables" checked={some} onChange={() => setSome(true)} />
                  Only the tables chosen here
                </label>
                {some && <TablePicker connectionId={connectionId} from={info.tablesFrom} value={tables} onChange={setTables} disabled={running} />}
              </fieldset>
            ) : (
              <p className="field-help field-wide">This database is backed up as a whole file (a consistent copy while it stays in use).</p>
            )}
          </>
        )}
        <PathField
          id="backup-path"
          label={mode === 'backup' ? 'Backup file on the machine that runs DB Desk' : 'Backup file to restore (on the machine that runs DB Desk)'}
          value={path}
          disabled={running}
          browse={
            mode === 'backup'
              ? { kind: 'save-file', filters: info ? [{ name: 'Backup', extensions: [info.fileExtension.replace(/^\./, '')] }] : [] }
              : { kind: 'open-file', filters: [...(info ? [{ name: 'Backup', extensions: [info.fileExtension.replace(/^\./, '')] }] : []), { name: 'All files', extensions: ['*'] }] }
          }
          onChange={(p) => {
            setPath(p);
            // The last failure was about the file that was there; a new one starts afresh.
            setPhase((old) => (old.kind === 'setup' ? { kind: 'setup' } : old));
          }}
          help={
            mode === 'backup'
              ? 'Readable only by this user, and put in place only once the tool has finished.'
              : 'Restoring writes the backup’s objects and rows into this database; tables it holds are replaced.'
          }
        />
        {mode === 'restore' && info?.readOnly && <p className="notice notice-warning field-wide">This connection is read-only: nothing can be restored into it.</p>}
        {confirmation !== null && (
          <div className="field field-wide backup-confirm">
            <p className="notice backup-danger">
              <strong>Production.</strong> Type the database name <code className="mono">{confirmation}</code> to restore into it.
            </p>
            <label className="field">
              <span className="label">Database name</span>
              <input value={typed} disabled={running} onChange={(e) => setTyped(e.target.value)} aria-invalid={typed !== '' && !confirmed} spellCheck={false} autoComplete="off" />
            </label>
          </div>
        )}
      </div>
      {phase.kind === 'setup' && phase.error && <JobError preformatted message={phase.error} onReplace={phase.exists ? () => void start(true) : undefined} />}
      {phase.kind === 'running' && (
        <JobProgress label={`${verb} progress`} percent={phase.progress.totalBytes ? (100 * phase.progress.bytes) / Math.max(1, phase.progress.totalBytes) : null}>
          {formatBytes(phase.progress.bytes)}
          {phase.progress.totalBytes ? ` of ${formatBytes(phase.progress.totalBytes)}` : ''} · {plural(phase.progress.tables, 'table')}
          {phase.progress.currentTable ? ` · ${phase.progress.currentTable}` : ''}
        </JobProgress>
      )}
      {phase.kind === 'done' && (
        <div className="backup-done" role="status">
          <p>
            {mode === 'backup' ? (
              <>
                Backed up <strong>{plural(phase.result.tables, 'table')}</strong> ({formatBytes(phase.result.bytes)}) in {(phase.result.ms / 1000).toFixed(1)} s to <code>{phase.result.path}</code>.
              </>
            ) : (
              <>
                Restored <strong>{plural(phase.result.tables, 'table')}</strong> from <code>{phase.result.path}</code> in {(phase.result.ms / 1000).toFixed(1)} s.
              </>
            )}
          </p>
          <p className="muted">Done by {phase.result.tool}.</p>
          {phase.downloadId && (
            <a className="btn btn-small" href={new URL(`download/${phase.downloadId}`, window.location.href).href} download>
              Download to this computer
            </a>
          )}
        </div>
      )}
      {phase.kind === 'cancelled' && <p className="muted">{mode === 'backup' ? 'Cancelled: the tool was stopped and the partial file removed.' : 'Cancelled: the tool was stopped.'}</p>}
    </Dialog>
  );
}
