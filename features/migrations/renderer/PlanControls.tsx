import type { PlanRequestInput } from '../../../shared/ipc/commands/migrations';
import type { MigrationEntry, MigrationPlan } from '../../../shared/model/migrations';
import { plural } from '../../../shared/text/plural';

export type PlanChoice =
  | { kind: 'up' }
  | { kind: 'up-to'; to?: string }
  | { kind: 'down-steps'; steps: number }
  | { kind: 'down-to'; to?: string }
  | { kind: 'baseline'; to?: string };

function requestOf(c: PlanChoice): PlanRequestInput | null {
  switch (c.kind) {
    case 'up':
      return { action: 'up' };
    case 'up-to':
      return c.to ? { action: 'up', to: c.to } : null;
    case 'down-steps':
      return { action: 'down', steps: c.steps };
    case 'down-to':
      return c.to ? { action: 'down', to: c.to } : null;
    case 'baseline':
      return c.to ? { action: 'baseline', to: c.to } : null;
  }
}

export function requestTitle(r: PlanRequestInput, plan: MigrationPlan): string {
  const n = plural(plan.steps.length, 'migration');
  if (r.action === 'up') return r.to ? `Apply ${n} up to ${r.to}` : `Apply ${n}`;
  if (r.action === 'down') return r.to ? `Revert ${n} down to ${r.to}` : `Revert ${n}`;
  if (r.action === 'baseline') return `Baseline at ${r.to}: record ${n} as applied`;
  return `Resume ${r.version}`;
}

/** What to plan: up (all or to a version), down (N steps or to a version), baseline at a version. */
export function PlanControls(props: {
  versions: MigrationEntry[];
  choice: PlanChoice;
  onChange(c: PlanChoice): void;
  onPlan(r: PlanRequestInput): void;
  canApply: boolean;
  onApply(): void;
  /** The shown plan applies migrations and nothing runs: it can be rehearsed on a shadow first. */
  canRehearse: boolean;
  onRehearse(): void;
  rehearseId?: string;
}) {
  const c = props.choice;
  const versioned = props.versions.filter((m) => !m.repeatable && m.file);
  const applied = versioned.filter((m) => m.state === 'applied' || m.state === 'edited');
  const request = requestOf(c);
  const versionList = c.kind === 'down-to' ? applied : versioned;
  return (
    <form
      className="plan-controls"
      onSubmit={(e) => {
        e.preventDefault();
        if (request) props.onPlan(request);
      }}
    >
      <label className="field">
        <span className="label">Action</span>
        <select
          value={c.kind}
          onChange={(e) => {
            const kind = e.target.value as PlanChoice['kind'];
            props.onChange(kind === 'down-steps' ? { kind, steps: 1 } : kind === 'up' ? { kind } : { kind });
          }}
        >
          <option value="up">Up: every pending migration</option>
          <option value="up-to">Up to a version</option>
          <option value="down-steps">Down: revert the newest N</option>
          <option value="down-to">Down to a version</option>
          <option value="baseline">Baseline: record as applied up to a version</option>
        </select>
      </label>
      {(c.kind === 'up-to' || c.kind === 'down-to' || c.kind === 'baseline') && (
        <label className="field">
          <span className="label">{c.kind === 'down-to' ? 'Keep applied up to' : 'Version'}</span>
          <select value={c.to ?? ''} onChange={(e) => props.onChange({ ...c, to: e.target.value || undefined })}>
            <option value="">Choose…</option>
            {c.kind === 'down-to' && <option value="0">nothing (revert everything)</option>}
            {versionList.map((m) => (
              <option key={m.version} value={m.version}>
                {m.version} {m.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {c.kind === 'down-steps' && (
        <label className="field">
          <span className="label">Steps</span>
          <input type="number" min={1} max={Math.max(1, applied.length)} value={c.steps} onChange={(e) => props.onChange({ kind: 'down-steps', steps: Math.max(1, Math.floor(Number(e.target.value) || 1)) })} />
        </label>
      )}
      <button className="btn" type="submit" disabled={!request}>
        Show plan
      </button>
      <button
        id={props.rehearseId}
        className="btn"
        type="button"
        disabled={!props.canRehearse}
        onClick={props.onRehearse}
        title="Run exactly these migrations on a shadow copy of this database first (dropped afterwards); the live database is only read"
      >
        Rehearse
      </button>
      <button className="btn btn-primary" type="button" disabled={!props.canApply} onClick={props.onApply}>
        Apply…
      </button>
    </form>
  );
}
