import { useId, useState, type ReactNode } from 'react';
import {
  addCheck,
  addColumn,
  addForeignKey,
  addIndex,
  addUnique,
  dropCheck,
  dropColumn,
  dropForeignKey,
  dropIndex,
  dropTable,
  dropUnique,
  isKey,
  moveColumn,
  renameTable,
  setTableComment,
  togglePrimaryKeyColumn,
  updateCheck,
  updateColumn,
  updateForeignKey,
  updateIndex,
} from '../shared/edits';
import { designConventions } from '../shared/conventions';
import { columnNames, FOREIGN_KEY_ACTIONS, referencedColumnNames, referencedTableName, type DesignTable, type EngineType } from '../shared/model';
import type { ForeignKeyAction } from '../../../shared/model/schema';
import { useStore } from '../../../renderer/src/app/store';
import { Icon } from '../../../renderer/src/ui/icons';
import { CommitInput } from './CommitInput';
import type { DesignerSession } from './designer-session';

/** The side panel: everything about the selected table, editable. */
export function EditPanel({ session }: { session: DesignerSession }) {
  const design = useStore(session.store, (s) => s.history.present);
  const selected = useStore(session.store, (s) => s.selectedTableId);
  const types = useStore(session.store, (s) => s.types);
  const base = useStore(session.store, (s) => s.base);
  const table = design.tables.find((t) => t.id === selected);
  // Column order is chosen when a table is created; engines cannot reorder an existing table's columns.
  const isNew = !!table && !base.tables.some((b) => b.id === table.id);
  const typeListId = useId();
  if (!table) {
    return (
      <div className="dz-panel-empty">
        <p>Select a table in the diagram to edit it, or add one.</p>
        <button className="btn" onClick={() => session.addTable()}>
          + Add table
        </button>
        <p className="muted">Draw a foreign key by dragging from a column to the column it references.</p>
      </div>
    );
  }
  const engine = design.engine;
  const t = table;
  const edit = session.edit.bind(session);
  return (
    <div className="dz-panel-body" aria-label={`Edit table ${t.name}`}>
      <TypeList id={typeListId} types={types} />
      <div className="dz-field-row">
        <label className="field dz-grow">
          <span className="label">Table name</span>
          <CommitInput aria-label="Table name" value={t.name} onCommit={(v) => edit(`Rename table ${t.name} to ${v}`, (d) => renameTable(d, t.id, v, base))} />
        </label>
        <button className="btn btn-small dz-drop" title="Drop this table (Delete)" onClick={() => edit(`Drop table ${t.name}`, (d) => dropTable(d, t.id))}>
          <Icon name="trash" /> Drop table
        </button>
      </div>
      {designConventions[engine].tableComments && (
        <label className="field">
          <span className="label">Comment</span>
          <CommitInput aria-label="Table comment" value={t.comment ?? ''} placeholder="What this table holds" onCommit={(v) => edit(`Comment on ${t.name}`, (d) => setTableComment(d, t.id, v))} />
        </label>
      )}

      <h3>Columns</h3>
      <table className="dz-grid" aria-label={`Columns of ${t.name}`}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th title="Allows NULL">Null</th>
            <th title="Primary key">PK</th>
            <th>Default</th>
            <th title="Numbered automatically (identity, AUTO_INCREMENT)">Auto</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {t.columns.map((c, i) => {
            const inPk = t.primaryKey?.columns.includes(c.id) ?? false;
            return (
              <tr key={c.id}>
                <td>
                  <CommitInput aria-label={`Name of column ${c.name}`} value={c.name} onCommit={(v) => edit(`Rename column ${t.name}.${c.name}`, (d) => updateColumn(d, t.id, c.id, { name: v }, base))} />
                </td>
                <td>
                  <CommitInput aria-label={`Type of ${c.name}`} className="mono" list={typeListId} value={c.type} onCommit={(v) => edit(`Type of ${t.name}.${c.name}`, (d) => updateColumn(d, t.id, c.id, { type: v }))} />
                </td>
                <td className="dz-center">
                  <input type="checkbox" aria-label={`${c.name} allows NULL`} checked={c.nullable} disabled={inPk} onChange={(e) => edit(`${e.target.checked ? 'Allow' : 'Forbid'} NULL in ${t.name}.${c.name}`, (d) => updateColumn(d, t.id, c.id, { nullable: e.target.checked }))} />
                </td>
                <td className="dz-center">
                  <input type="checkbox" aria-label={`${c.name} is in the primary key`} checked={inPk} onChange={() => edit(`Primary key of ${t.name}`, (d) => togglePrimaryKeyColumn(d, t.id, c.id))} />
                </td>
                <td>
                  <CommitInput aria-label={`Default of ${c.name}`} className="mono" placeholder="none" value={c.default ?? ''} disabled={!!c.generated} onCommit={(v) => edit(`Default of ${t.name}.${c.name}`, (d) => updateColumn(d, t.id, c.id, { default: v }))} />
                </td>
                <td className="dz-center">
                  <input type="checkbox" aria-label={`${c.name} is numbered automatically`} checked={c.autoIncrement} onChange={(e) => edit(`Auto-increment of ${t.name}.${c.name}`, (d) => updateColumn(d, t.id, c.id, { autoIncrement: e.target.checked }))} />
                </td>
                <td className="dz-row-actions">
                  <button
                    className="icon-btn"
                    aria-label={`Move ${c.name} up`}
                    title={isNew ? 'Move up' : 'Column order can only be chosen for a new table'}
                    disabled={i === 0 || !isNew}
                    onClick={() => edit(`Move ${c.name}`, (d) => moveColumn(d, t.id, c.id, -1))}
                  >
                    ↑
                  </button>
                  <button className="icon-btn" aria-label={`Drop column ${c.name}`} title="Drop column" onClick={() => edit(`Drop column ${t.name}.${c.name}`, (d) => dropColumn(d, t.id, c.id))}>
                    <Icon name="trash" />
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button className="btn btn-small" onClick={() => edit(`Add column to ${t.name}`, (d) => addColumn(d, t.id).design)}>
        + Add column
      </button>

      <KeysEditor session={session} table={t} />
    </div>
  );
}

function TypeList({ id, types }: { id: string; types: EngineType[] }) {
  return (
    <datalist id={id}>
      {types.map((t) => (
        <option key={`${t.name}|${t.example}`} value={t.example}>
          {t.source === 'database' ? `${t.name} (defined in the database)` : t.category}
        </option>
      ))}
    </datalist>
  );
}

/** Column picker: checkboxes in table order. */
function ColumnPicker({ table, value, onChange, label }: { table: DesignTable; value: string[]; onChange(v: string[]): void; label: string }) {
  return (
    <fieldset className="dz-picker">
      <legend>{label}</legend>
      {table.columns.map((c) => (
        <label key={c.id} className="dz-pick">
          <input type="checkbox" checked={value.includes(c.id)} onChange={(e) => onChange(e.target.checked ? [...value, c.id] : value.filter((x) => x !== c.id))} />
          {c.name}
        </label>
      ))}
    </fieldset>
  );
}

function ActionSelect({ label, value, onChange }: { label: string; value: ForeignKeyAction; onChange(v: ForeignKeyAction): void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as ForeignKeyAction)}>
      {FOREIGN_KEY_ACTIONS.map((a) => (
        <option key={a} value={a}>
          {a}
        </option>
      ))}
    </select>
  );
}

/** Indexes, unique constraints, check constraints and foreign keys of one table. */
/** One of the table's lists (indexes, uniques, checks, foreign keys): its items, each with a drop button. */
function ConstraintList<T extends { id: string }>(props: {
  title: string;
  label: string;
  items: T[];
  empty?: string;
  itemClassName?: string;
  render(item: T): ReactNode;
  dropLabel(item: T): string;
  onDrop(item: T): void;
}) {
  return (
    <>
      <h3>{props.title}</h3>
      <ul className="dz-list" aria-label={props.label}>
        {props.items.length === 0 && <li className="muted">{props.empty ?? 'None'}</li>}
        {props.items.map((item) => (
          <li key={item.id} className={props.itemClassName}>
            {props.render(item)}
            <button className="icon-btn" aria-label={props.dropLabel(item)} onClick={() => props.onDrop(item)}>
              <Icon name="trash" />
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function KeysEditor({ session, table: t }: { session: DesignerSession; table: DesignTable }) {
  const design = useStore(session.store, (s) => s.history.present);
  const edit = session.edit.bind(session);
  const [adding, setAdding] = useState<null | 'index' | 'unique' | 'check' | 'fk'>(null);
  const [cols, setCols] = useState<string[]>([]);
  const [unique, setUnique] = useState(false);
  const [expr, setExpr] = useState('');
  const [fk, setFk] = useState<{ column: string; refTable: string; refColumn: string; onDelete: ForeignKeyAction; onUpdate: ForeignKeyAction }>({ column: '', refTable: '', refColumn: '', onDelete: 'NO ACTION', onUpdate: 'NO ACTION' });
  const start = (what: typeof adding) => {
    setAdding(what);
    setCols([]);
    setUnique(false);
    setExpr('');
    setFk({ column: t.columns[0]?.id ?? '', refTable: '', refColumn: '', onDelete: 'NO ACTION', onUpdate: 'NO ACTION' });
  };
  const done = (ok: boolean) => {
    if (ok) setAdding(null);
  };
  const parent = design.tables.find((x) => x.id === fk.refTable);
  const keyColumns = parent ? parent.columns.filter((c) => isKey(parent, [c.id])) : [];

  return (
    <>
      <ConstraintList
        title="Indexes"
        label={`Indexes of ${t.name}`}
        items={t.indexes}
        dropLabel={(i) => `Drop index ${i.name}`}
        onDrop={(i) => edit(`Drop index ${i.name}`, (d) => dropIndex(d, t.id, i.id))}
        render={(i) => (
          <>
            <CommitInput aria-label={`Name of index ${i.name}`} className="mono dz-name-input" value={i.name} onCommit={(v) => edit(`Rename index ${i.name}`, (d) => updateIndex(d, t.id, i.id, { name: v }))} />
            <span className="mono dz-list-text">{i.definition ?? `(${columnNames(t, i.columns).join(', ')})${i.where ? ` WHERE ${i.where}` : ''}`}</span>
            <label className="dz-inline">
              <input type="checkbox" checked={i.unique} disabled={!!i.definition} onChange={(e) => edit(`Index ${i.name} unique`, (d) => updateIndex(d, t.id, i.id, { unique: e.target.checked }))} /> unique
            </label>
          </>
        )}
      />

      <ConstraintList
        title="Unique constraints"
        label={`Unique constraints of ${t.name}`}
        items={t.uniques}
        dropLabel={(u) => `Drop unique constraint ${u.name ?? columnNames(t, u.columns).join(', ')}`}
        onDrop={(u) => edit('Drop unique constraint', (d) => dropUnique(d, t.id, u.id))}
        render={(u) => (
          <span className="mono dz-list-text">
            {u.name ?? '(unnamed)'} ({columnNames(t, u.columns).join(', ')})
          </span>
        )}
      />

      <ConstraintList
        title="Check constraints"
        label={`Check constraints of ${t.name}`}
        items={t.checks}
        dropLabel={(k) => `Drop check ${k.name ?? k.expression}`}
        onDrop={(k) => edit(`Drop check ${k.name ?? ''}`, (d) => dropCheck(d, t.id, k.id))}
        render={(k) => (
          <>
            <span className="mono dz-list-label">{k.name ?? '(unnamed)'}</span>
            <CommitInput aria-label={`Expression of check ${k.name ?? ''}`} className="mono dz-grow" value={k.expression} onCommit={(v) => edit(`Check ${k.name ?? ''}`, (d) => updateCheck(d, t.id, k.id, { expression: v }))} />
          </>
        )}
      />

      <ConstraintList
        title="Foreign keys"
        label={`Foreign keys of ${t.name}`}
        items={t.foreignKeys}
        empty="None — drag from a column to the key it references"
        itemClassName="dz-fk"
        dropLabel={(f) => `Drop foreign key ${f.name ?? ''}`}
        onDrop={(f) => edit(`Drop foreign key ${f.name ?? ''}`, (d) => dropForeignKey(d, t.id, f.id))}
        render={(f) => (
          <>
            <span className="mono dz-list-text">
              {f.name ?? '(unnamed)'}: ({columnNames(t, f.columns).join(', ')}) → {referencedTableName(design, f)}({referencedColumnNames(design, f).join(', ')})
            </span>
            <span className="dz-actions">
              ON DELETE <ActionSelect label={`${f.name ?? 'foreign key'} on delete`} value={f.onDelete} onChange={(v) => edit(`ON DELETE of ${f.name ?? 'foreign key'}`, (d) => updateForeignKey(d, t.id, f.id, { onDelete: v }))} />
              ON UPDATE <ActionSelect label={`${f.name ?? 'foreign key'} on update`} value={f.onUpdate} onChange={(v) => edit(`ON UPDATE of ${f.name ?? 'foreign key'}`, (d) => updateForeignKey(d, t.id, f.id, { onUpdate: v }))} />
            </span>
          </>
        )}
      />

      {adding === null ? (
        <div className="dz-add-row">
          <button className="btn btn-small" onClick={() => start('index')}>
            + Index
          </button>
          <button className="btn btn-small" onClick={() => start('unique')}>
            + Unique
          </button>
          <button className="btn btn-small" onClick={() => start('check')}>
            + Check
          </button>
          <button className="btn btn-small" onClick={() => start('fk')}>
            + Foreign key
          </button>
        </div>
      ) : (
        <form
          className="dz-add-form"
          aria-label={`New ${adding === 'fk' ? 'foreign key' : adding}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (adding === 'index') done(edit(`Add index on ${t.name}`, (d) => addIndex(d, t.id, cols, { unique }).design));
            if (adding === 'unique') done(edit(`Add unique constraint on ${t.name}`, (d) => addUnique(d, t.id, cols).design));
            if (adding === 'check') done(edit(`Add check on ${t.name}`, (d) => addCheck(d, t.id, expr).design));
            if (adding === 'fk') done(edit(`Add foreign key on ${t.name}`, (d) => addForeignKey(d, t.id, { columns: [fk.column], refTableId: fk.refTable, refColumns: [fk.refColumn], onDelete: fk.onDelete, onUpdate: fk.onUpdate }).design));
          }}
        >
          {(adding === 'index' || adding === 'unique') && <ColumnPicker table={t} value={cols} onChange={setCols} label="Columns, in order" />}
          {adding === 'index' && (
            <label className="dz-inline">
              <input type="checkbox" checked={unique} onChange={(e) => setUnique(e.target.checked)} /> unique
            </label>
          )}
          {adding === 'check' && (
            <label className="field">
              <span className="label">Expression</span>
              <input className="mono" aria-label="Check expression" autoFocus placeholder="price >= 0" value={expr} onChange={(e) => setExpr(e.target.value)} />
            </label>
          )}
          {adding === 'fk' && (
            <div className="dz-fk-form">
              <label className="field">
                <span className="label">Column</span>
                <select aria-label="Column" value={fk.column} onChange={(e) => setFk({ ...fk, column: e.target.value })}>
                  {t.columns.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="label">References table</span>
                <select aria-label="Referenced table" value={fk.refTable} onChange={(e) => setFk({ ...fk, refTable: e.target.value, refColumn: '' })}>
                  <option value="">Choose…</option>
                  {design.tables.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="label">Column (a key)</span>
                <select aria-label="Referenced column" value={fk.refColumn} onChange={(e) => setFk({ ...fk, refColumn: e.target.value })}>
                  <option value="">{parent ? (keyColumns.length ? 'Choose…' : 'No single-column key') : '—'}</option>
                  {keyColumns.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="label">On delete</span>
                <ActionSelect label="On delete" value={fk.onDelete} onChange={(v) => setFk({ ...fk, onDelete: v })} />
              </label>
              <label className="field">
                <span className="label">On update</span>
                <ActionSelect label="On update" value={fk.onUpdate} onChange={(v) => setFk({ ...fk, onUpdate: v })} />
              </label>
            </div>
          )}
          <div className="dz-add-row">
            <button className="btn btn-small btn-primary" type="submit">
              Add
            </button>
            <button className="btn btn-small" type="button" onClick={() => setAdding(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </>
  );
}
