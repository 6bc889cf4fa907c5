import type { ReactNode } from 'react';

/**
 * The footer of a dialog that runs one long job (import, export, backup, restore): while it runs,
 * only its Cancel; before, the dialog's Cancel and its action; after, Close.
 */
export function ProgressFooter({
  running,
  done,
  cancelLabel,
  onCancel,
  onClose,
  action,
  children,
}: {
  running: boolean;
  done: boolean;
  /** "Cancel import": stops the running job. */
  cancelLabel: string;
  onCancel(): void;
  onClose(): void;
  action: { label: string; onClick(): void; disabled?: boolean; danger?: boolean; autoFocus?: boolean };
  /** Before the buttons (a note on the left). */
  children?: ReactNode;
}) {
  return (
    <>
      {children}
      <span className="spacer" />
      {running ? (
        <button className="btn btn-danger" onClick={onCancel}>
          {cancelLabel}
        </button>
      ) : (
        <>
          <button className="btn" onClick={onClose}>
            {done ? 'Close' : 'Cancel'}
          </button>
          {!done && (
            <button className={`btn ${action.danger ? 'btn-danger' : 'btn-primary'}`} {...(action.autoFocus ? { 'data-autofocus': true } : {})} disabled={action.disabled} onClick={action.onClick}>
              {action.label}
            </button>
          )}
        </>
      )}
    </>
  );
}

/** A running job's progress bar and what it has done so far, announced politely. `percent` null: no end known. */
export function JobProgress({ label, percent, children }: { label: string; percent: number | null; children: ReactNode }) {
  return (
    <div className="job-progress" role="status" aria-live="polite">
      <progress max={100} value={percent === null ? undefined : Math.max(0, Math.min(100, percent))} aria-label={label} />
      <span>{children}</span>
    </div>
  );
}

/**
 * A failed job's message (a tool's own words are `preformatted`: their lines kept); when the file it
 * would write exists, the button that replaces it.
 */
export function JobError({ message, onReplace, preformatted, className, children }: { message: string; onReplace?: (() => void) | undefined; preformatted?: boolean; className?: string; children?: ReactNode }) {
  return (
    <div className={`job-error ${className ?? ''}`.trim()} role="alert">
      {preformatted ? <pre className="error-text job-error-text">{message}</pre> : <p className="error-text">{message}</p>}
      {onReplace && (
        <button className="btn btn-small btn-danger" onClick={onReplace}>
          Replace the file
        </button>
      )}
      {children}
    </div>
  );
}
