import { useEffect, useState } from 'react';
import type { SchemaSummary } from '../../../shared/model/schema';
import { engineLabels } from '../../../shared/model/engine';
import { appStore } from '../../../renderer/src/app/app-state';
import { useStore } from '../../../renderer/src/app/store';
import { client } from '../../../renderer/src/ipc/client';
import { errorOf } from '../../connections/renderer/connection-actions';
import type { SidePick } from './compare-client';

/**
 * One side of a compare: a saved connection and one of its schemas. The schema list comes from the
 * connection once it is open; until then the connection's own schema (where it lands) is the choice.
 */
export function SidePicker(props: { side: 'source' | 'target'; pick: SidePick; disabled: boolean; onChange(pick: SidePick): void }) {
  const { side, pick } = props;
  const profiles = useStore(appStore, (s) => s.profiles);
  const open = useStore(appStore, (s) => (pick.profileId ? s.connections[pick.profileId]?.status === 'open' : false));
  const [schemas, setSchemas] = useState<{ for: string; list: SchemaSummary[] } | { for: string; error: string } | null>(null);

  useEffect(() => {
    if (!pick.profileId || !open) return;
    let live = true;
    const id = pick.profileId;
    client
      .call('schema.schemas', { connectionId: id })
      .then((list) => live && setSchemas({ for: id, list }))
      .catch((err: unknown) => live && setSchemas({ for: id, error: errorOf(err).message }));
    return () => {
      live = false;
    };
  }, [pick.profileId, open]);

  const listed = schemas && schemas.for === pick.profileId && 'list' in schemas ? schemas.list : [];
  const failed = schemas && schemas.for === pick.profileId && 'error' in schemas ? schemas.error : null;
  const title = side === 'source' ? 'Source' : 'Target';
  const id = `cmp-${side}`;
  return (
    <fieldset className={`cmp-side cmp-side-${side}`} disabled={props.disabled}>
      <legend>
        {title} <span className="muted">{side === 'source' ? '— what the target should become' : '— what the migration changes'}</span>
      </legend>
      <label className="field">
        <span className="label">{title} connection</span>
        <select id={`${id}-connection`} value={pick.profileId ?? ''} onChange={(e) => props.onChange({ profileId: e.target.value || null, schema: '' })}>
          <option value="">Choose a connection…</option>
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({engineLabels[p.engine]}){p.production ? ' — production' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="label">{title} schema</span>
        <select id={`${id}-schema`} value={pick.schema} onChange={(e) => props.onChange({ ...pick, schema: e.target.value })} disabled={!pick.profileId}>
          <option value="">{open ? `its own (${listed.find((s) => s.isDefault)?.name ?? 'default'})` : 'its own (the schema it lands in)'}</option>
          {listed
            .filter((s) => !s.isDefault)
            .map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          {pick.schema !== '' && !listed.some((s) => s.name === pick.schema) && <option value={pick.schema}>{pick.schema}</option>}
        </select>
      </label>
      {failed && <p className="field-error">{failed}</p>}
      {pick.profileId && !open && <p className="field-help">Connects when the compare runs; its other schemas are listed once it is open.</p>}
    </fieldset>
  );
}
