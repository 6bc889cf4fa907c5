import { useEffect, useRef, useState } from 'react';
import type { ColumnMapping, ImportFormat, ImportMode, ImportPreview, ImportResult, NewColumn } from '../../../features/import/shared/import-model';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { PathField } from '../../../renderer/src/ui/PathField';
import { JobError, JobProgress, ProgressFooter } from '../../../renderer/src/ui/ProgressFooter';
import { formatBytes } from '../../../renderer/src/ui/data-grid/core/cell-text';
import { errorOf } from '../../connections/renderer/connection-actions';
import { plural } from '../../../shared/text/plural';

interface Props {
  connectionId: string;
  schema: string;
  /** The table to import into; null: a new table made from the file. */
  table: string | null;
  onClose(): void;
  /** After a finished import (the table's rows or the schema's tables changed). */
  onImported?(table: string, created: boolean): void;
}

type Phase =
  | { kind: 'setup'; error?: string; confirmationName?: string }
  | { kind: 'running'; rows: number; rejected: number; bytes: number; totalBytes: number }
  | { kind: 'done'; result: ImportResult; table: string }
  | { kind: 'cancelled'; message: string };

/** The native dialog's file types (desktop app). */
const IMPORT_FILTERS = [
  { name: 'CSV, TSV and JSON', extensions: ['csv', 'tsv', 'tab', 'txt', 'json', 'jsonl', 'ndjson'] },
  { name: 'All files', extensions: ['*'] },
];

const formatLabels: Record<ImportFormat, string> = { csv: 'CSV', tsv: 'TSV (tab-separated)', jsonl: 'JSON lines', json: 'JSON array' };

function formatOf(path: string): ImportFormat {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext === 'tsv' || ext === 'tab' ? 'tsv' : ext === 'jsonl' || ext === 'ndjson' ? 'jsonl' : ext === 'json' ? 'json' : 'csv';
}

function newImportId(): string {
  return `imp_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}

const CELL_LIMIT = 60;
function shown(v: string | null): string {
  if (v === null) return 'NULL';
  return v.length > CELL_LIMIT ? `${v.slice(0, CELL_LIMIT)}…` : v;
}

/**
 * Import a CSV/TSV/JSON file (on the machine that runs the core) into a table, or into a new table made from it:
 * how to read the file, which field fills which column, a preview of the first rows converted, the new table's
 * columns and the DDL that makes it; then progress with cancel, and what happened.
 */
export function ImportDialog({ connectionId, schema, table, onClose, onImported }: Props) {
  const creating = table === null;
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<ImportFormat>('csv');
  const [formatTouched, setFormatTouched] = useState(false);
  const [delimiter, setDelimiter] = useState(',');
  const [quote, setQuote] = useState('"');
  const [header, setHeader] = useState(true);
  const [encoding, setEncoding] = useState<'utf-8' | 'latin1'>('utf-8');
  const [unquotedEmpty, setUnquotedEmpty] = useState<'null' | 'empty'>('null');
  const [quotedEmpty, setQuotedEmpty] = useState<'null' | 'empty'>('empty');
  const [decimal, setDecimal] = useState<'.' | ','>('.');
  const [thousands, setThousands] = useState<'' | ',' | '.' | ' ' | "'" | '_'>('');
  const [mapping, setMapping] = useState<ColumnMapping[] | null>(null);
  const [newName, setNewName] = useState('');
  const [columns, setColumns] = useState<NewColumn[] | null>(null);
  const [primaryKey, setPrimaryKey] = useState('');
  const [mode, setMode] = useState<ImportMode>('all-or-nothing');
  const [rejectsPath, setRejectsPath] = useState('');
  const [confirm, setConfirm] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'setup' });
  const importId = useRef<string | null>(null);
  /** Aborting it cancels the running import.run call (its transaction is rolled back). */
  const running$ = useRef<AbortController | null>(null);
  const outcome = useRef<HTMLDivElement>(null);
  const targetName = creating ? newName.trim() : table;

  useEffect(() => {
    client
      .call('table.exportDefaults', {})
      .then((d) => setPath((p) => p || `${d.directory}${d.directory.endsWith(d.separator) ? '' : d.separator}`))
      .catch(() => undefined);
  }, []);
  useEffect(
    () =>
      client.on('import.progress', (p) => {
        if (p.importId !== importId.current || p.done) return;
        setPhase({ kind: 'running', rows: p.rows, rejected: p.rejected, bytes: p.bytes, totalBytes: p.totalBytes });
      }),
    [],
  );

  const source = { path: path.trim(), format, csv: { delimiter: format === 'tsv' ? '\t' : delimiter || ',', quote: quote || '"', header, encoding, unquotedEmpty, quotedEmpty }, numbers: { decimal, thousands } };
  const create = creating && columns ? { columns, primaryKey: primaryKey ? [primaryKey] : [] } : null;
  const target = { table: { schema, name: targetName || 'new_table' }, create: creating ? (create ?? { columns: [{ name: 'x', type: 'text', nullable: true }], primaryKey: [] }) : null };
  const key = JSON.stringify([source, target, mapping]);

  // The preview follows every option: read again a moment after the last change.
  useEffect(() => {
    if (!/[^\\/]$/.test(source.path)) return;
    let stale = false;
    const timer = setTimeout(() => {
      client
        .call('import.preview', { connectionId, source, target, mapping })
        .then((p) => {
          if (stale) return;
          setPreview(p);
          setPreviewError(null);
          if (creating && columns === null) {
            setColumns(p.inferred.map((c) => ({ name: c.name, type: c.type, nullable: true })));
            if (!newName) setNewName(source.path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').replace(/\W+/g, '_').toLowerCase() || 'imported');
          }
        })
        .catch((err: unknown) => {
          if (!stale) setPreviewError(errorOf(err).message);
        });
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the inputs, serialized
  }, [key, connectionId]);

  const start = async () => {
    const id = newImportId();
    importId.current = id;
    const controller = new AbortController();
    running$.current = controller;
    setPhase({ kind: 'running', rows: 0, rejected: 0, bytes: 0, totalBytes: preview?.fileBytes ?? 0 });
    try {
      const result = await client.call('import.run', {
        connectionId,
        importId: id,
        source,
        target: { table: { schema, name: targetName! }, create },
        mapping,
        mode,
        rejectsPath: mode === 'skip-bad-rows' ? rejectsPath.trim() || `${source.path}.rejects.csv` : null,
        ...(confirm ? { confirmDatabase: confirm } : {}),
      }, { signal: controller.signal });
      setPhase({ kind: 'done', result, table: targetName! });
      onImported?.(targetName!, result.created);
    } catch (err) {
      const e = errorOf(err);
      if (e.code === 'cancelled') setPhase({ kind: 'cancelled', message: e.message });
      else {
        const name = (e.detail as { confirmationName?: string } | undefined)?.confirmationName;
        setPhase({ kind: 'setup', error: e.message, ...(name ? { confirmationName: name } : {}) });
      }
    }
  };
  const cancel = () => {
    running$.current?.abort();
  };

  // What happened (or why it failed) is at the end of a long dialog: bring it into view.
  useEffect(() => {
    if (phase.kind !== 'running') outcome.current?.scrollIntoView({ block: 'nearest' });
  }, [phase.kind, phase]);

  const running = phase.kind === 'running';
  const tabular = format === 'csv' || format === 'tsv';
  const ready = !!preview && !previewError && !!targetName && (!creating || (columns?.length ?? 0) > 0);
  const shownColumns = preview?.columns ?? [];
  const mappingNow = mapping ?? preview?.mapping ?? [];
  const setSource = (column: string, value: string) =>
    setMapping(mappingNow.map((m) => (m.column === column ? { ...m, source: value === '' ? null : Number(value) } : m)));
  const setDateFormat = (column: string, value: string) => setMapping(mappingNow.map((m) => (m.column === column ? { ...m, dateFormat: value } : m)));

  return (
    <Dialog
      wide
      title={creating ? `New table from a file in ${schema}` : `Import into ${table}`}
      onClose={running ? cancel : onClose}
      footer={
        <ProgressFooter
          running={running}
          done={phase.kind === 'done'}
          cancelLabel="Cancel import"
          onCancel={cancel}
          onClose={onClose}
          action={{ label: creating ? 'Create and import' : 'Import', disabled: !ready, autoFocus: true, onClick: () => void start() }}
        />
      }
    >
      <div className="form import-form">
        <PathField
          id="import-path"
          label="File on the machine that runs DB Desk"
          value={path}
          disabled={running}
          browse={{ kind: 'open-file', filters: IMPORT_FILTERS }}
          onChange={(p) => {
            setPath(p);
            if (!formatTouched) setFormat(formatOf(p));
            if (creating) setColumns(null);
          }}
        />
        <div className="field">
          <label htmlFor="import-format">Format</label>
          <select
            id="import-format"
            value={format}
            disabled={running}
            onChange={(e) => {
              setFormat(e.target.value as ImportFormat);
              setFormatTouched(true);
              if (creating) setColumns(null);
            }}
          >
            {(['csv', 'tsv', 'jsonl', 'json'] as const).map((f) => (
              <option key={f} value={f}>
                {formatLabels[f]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="import-encoding">Encoding</label>
          <select id="import-encoding" value={encoding} disabled={running} onChange={(e) => setEncoding(e.target.value as typeof encoding)}>
            <option value="utf-8">UTF-8 (a byte order mark is skipped)</option>
            <option value="latin1">Latin-1 (ISO-8859-1)</option>
          </select>
        </div>
        {tabular && (
          <fieldset className="fieldset field-wide import-csv" disabled={running}>
            <legend>CSV</legend>
            {format === 'csv' && (
              <label>
                Delimiter <input className="mono import-char" aria-label="Delimiter" value={delimiter} maxLength={4} onChange={(e) => setDelimiter(e.target.value)} />
              </label>
            )}
            <label>
              Quote <input className="mono import-char" aria-label="Quote" value={quote} maxLength={1} onChange={(e) => setQuote(e.target.value)} />
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={header} onChange={(e) => setHeader(e.target.checked)} />
              Column names on the first line
            </label>
            <label>
              Unquoted empty field{' '}
              <select aria-label="Unquoted empty field" value={unquotedEmpty} onChange={(e) => setUnquotedEmpty(e.target.value as 'null' | 'empty')}>
                <option value="null">is NULL</option>
                <option value="empty">is ''</option>
              </select>
            </label>
            <label>
              Quoted empty field (""){' '}
              <select aria-label="Quoted empty field" value={quotedEmpty} onChange={(e) => setQuotedEmpty(e.target.value as 'null' | 'empty')}>
                <option value="empty">is ''</option>
                <option value="null">is NULL</option>
              </select>
            </label>
          </fieldset>
        )}
        <fieldset className="fieldset field-wide import-csv" disabled={running}>
          <legend>Numbers</legend>
          <label>
            Decimal mark{' '}
            <select aria-label="Decimal mark" value={decimal} onChange={(e) => setDecimal(e.target.value as '.' | ',')}>
              <option value=".">1234.5</option>
              <option value=",">1234,5</option>
            </select>
          </label>
          <label>
            Thousands{' '}
            <select aria-label="Thousands separator" value={thousands} onChange={(e) => setThousands(e.target.value as typeof thousands)}>
              <option value="">none</option>
              <option value=",">1,234</option>
              <option value=".">1.234</option>
              <option value=" ">1 234</option>
              <option value="'">1'234</option>
              <option value="_">1_234</option>
            </select>
          </label>
        </fieldset>
      </div>
      {previewError && (
        <p className="error-text import-preview-error" role="alert">
          {previewError}
        </p>
      )}
      {preview && creating && columns && (
        <section className="import-section" aria-label="New table">
          <h3>New table</h3>
          <div className="form">
            <div className="field">
              <label htmlFor="import-new-name">Name</label>
              <input id="import-new-name" value={newName} disabled={running} onChange={(e) => setNewName(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="import-pk">Primary key</label>
              <select id="import-pk" value={primaryKey} disabled={running} onChange={(e) => setPrimaryKey(e.target.value)}>
                <option value="">none</option>
                {columns.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <table className="import-table">
            <thead>
              <tr>
                <th>Column</th>
                <th>Type (inferred from the first {plural(Math.min(1000, Math.max(preview.records.length, 1)), 'record')}; editable)</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((c, i) => (
                <tr key={i}>
                  <td>
                    <input aria-label={`Name of column ${i + 1}`} value={c.name} disabled={running} onChange={(e) => setColumns(columns.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
                  </td>
                  <td>
                    <input aria-label={`Type of ${c.name}`} className="mono" value={c.type} disabled={running} onChange={(e) => setColumns(columns.map((x, j) => (j === i ? { ...x, type: e.target.value } : x)))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.ddl && (
            <>
              <h4>The statement that makes it</h4>
              <pre className="import-ddl" aria-label="DDL">
                {preview.ddl.join(';\n')};
              </pre>
            </>
          )}
        </section>
      )}
      {preview && (
        <section className="import-section" aria-label="Columns and preview">
          <h3>Columns</h3>
          <div className="import-scroll">
            <table className="import-table import-preview">
              <thead>
                <tr>
                  <th scope="row">Column</th>
                  {shownColumns.map((c) => (
                    <th key={c.name} scope="col">
                      {c.name} <span className="muted">{c.dataType}</span>
                    </th>
                  ))}
                </tr>
                <tr>
                  <th scope="row">From</th>
                  {shownColumns.map((c) => {
                    const m = mappingNow.find((x) => x.column === c.name);
                    return (
                      <td key={c.name}>
                        <select aria-label={`Source of ${c.name}`} value={m?.source ?? ''} disabled={running} onChange={(e) => setSource(c.name, e.target.value)}>
                          <option value="">— not imported —</option>
                          {preview.sources.map((s, i) => (
                            <option key={i} value={i}>
                              {s}
                            </option>
                          ))}
                        </select>
                        {(c.kind === 'date' || c.kind === 'timestamp') && (
                          <input className="mono import-date" aria-label={`Date format of ${c.name}`} placeholder="as written (e.g. DD/MM/YYYY)" value={m?.dateFormat ?? ''} disabled={running} onChange={(e) => setDateFormat(c.name, e.target.value)} />
                        )}
                      </td>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {preview.converted.map((row, r) => (
                  <tr key={r}>
                    <th scope="row" className="muted">
                      line {preview.records[r]?.line}
                    </th>
                    {row.map((cell, c) =>
                      cell !== null && typeof cell === 'object' ? (
                        <td key={c} className="import-bad" title={cell.error}>
                          ⚠ {cell.error}
                        </td>
                      ) : (
                        <td key={c} className={cell === null ? 'muted' : undefined}>
                          {mappingNow[c]?.source === null ? '' : shown(cell)}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">
            {plural(preview.records.length, 'record')} shown of {formatBytes(preview.fileBytes)}; fields: {preview.sources.join(', ')}.
          </p>
        </section>
      )}
      <fieldset className="fieldset import-mode" disabled={running}>
        <legend>When a row cannot be imported</legend>
        <label className="checkbox">
          <input type="radio" name="import-mode" checked={mode === 'all-or-nothing'} onChange={() => setMode('all-or-nothing')} />
          Import nothing: stop at the first bad row, the table stays as it was
        </label>
        <label className="checkbox">
          <input type="radio" name="import-mode" checked={mode === 'skip-bad-rows'} onChange={() => setMode('skip-bad-rows')} />
          Skip it, and write it to a rejects file
        </label>
        {mode === 'skip-bad-rows' && (
          <PathField id="import-rejects" className="import-rejects" label="Rejects file" placeholder={`${source.path}.rejects.csv`} value={rejectsPath} browse={{ kind: 'save-file', filters: [{ name: 'CSV', extensions: ['csv'] }] }} onChange={setRejectsPath} />
        )}
      </fieldset>
      <div ref={outcome}>
        {phase.kind === 'setup' && phase.error && (
          <JobError className="export-error" message={phase.error}>
            {phase.confirmationName && (
              <label>
                Type <code>{phase.confirmationName}</code> to import into this production database:{' '}
                <input aria-label="Database name" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
              </label>
            )}
          </JobError>
        )}
        {running && (
          <JobProgress label="Import progress" percent={phase.totalBytes ? (phase.bytes / phase.totalBytes) * 100 : null}>
            {plural(phase.rows, 'row')}
            {phase.rejected ? ` · ${plural(phase.rejected, 'rejected row')}` : ''} · {formatBytes(phase.bytes)} of {formatBytes(phase.totalBytes)}
          </JobProgress>
        )}
        {phase.kind === 'done' && (
          <div className="export-done" role="status">
            <p>
              <strong>{plural(phase.result.rows, 'row')}</strong> imported into {phase.result.created ? 'the new table ' : ''}
              <code>{phase.table}</code> in {(phase.result.ms / 1000).toFixed(1)} s.
            </p>
            {phase.result.rejected > 0 && (
              <p>
                {plural(phase.result.rejected, 'row')} could not be imported; they are in <code>{phase.result.rejectsPath}</code> with their lines and reasons.
              </p>
            )}
          </div>
        )}
        {phase.kind === 'cancelled' && <p className="muted">{phase.message}</p>}
      </div>
    </Dialog>
  );
}
