import { useState } from 'react';
import type { ExplainPlan, PlanNode } from '../../../shared/model/query';

const fmt = (n: number | null, digits = 2) => (n === null ? '—' : Number.isInteger(n) ? n.toLocaleString() : n.toLocaleString(undefined, { maximumFractionDigits: digits }));

/** A query plan as an expandable tree: each node with its cost, estimated and actual rows, and time. */
export function PlanTree({ plan }: { plan: ExplainPlan }) {
  const [raw, setRaw] = useState(false);
  const maxTime = Math.max(0, ...all(plan.root).map((n) => n.actualTimeMs ?? 0));
  const maxCost = Math.max(0, ...all(plan.root).map((n) => n.cost ?? 0));
  return (
    <div className="plan">
      <div className="plan-summary">
        {plan.totals.map((t) => (
          <span key={t.label} className="plan-total">
            <span className="muted">{t.label}</span> {t.value}
          </span>
        ))}
        <span className="spacer" />
        <button className="btn btn-small" aria-pressed={raw} onClick={() => setRaw(!raw)}>
          {raw ? 'Tree' : 'Raw output'}
        </button>
      </div>
      {plan.notes.length > 0 && (
        <ul className="plan-notes">
          {plan.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {raw ? (
        <pre className="plan-raw">{plan.raw}</pre>
      ) : (
        <div className="plan-table">
          <div className="plan-head" aria-hidden>
            <span>Operation</span>
            <span>Cost</span>
            <span>Rows (est.)</span>
            <span>Rows (actual)</span>
            <span>Loops</span>
            <span>Time (ms)</span>
          </div>
          <ul role="tree" aria-label="Query plan" className="plan-tree">
            <PlanRow node={plan.root} depth={0} maxTime={maxTime} maxCost={maxCost} />
          </ul>
        </div>
      )}
    </div>
  );
}

function all(n: PlanNode): PlanNode[] {
  return [n, ...n.children.flatMap(all)];
}

function PlanRow({ node, depth, maxTime, maxCost }: { node: PlanNode; depth: number; maxTime: number; maxCost: number }) {
  const [open, setOpen] = useState(true);
  const hasKids = node.children.length > 0;
  const share = maxTime > 0 && node.actualTimeMs !== null ? node.actualTimeMs / maxTime : maxCost > 0 && node.cost !== null ? node.cost / maxCost : 0;
  const misestimate = node.rows !== null && node.actualRows !== null && node.rows > 0 && (node.actualRows / node.rows > 10 || node.rows / Math.max(1, node.actualRows) > 10);
  return (
    <li role="treeitem" aria-expanded={hasKids ? open : undefined} aria-level={depth + 1} aria-selected={false}>
      <div className="plan-row">
        <span className="plan-op" style={{ paddingLeft: depth * 18 }}>
          {hasKids ? (
            <button className="plan-toggle" aria-label={open ? 'Collapse' : 'Expand'} onClick={() => setOpen(!open)}>
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="plan-toggle" aria-hidden />
          )}
          <strong>{node.operation}</strong>
          {node.detail && <span className="muted"> {node.detail}</span>}
          {node.extra.length > 0 && (
            <span className="plan-extra">
              {node.extra.slice(0, 3).map((e) => (
                <span key={e.label} className="plan-fact" title={`${e.label}: ${e.value}`}>
                  {e.label}: {e.value.length > 60 ? `${e.value.slice(0, 60)}…` : e.value}
                </span>
              ))}
            </span>
          )}
        </span>
        <span className="num">{fmt(node.cost)}</span>
        <span className="num">{fmt(node.rows, 0)}</span>
        <span className={`num${misestimate ? ' plan-misestimate' : ''}`} title={misestimate ? 'Estimate off by more than 10×' : undefined}>
          {fmt(node.actualRows, 0)}
        </span>
        <span className="num">{fmt(node.loops, 0)}</span>
        <span className="num plan-time">
          <span className="plan-bar" style={{ width: `${Math.round(share * 100)}%` }} aria-hidden />
          <span>{fmt(node.actualTimeMs, 3)}</span>
        </span>
      </div>
      {hasKids && open && (
        <ul role="group">
          {node.children.map((c, i) => (
            <PlanRow key={i} node={c} depth={depth + 1} maxTime={maxTime} maxCost={maxCost} />
          ))}
        </ul>
      )}
    </li>
  );
}
