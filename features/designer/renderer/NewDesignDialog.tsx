import { useEffect, useState } from 'react';
import type { CommandOutput } from '../../../shared/ipc/contract';
import { engineKinds, engineLabels, type EngineKind } from '../../../shared/model/engine';
import { client } from '../../../renderer/src/ipc/client';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { designConventions } from '../shared/conventions';
import { openScratchDesign } from './open-designer';

const defaultSchema: Record<EngineKind, string> = { postgresql: 'public', mysql: 'app', mariadb: 'app', sqlite: 'main' };

/** Designing before any database exists: a name, the engine the first migration is for, the schema. */
export function NewDesignDialog({ onClose }: { onClose(): void }) {
  const [title, setTitle] = useState('New schema');
  const [engine, setEngine] = useState<EngineKind>('postgresql');
  const [schema, setSchema] = useState(defaultSchema.postgresql);
  const valid = title.trim() !== '' && schema.trim() !== '';
  const [saved, setSaved] = useState<CommandOutput<'designer.scratch-list'>>([]);
  useEffect(() => {
    void client.call('designer.scratch-list', {}).then(setSaved, () => undefined);
  }, []);
  return (
    <Dialog
      title="New schema design"
      onClose={onClose}
      footer={
        <>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            className="btn btn-primary"
            disabled={!valid}
            onClick={() => {
              openScratchDesign({ title: title.trim(), engine, schema: schema.trim() });
              onClose();
            }}
          >
            Start designing
          </button>
        </>
      }
    >
      <form className="form" onSubmit={(e) => e.preventDefault()}>
        <label className="field field-wide">
          <span className="label">Name</span>
          <input aria-label="Design name" value={title} data-autofocus onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label className="field">
          <span className="label">Engine</span>
          <select
            aria-label="Engine"
            value={engine}
            onChange={(e) => {
              const next = e.target.value as EngineKind;
              if (schema === defaultSchema[engine]) setSchema(defaultSchema[next]);
              setEngine(next);
            }}
          >
            {engineKinds.map((k) => (
              <option key={k} value={k}>
                {engineLabels[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="label">{designConventions[engine].namespaceLabel}</span>
          <input aria-label="Schema" value={schema} onChange={(e) => setSchema(e.target.value)} />
        </label>
        <p className="field-help field-wide">The design produces a first migration for this engine, in dbmate’s format, to save into a migrations folder.</p>
      </form>
      {saved.length > 0 && (
        <section aria-label="Saved designs">
          <h3>Continue a design</h3>
          <ul className="dz-list">
            {saved.map((d) => (
              <li key={`${d.scope}|${d.schema}`}>
                <button
                  className="btn btn-small"
                  onClick={() => {
                    openScratchDesign({ scope: d.scope, title: d.title, engine: d.engine, schema: d.schema });
                    onClose();
                  }}
                >
                  {d.title}
                </button>
                <span className="muted">
                  {engineLabels[d.engine]} · {d.tables} table{d.tables === 1 ? '' : 's'} · {new Date(d.savedAt).toLocaleString()}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Dialog>
  );
}
