import { useEffect, useState } from 'react';
import type { ApplyResult, EditRequest, PlannedStatement } from '../../../../../shared/model/table-query';
import { isBytes, type CellValue } from '../../../../../shared/model/values';
import { client } from '../../../ipc/client';
import { Dialog } from '../../../ui/Dialog';
import { errorOf } from '../../connections/connection-actions';

function literalForDisplay(v: CellValue): string {
  if (v === null) return 'NULL';
  if (isBytes(v)) return `x'${v.bytes}${v.truncated ? '…' : ''}' (${v.size} bytes)`;
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  return String(v);
}

/** The statements as one script: each with the values bound to it, as a comment beneath. */
export function scriptOf(statements: PlannedStatement[]): string {
  return statements
    .map((s) => {
      const head = s.purpose === 'check' ? '-- Is the row still as it was read? (no row, or different values: conflict)\n' : '';
      const params = s.params.length ? `\n--   bound: ${s.params.map((p, i) => `[${i + 1}] ${literalForDisplay(p)}`).join(', ')}` : '';
      return `${head}${s.sql};${params}`;
    })
    .join('\n\n');
}

interface Props {
  connectionId: string;
  edits: EditRequest;
  onApplied(result: ApplyResult): void;
  onProblems(result: ApplyResult): void;
  onClose(): void;
}

type Load = { status: 'loading' } | { status: 'ready'; statements: PlannedStatement[]; confirmationName: string | null } | { status: 'failed'; message: string };

/**
 * Review SQL: exactly the statements Apply will send, in one transaction, with their bound
 * values. On a production connection Apply waits until the database name is typed.
 */
export function ReviewSqlDialog({ connectionId, edits, onApplied, onProblems, onClose }: Props) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [typed, setTyped] = useState('');
  const [applying, setApplying] = useState(false);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    client
      .call('table.previewEdits', { connectionId, edits })
      .then((r) => setLoad({ status: 'ready', ...r }))
      .catch((err: unknown) => setLoad({ status: 'failed', message: errorOf(err).message }));
  }, [connectionId, edits]);

  const confirmationName = load.status === 'ready' ? load.confirmationName : null;
  const canApply = load.status === 'ready' && !applying && (confirmationName === null || typed === confirmationName);

  const apply = async () => {
    setApplying(true);
    setError(null);
    try {
      const r = await client.call('table.applyEdits', { connectionId, edits, ...(confirmationName !== null ? { confirmDatabase: typed } : {}) });
      if (r.applied) onApplied(r);
      else {
        setResult(r);
        onProblems(r);
      }
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setApplying(false);
    }
  };

  const counts = edits.changes.reduce((m, c) => ({ ...m, [c.kind]: (m[c.kind] ?? 0) + 1 }), {} as Record<string, number>);
  const summary = (['update', 'insert', 'delete'] as const)
    .filter((k) => counts[k])
    .map((k) => `${counts[k]} ${k === 'update' ? 'updated' : k === 'insert' ? 'inserted' : 'deleted'}`)
    .join(', ');

  return (
    <Dialog
      title="Review SQL"
      wide
      onClose={onClose}
      footer={
        <>
          {load.status === 'ready' && (
            <button className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(scriptOf(load.statements)).catch(() => undefined)}>
              Copy SQL
            </button>
          )}
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            {result ? 'Close' : 'Cancel'}
          </button>
          <button className="btn btn-primary" disabled={!canApply} onClick={() => void apply()}>
            {applying ? 'Applying…' : 'Apply in one transaction'}
          </button>
        </>
      }
    >
      <p className="review-summary">
        {summary || 'No changes'} — run in one transaction; if any statement fails or a row changed since it was read, nothing is applied.
      </p>
      {load.status === 'loading' && <p className="muted">Preparing the statements…</p>}
      {load.status === 'failed' && (
        <p className="error-text" role="alert">
          {load.message}
        </p>
      )}
      {load.status === 'ready' && (
        <pre className="review-sql" aria-label="Statements that will run" tabIndex={0}>
          {scriptOf(load.statements)}
        </pre>
      )}
      {confirmationName !== null && (
        <div className="field production-confirm">
          <label htmlFor="confirm-db">
            This is a <strong>production</strong> connection. Type the database name <code>{confirmationName}</code> to apply:
          </label>
          <input id="confirm-db" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} aria-invalid={typed !== '' && typed !== confirmationName} />
        </div>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="apply-problems" role="alert">
          <strong>Nothing was applied.</strong>
          <ul>
            {result.problems.map((p) => (
              <li key={p.changeId}>
                <span className={`badge ${p.kind === 'conflict' ? 'badge-key' : 'badge-prod'}`}>{p.kind}</span> {p.message}
              </li>
            ))}
          </ul>
          <p className="muted">The rows concerned are marked in the grid. Fix or revert them, then review again.</p>
        </div>
      )}
    </Dialog>
  );
}
