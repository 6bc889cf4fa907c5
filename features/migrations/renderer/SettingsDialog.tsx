import { useState } from 'react';
import type { MigrationSettings } from '../../../shared/model/migrations';
import { Dialog } from '../../../renderer/src/ui/Dialog';

/** The timeouts every run sets, per connection. */
export function SettingsDialog(props: { settings: MigrationSettings; onSave(s: MigrationSettings): void; onClose(): void }) {
  const [lock, setLock] = useState(String(props.settings.lockTimeoutSeconds));
  const [statement, setStatement] = useState(String(props.settings.statementTimeoutSeconds));
  const [wait, setWait] = useState(String(props.settings.lockWaitSeconds));
  const valid = (v: string, max: number) => /^\d+(\.\d+)?$/.test(v.trim()) && Number(v) <= max;
  const ok = valid(lock, 86400) && valid(statement, 86400) && valid(wait, 3600);
  const save = () => ok && props.onSave({ ...props.settings, lockTimeoutSeconds: Number(lock), statementTimeoutSeconds: Number(statement), lockWaitSeconds: Number(wait) });
  return (
    <Dialog
      title="Migration timeouts"
      onClose={props.onClose}
      footer={
        <>
          <span className="spacer" />
          <button className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" disabled={!ok} onClick={save}>
            Save
          </button>
        </>
      }
    >
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label className="field field-wide">
          <span className="label">Lock timeout (seconds)</span>
          <input data-autofocus value={lock} onChange={(e) => setLock(e.target.value)} inputMode="decimal" aria-invalid={!valid(lock, 86400)} />
          <span className="field-help">PostgreSQL lock_timeout, MySQL/MariaDB lock_wait_timeout, SQLite busy_timeout. A statement waiting longer for a table lock fails instead of making production queries queue behind it. 0 turns it off.</span>
        </label>
        <label className="field field-wide">
          <span className="label">Statement timeout (seconds)</span>
          <input value={statement} onChange={(e) => setStatement(e.target.value)} inputMode="decimal" aria-invalid={!valid(statement, 86400)} />
          <span className="field-help">PostgreSQL statement_timeout, MariaDB max_statement_time. 0 = none, so long index builds may finish.</span>
        </label>
        <label className="field field-wide">
          <span className="label">Wait for another runner’s lock (seconds)</span>
          <input value={wait} onChange={(e) => setWait(e.target.value)} inputMode="decimal" aria-invalid={!valid(wait, 3600)} />
          <span className="field-help">How long a run waits while someone else migrates this database before giving up.</span>
        </label>
      </form>
    </Dialog>
  );
}
