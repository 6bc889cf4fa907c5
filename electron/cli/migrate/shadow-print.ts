import { itemLabel } from '../../../features/schema-compare/shared/compare-model';
import type { DriftReport, RehearsalReport, ShadowInfo } from '../../../features/migrations/shared/shadow-model';

const driftHeadings = {
  added: 'Made outside the migrations (only the live database has them):',
  changed: 'Changed outside the migrations:',
  removed: 'Dropped outside the migrations (the migrations make them, the live database lacks them):',
} as const;

function shadowLine(s: ShadowInfo): string {
  const line = s.dropped ? `Shadow: ${s.description}, ${s.configured ? 'emptied' : 'dropped'}.` : `Shadow: ${s.dropError ?? s.description}`;
  const swept = (s.swept ?? []).map((x) => `\nSwept first: ${x.description}, left behind by a run that did not finish (made ${x.createdAt}).`).join('');
  return `${line}${swept}${s.sweepProblem ? `\nNote: ${s.sweepProblem}` : ''}`;
}

/** The drift check as a person reads it in a terminal. */
export function driftText(r: DriftReport): string {
  const lines = [`Drift of ${r.live} against the ${r.applied.length} applied migration${r.applied.length === 1 ? '' : 's'}:`, ''];
  if (!r.drift) lines.push(`No drift: ${r.same} object${r.same === 1 ? '' : 's'} compared, all as the migrations made them.`);
  else {
    for (const status of ['added', 'changed', 'removed'] as const) {
      const items = r.items.filter((i) => i.status === status);
      if (!items.length) continue;
      lines.push(driftHeadings[status]);
      for (const i of items) {
        lines.push(`  ${itemLabel(i)}`);
        if (status === 'changed') for (const d of i.details) lines.push(`      ${d}`);
      }
      lines.push('');
    }
    lines.push(`Drift: ${r.items.length} object${r.items.length === 1 ? '' : 's'} changed outside the migrations; ${r.same} as the migrations made them.`);
  }
  for (const w of r.warnings) lines.push(`Note: ${w}`);
  lines.push(shadowLine(r.shadow));
  return `${lines.join('\n')}\n`;
}

/** The rehearsal as a person reads it in a terminal. */
export function rehearsalText(r: RehearsalReport): string {
  const lines = [`Rehearsal of ${r.pending.length} pending migration${r.pending.length === 1 ? '' : 's'} on a shadow copy of ${r.live}:`];
  for (const d of r.done) lines.push(`  ok    ${d.version} ${d.name} (${d.statements} statement${d.statements === 1 ? '' : 's'})`);
  const f = r.failed;
  if (f) {
    lines.push(`  FAIL  ${f.version} ${f.name}, statement ${f.statementIndex} of ${f.statementsTotal}${f.file ? ` (${f.file}${f.line !== null ? ` line ${f.line}` : ''})` : ''}`);
    lines.push(`        ${f.sql.split('\n').join('\n        ')}`);
    lines.push(`        ${f.error.split('\n')[0]}`);
    if (f.explained) lines.push(`        ${f.explained.summary}`);
  }
  lines.push('', r.message);
  for (const c of r.rows.copied) lines.push(`  rows copied: ${c.table} (${c.rows})`);
  for (const w of r.warnings) lines.push(`Note: ${w}`);
  if (r.shadow) lines.push(shadowLine(r.shadow));
  lines.push(r.outcome === 'would-succeed' ? 'Production was not touched: run "dbdesk migrate up" to apply.' : 'Production was not touched.');
  return `${lines.join('\n')}\n`;
}
