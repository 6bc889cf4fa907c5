import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { ApplyResult, EditBatchLimit, EditRequest, EditWarning, PlannedStatement } from '../../../../shared/model/table-query';
import { ProblemList, type ProblemPlaces } from './ProblemList';
import { scriptOf } from './review-script';
import { client } from '../../../../renderer/src/ipc/client';
import { Dialog } from '../../../../renderer/src/ui/Dialog';
import { errorOf } from '../../../connections/renderer/connection-actions';

interface Props {
  connectionId: string;
  edits: EditRequest;
  /** The table the changes are for, and how a refused change is named and followed (the grid's rows, other tables). */
  table?: { schema: string; name: string };
  problemPlaces?: ProblemPlaces;
  onApplied(result: ApplyResult): void;
  /** Nothing, or only some of several agreed transactions, was applied: `result.transactions` says which. */
  onProblems(result: ApplyResult): void;
  onClose(): void;
  /** Where the focus goes when the dialog closes (the grid the changes belong to). */
  returnFocus?(): HTMLElement | null | undefined;
}

/**
 * Why Apply is off after a failed attempt. `refused`: the server refused a change, or a row changed since it
 * was read (the statements would be refused again; after a split batch, the transactions that went through
 * would run twice) — fix the rows in the grid and review again. `unknown`: the connection broke during
 * COMMIT, so the changes may be in — reload first. `error`: nothing was committed (a lost connection, a
 * refusal before any statement) — on only through an explicit "Try again", or once the typed database
 * name or the agreement to split changes.
 */
type Failure = { kind: 'refused' } | { kind: 'unknown' } | { kind: 'error'; typed: string; agreed: boolean };

type Load =
  | { status: 'loading' }
  | { status: 'ready'; statements: PlannedStatement[]; warnings: EditWarning[]; confirmationName: string | null; limit: EditBatchLimit | null }
  | { status: 'failed'; message: string };

/**
 * Review SQL: exactly the statements Apply will send, in one transaction, with their bound
 * values. On a production connection Apply waits until the database name is typed. A batch too big
 * for one transaction on a Galera cluster is explained here, and applied as several transactions
 * only when the user ticks that they agree (the statements then show each BEGIN … COMMIT).
 */
export function ReviewSqlDialog({ connectionId, edits, table, problemPlaces, onApplied, onProblems, onClose, returnFocus }: Props) {
  // Opening another table leaves the review: the dialog closes first, the grid keeps the marks.
  const open = problemPlaces?.open;
  const places: ProblemPlaces = {
    rowLabel: problemPlaces?.rowLabel ?? ((id) => `Change ${id}`),
    ...(open
      ? {
          open: (t, f, title) => {
            onClose();
            open(t, f, title);
          },
        }
      : {}),
  };
  const where = table ?? edits.table;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [typed, setTyped] = useState('');
  const [applying, setApplying] = useState(false);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The limit the batch ran into (from the preview, or from Apply when the server's limits changed meanwhile). */
  const [offer, setOffer] = useState<EditBatchLimit | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const split = agreed && offer?.split ? offer.split : null;
  const request: EditRequest = split ? { ...edits, transactions: split } : edits;

  const preview = useEffectEvent(() => {
    setLoad({ status: 'loading' });
    client
      .call('table.previewEdits', { connectionId, edits: request })
      .then((r) => {
        setLoad({ status: 'ready', ...r });
        if (r.limit) {
          setOffer(r.limit);
          // The agreed split no longer fits (the limits changed): the new one needs agreeing to again.
          if (request.transactions) setAgreed(false);
        }
      })
      .catch((err: unknown) => setLoad({ status: 'failed', message: errorOf(err).message }));
  });
  useEffect(() => preview(), [connectionId, edits, split]);

  const confirmationName = load.status === 'ready' ? load.confirmationName : null;
  // The statements are in: the focus goes to what the dialog is for — Apply, or the database
  // name a production connection asks for first.
  const applyRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (load.status === 'ready') (confirmRef.current ?? applyRef.current)?.focus();
  }, [load.status]);
  const blockedByLimit = offer !== null && split === null;
  // A failed Apply is not repeated by pressing the same button again (see Failure).
  const blockedByFailure = failure !== null && !(failure.kind === 'error' && (failure.typed !== typed || failure.agreed !== agreed));
  const canApply = load.status === 'ready' && !applying && !blockedByLimit && !blockedByFailure && (confirmationName === null || typed === confirmationName);

  // After a failure the focus leaves the disabled Apply: to "Try again" when that is offered, else to Close.
  const retryRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (failure) (failure.kind === 'error' ? retryRef.current : closeRef.current)?.focus();
  }, [failure]);

  const apply = async () => {
    setApplying(true);
    setError(null);
    setFailure(null);
    try {
      const r = await client.call('table.applyEdits', { connectionId, edits: request, ...(confirmationName !== null ? { confirmDatabase: typed } : {}) });
      if (r.applied) onApplied(r);
      else if (r.limit) {
        // Refused before anything ran: the limits are not what the preview saw.
        setOffer(r.limit);
        setAgreed(false);
      } else {
        setResult(r);
        setFailure({ kind: 'refused' });
        onProblems(r);
      }
    } catch (err) {
      const e = errorOf(err);
      setError(e.message);
      setFailure(e.detail?.committed === 'unknown' ? { kind: 'unknown' } : { kind: 'error', typed, agreed });
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
      returnFocus={returnFocus}
      footer={
        <>
          {load.status === 'ready' && (
            <button className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(scriptOf(load.statements)).catch(() => undefined)}>
              Copy SQL
            </button>
          )}
          <span className="spacer" />
          <button ref={closeRef} className="btn" onClick={onClose}>
            {result || failure?.kind === 'unknown' ? 'Close' : 'Cancel'}
          </button>
          <button ref={applyRef} className="btn btn-primary" disabled={!canApply} aria-describedby={blockedByFailure ? 'review-failure' : undefined} onClick={() => void apply()}>
            {applying ? 'Applying…' : split ? `Apply as ${split.length} transactions` : 'Apply in one transaction'}
          </button>
        </>
      }
    >
      <p className="review-summary">
        {summary || 'No changes'} —{' '}
        {split
          ? `run as ${split.length} separate transactions, one after another, each committed on its own. If one fails it is rolled back, the ones before it stay applied and the rest do not run.`
          : 'run in one transaction; if any statement fails or a row changed since it was read, nothing is applied.'}
      </p>
      {offer && <EditLimitNotice limit={offer} agreed={agreed} onAgree={setAgreed} disabled={applying || result !== null} />}
      {load.status === 'loading' && <p className="muted">Preparing the statements…</p>}
      {load.status === 'failed' && (
        <p className="error-text" role="alert">
          {load.message}
        </p>
      )}
      {load.status === 'ready' && load.warnings.length > 0 && <ValueWarnings warnings={load.warnings} />}
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
          <input ref={confirmRef} id="confirm-db" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} aria-invalid={typed !== '' && typed !== confirmationName} />
        </div>
      )}
      {error && (
        <div role="alert" id="review-failure">
          <p className="error-text">{error}</p>
          {failure?.kind === 'error' && (
            <p>
              <button ref={retryRef} className="btn btn-small" disabled={applying || !(confirmationName === null || typed === confirmationName)} onClick={() => void apply()}>
                Try again
              </button>
            </p>
          )}
        </div>
      )}
      {result?.transactions && <SplitOutcome result={result} places={places} table={where} />}
      {result && !result.transactions && (
        <div className="apply-problems" role="alert" id="review-failure">
          <strong>Nothing was applied.</strong>
          <ProblemList problems={result.problems} places={places} table={where} limit={50} />
          <p className="muted">The rows concerned are marked in the grid. Fix or revert them, then review again.</p>
        </div>
      )}
    </Dialog>
  );
}

/** Staged values the engine would take although they go past their declared type (SQLite's affinity). */
function ValueWarnings({ warnings }: { warnings: EditWarning[] }) {
  return (
    <div className="notice notice-warning review-warnings" role="status" aria-label="Values past their declared type">
      <p>
        <strong>{warnings.length === 1 ? 'One value goes' : `${warnings.length} values go`} past the declared type.</strong> Apply stores {warnings.length === 1 ? 'it' : 'them'} anyway; fix {warnings.length === 1 ? 'it' : 'them'} first if that is not what you want.
      </p>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${w.changeId}:${w.column}:${i}`}>
            <code>{w.column}</code>: {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Why the batch does not fit one transaction here, and — when it can be split — the user's agreement to split it. */
function EditLimitNotice({ limit, agreed, onAgree, disabled }: { limit: EditBatchLimit; agreed: boolean; onAgree(v: boolean): void; disabled: boolean }) {
  return (
    <div className="notice notice-warning edit-limit" role="alert" data-variable={limit.variable}>
      <p>
        <strong>{limit.split ? 'Too big for one transaction on this Galera cluster.' : 'This batch cannot be applied on this Galera cluster.'}</strong> {limit.reason}
      </p>
      {limit.split ? (
        <label className="checkbox edit-limit-agree">
          <input type="checkbox" checked={agreed} disabled={disabled} onChange={(e) => onAgree(e.target.checked)} /> Apply as {limit.split.length} separate transactions — I understand it is not all or nothing
        </label>
      ) : (
        <p className="muted">Stage fewer or smaller changes, or ask the DBA about the limit.</p>
      )}
    </div>
  );
}

/** A batch applied as several transactions that did not all go through: which did, which failed, which never ran. */
function SplitOutcome({ result, places, table }: { result: ApplyResult; places: ProblemPlaces; table: { schema: string; name: string } }) {
  const parts = result.transactions!;
  const applied = parts.filter((p) => p.applied);
  const failedAt = parts.findIndex((p) => p.ran && !p.applied);
  const notRun = parts.filter((p) => !p.ran).length;
  return (
    <div className="apply-problems" role="alert" id="review-failure">
      <strong>
        {applied.length === 0 ? 'Nothing was applied.' : `Transactions 1–${applied.length} of ${parts.length} were applied (${result.rowsAffected.toLocaleString('en-US')} row${result.rowsAffected === 1 ? '' : 's'}); their changes are no longer staged.`}
      </strong>{' '}
      {failedAt >= 0 &&
        (parts[failedAt]!.outcomeUnknown
          ? `The connection broke during the COMMIT of transaction ${failedAt + 1}: whether it was applied is unknown — reload the data before applying its changes again${notRun ? `; the ${notRun} after it did not run` : ''}.`
          : `Transaction ${failedAt + 1} failed and was rolled back${notRun ? `; the ${notRun} after it did not run` : ''}.`)}
      <ProblemList problems={result.problems} places={places} table={table} limit={50} />
      <p className="muted">The rows concerned are marked in the grid. Fix or revert them, then review again.</p>
    </div>
  );
}
