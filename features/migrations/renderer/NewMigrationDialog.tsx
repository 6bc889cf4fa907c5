import { useState } from 'react';
import type { MigrationFormat } from '../../../shared/model/migrations';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { toast } from '../../../renderer/src/ui/toasts';
import { errorOf } from '../../connections/renderer/connection-actions';

/** Writes a new migration from a template into the folder (dbmate format unless the folder has another). */
export function NewMigrationDialog(props: { dir: string; format: MigrationFormat; empty: boolean; onCreated(): void; onClose(): void }) {
  const [name, setName] = useState('');
  const [up, setUp] = useState('');
  const [down, setDown] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const format = props.empty ? 'dbmate' : props.format;
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const made = await client.call('migrations.create', { dir: props.dir, name, up, down });
      toast({ level: 'success', title: `Created ${made.files.join(' and ')}`, message: made.path });
      props.onCreated();
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="New migration"
      wide
      onClose={props.onClose}
      footer={
        <>
          <span className="muted">
            {format === 'dbmate' ? 'dbmate format: YYYYMMDDHHMMSS_name.sql with -- migrate:up / -- migrate:down' : format === 'golang-migrate' ? 'golang-migrate format: N_name.up.sql and N_name.down.sql' : 'Flyway format: V<next>__name.sql (and U… when there is a down)'}
          </span>
          <span className="spacer" />
          <button className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" disabled={busy || name.trim() === ''} onClick={() => void create()}>
            Create file
          </button>
        </>
      }
    >
      <form
        className="form new-migration"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() !== '') void create();
        }}
      >
        <label className="field field-wide">
          <span className="label">Name</span>
          <input data-autofocus value={name} onChange={(e) => setName(e.target.value)} placeholder="add orders table" aria-invalid={error !== null} />
        </label>
        <label className="field field-wide">
          <span className="label">Up (optional — you can also fill in the file later)</span>
          <textarea className="mono" rows={6} value={up} onChange={(e) => setUp(e.target.value)} placeholder="CREATE TABLE orders (id bigint PRIMARY KEY);" spellCheck={false} />
        </label>
        <label className="field field-wide">
          <span className="label">Down</span>
          <textarea className="mono" rows={3} value={down} onChange={(e) => setDown(e.target.value)} placeholder="DROP TABLE orders;" spellCheck={false} />
        </label>
        {error && (
          <p className="form-error field-wide" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
