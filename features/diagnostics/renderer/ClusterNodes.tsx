import type { NodeDiagnosis } from '../../../shared/model/diagnostics';
import { diagnosticClassLabels, remedyAudienceLabels } from '../../../shared/model/diagnostics';
import { StepList } from './StepList';
import type { LiveDiagnosis, LiveNode } from './use-diagnosis';

const icons = { ok: '✓', degraded: '!', failed: '✕' } as const;
const words = { ok: 'Usable', degraded: 'Usable, with warnings', failed: 'Not usable' } as const;

/**
 * A cluster profile's diagnosis: every node on its own — its verdict, class and remedy first, its
 * steps beneath (open for a node that fails, and while it runs) — and the findings about the
 * cluster as a whole above them.
 */
export function ClusterNodes({ live }: { live: LiveDiagnosis }) {
  const nodes = live.nodes ?? [];
  const done = new Map((live.run?.cluster?.nodes ?? []).map((n) => [n.endpoint, n]));
  const primary = new Set(live.run?.cluster?.primary ?? []);
  return (
    <section className="diag-cluster" aria-label="Cluster nodes">
      {live.run?.cluster?.findings.map((f) => (
        <p key={f} className="notice notice-warning diag-finding" role="alert">
          <strong>Cluster:</strong> {f}
        </p>
      ))}
      {nodes.map((n) => (
        <NodeSection key={n.endpoint} live={live} node={n} result={done.get(n.endpoint)} primary={primary.has(n.endpoint)} />
      ))}
    </section>
  );
}

function NodeSection({ live, node, result, primary }: { live: LiveDiagnosis; node: LiveNode; result: NodeDiagnosis | undefined; primary: boolean }) {
  const v = result?.verdict;
  const running = live.status === 'running' && !result;
  const finished = Object.keys(node.steps).length;
  const tone = v ? v.status : running ? 'running' : 'failed';
  return (
    <details className={`diag-node diag-node-${tone}`} open={running || (v !== undefined && !v.usable)} data-node={node.endpoint} data-status={v?.status ?? (running ? 'running' : 'none')}>
      <summary className="diag-node-head">
        <span className="diag-node-icon" aria-hidden>
          {running ? <span className="spinner" /> : v ? icons[v.status] : '–'}
        </span>
        <span className="diag-node-name">
          <strong className="mono">{node.endpoint}</strong>
          {result?.nodeName && <span className="muted"> {result.nodeName}</span>}
          {primary && <span className="badge diag-primary-badge">PRIMARY COMPONENT</span>}
        </span>
        <span className="diag-node-verdict">
          {v ? (
            <>
              <span className="diag-node-word">{words[v.status]}</span>
              {v.classId && (
                <span className={`class-chip${v.classId === 'unknown' ? ' class-unknown' : ''}`} title={diagnosticClassLabels[v.classId]}>
                  {v.classId}
                </span>
              )}
            </>
          ) : running ? (
            <span className="muted">
              {finished} of {live.plan.length || '…'} steps
            </span>
          ) : (
            <span className="muted">not finished</span>
          )}
        </span>
      </summary>
      <div className="diag-node-body">
        {v && v.status !== 'ok' && <p className="diag-node-headline">{v.headline}</p>}
        {v?.remedy && v.status !== 'ok' && (
          <p className={`diag-remedy remedy-${v.remedy.audience}`}>
            <span className="audience-badge">{remedyAudienceLabels[v.remedy.audience]}</span> {v.remedy.text}
          </p>
        )}
        <StepList live={{ status: live.status, plan: live.plan, steps: node.steps, ...(node.running ? { running: node.running } : {}) }} label={`Diagnostic steps of ${node.endpoint}`} />
      </div>
    </details>
  );
}
