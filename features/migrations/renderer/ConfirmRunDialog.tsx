import { useState, type ReactNode } from 'react';
import { Dialog } from '../../../renderer/src/ui/Dialog';

/**
 * Confirms a change to the database. On a production connection the person types the database
 * name; the worker checks it again, so the dialog is a courtesy, not the guard. It opens on the
 * confirming button — on Cancel when the change destroys something, on the name to type on production.
 */
export function ConfirmRunDialog(props: {
  title: string;
  production: boolean;
  database: string;
  confirmLabel: string;
  danger?: boolean;
  children: ReactNode;
  onConfirm(typed: string | undefined): void;
  onClose(): void;
}) {
  const [typed, setTyped] = useState('');
  const ok = !props.production || typed === props.database;
  const submit = () => ok && props.onConfirm(props.production ? typed : undefined);
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      footer={
        <>
          <span className="spacer" />
          <button className="btn" onClick={props.onClose} data-autofocus={props.danger && !props.production ? true : undefined}>
            Cancel
          </button>
          <button className={`btn ${props.danger ? 'btn-danger' : 'btn-primary'}`} disabled={!ok} onClick={submit} data-autofocus={props.production || props.danger ? undefined : true}>
            {props.confirmLabel}
          </button>
        </>
      }
    >
      <div className="confirm-body">{props.children}</div>
      {props.production && (
        <form
          className="prod-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <p className="notice notice-danger">
            <strong>Production.</strong> Type the database name <code className="mono">{props.database}</code> to confirm.
          </p>
          <label className="field">
            <span className="label">Database name</span>
            <input data-autofocus value={typed} onChange={(e) => setTyped(e.target.value)} aria-invalid={typed !== '' && !ok} spellCheck={false} autoComplete="off" />
          </label>
        </form>
      )}
    </Dialog>
  );
}
