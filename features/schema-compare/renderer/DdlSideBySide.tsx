import { useMemo } from 'react';
import { sideBySide } from '../shared/line-diff';

/**
 * An object's DDL on both sides, line by line: equal lines face each other, lines that differ are
 * marked on their side (changed, or only on one side). Source on the left, target on the right.
 */
export function DdlSideBySide(props: { source: string | null; target: string | null; sourceLabel: string; targetLabel: string }) {
  const rows = useMemo(() => sideBySide(props.source, props.target), [props.source, props.target]);
  const differing = rows.filter((r) => r.kind !== 'same').length;
  return (
    <div className="cmp-ddl" role="table" aria-label="DDL side by side" aria-describedby="cmp-ddl-legend">
      <div className="cmp-ddl-row cmp-ddl-head" role="row">
        <div role="columnheader">{props.sourceLabel}</div>
        <div role="columnheader">{props.targetLabel}</div>
      </div>
      {rows.map((r, i) => (
        <div key={i} className={`cmp-ddl-row cmp-${r.kind}`} role="row">
          <pre role="cell" className={r.source === null ? 'cmp-none' : r.kind !== 'same' ? 'cmp-mark' : ''}>
            {r.source ?? (props.source === null && i === 0 ? 'does not exist here' : '')}
          </pre>
          <pre role="cell" className={r.target === null ? 'cmp-none' : r.kind !== 'same' ? 'cmp-mark' : ''}>
            {r.target ?? (props.target === null && i === 0 ? 'does not exist here' : '')}
          </pre>
        </div>
      ))}
      <p id="cmp-ddl-legend" className="muted cmp-ddl-legend">
        {differing === 0 ? 'The texts are the same (what differs is said above).' : `${differing} line${differing === 1 ? '' : 's'} differ${differing === 1 ? 's' : ''}.`}
      </p>
    </div>
  );
}
