import { useMemo, useState } from 'react';
import { connectColumns, DesignError, updateForeignKey } from '../shared/edits';
import { columnNames, FOREIGN_KEY_ACTIONS, referencedColumnNames, referencedTableName } from '../shared/model';
import type { ForeignKeyAction } from '../../../shared/model/schema';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import type { PendingConnection } from './DiagramCanvas';
import type { DesignerSession } from './designer-session';

/** After a drag from one column to another: what the foreign key will be, and its ON DELETE / ON UPDATE. */
export function NewForeignKeyDialog({ session, pending, onClose }: { session: DesignerSession; pending: PendingConnection; onClose(): void }) {
  const [onDelete, setOnDelete] = useState<ForeignKeyAction>('NO ACTION');
  const [onUpdate, setOnUpdate] = useState<ForeignKeyAction>('NO ACTION');
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const preview = useMemo(() => {
    try {
      const r = connectColumns(session.design, pending.from, pending.to);
      const t = r.design.tables.find((x) => x.id === r.tableId)!;
      const fk = t.foreignKeys.find((f) => f.id === r.foreignKeyId)!;
      return { ok: true as const, text: `${t.name}(${columnNames(t, fk.columns).join(', ')}) → ${referencedTableName(r.design, fk)}(${referencedColumnNames(r.design, fk).join(', ')})`, name: fk.name ?? '' };
    } catch (err) {
      if (err instanceof DesignError) return { ok: false as const, text: err.message, name: '' };
      throw err;
    }
  }, [session, pending]);

  const create = () => {
    let target: { tableId: string; foreignKeyId: string } | null = null;
    const ok = session.edit('Draw foreign key', (d) => {
      const r = connectColumns(d, pending.from, pending.to, { onDelete, onUpdate });
      target = r;
      const chosen = name?.trim();
      return chosen && chosen !== preview.name ? updateForeignKey(r.design, r.tableId, r.foreignKeyId, { name: chosen }) : r.design;
    });
    if (ok) {
      if (target) session.select((target as { tableId: string }).tableId);
      onClose();
    } else setError(session.state.editError);
  };

  return (
    <Dialog
      title="New foreign key"
      onClose={onClose}
      footer={
        <>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" disabled={!preview.ok} onClick={create}>
            Create foreign key
          </button>
        </>
      }
    >
      {preview.ok ? (
        <div className="form">
          <p className="field-wide mono dz-fk-preview">{preview.text}</p>
          <label className="field field-wide">
            <span className="label">Constraint name</span>
            <input aria-label="Constraint name" className="mono" value={name ?? preview.name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span className="label">On delete</span>
            <select aria-label="On delete" value={onDelete} onChange={(e) => setOnDelete(e.target.value as ForeignKeyAction)}>
              {FOREIGN_KEY_ACTIONS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="label">On update</span>
            <select aria-label="On update" value={onUpdate} onChange={(e) => setOnUpdate(e.target.value as ForeignKeyAction)}>
              {FOREIGN_KEY_ACTIONS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
          {error && (
            <p className="form-error field-wide" role="alert">
              {error}
            </p>
          )}
        </div>
      ) : (
        <p className="form-error" role="alert">
          {preview.text}
        </p>
      )}
    </Dialog>
  );
}
