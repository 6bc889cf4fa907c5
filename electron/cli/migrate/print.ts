import { foreignToolLabels, isRunnableFormat, migrationFormatLabels, type ClusterSchemaCheck, type MigrationEntry, type MigrationPlan, type MigrationProgress, type MigrationStatus, tableSizeText, tablesOfPlan } from '../../../shared/model/migrations';

/** `status --json`: exactly the shape the issue fixes, nothing else. */
export function statusJson(s: MigrationStatus): unknown {
  return {
    format: s.format,
    migrations: s.migrations.map((m) => ({
      version: m.version,
      name: m.name,
      state: m.state,
      ...(m.statementsApplied !== undefined ? { statementsApplied: m.statementsApplied } : {}),
      ...(m.statementsTotal !== undefined ? { statementsTotal: m.statementsTotal } : {}),
      ...(m.error !== undefined ? { error: m.error } : {}),
      // Why the state is what it is when the histories disagree ("rolled back by dbmate after …").
      ...(m.note !== undefined ? { note: m.note } : {}),
    })),
    lock: s.lock ? { holder: s.lock.holder, since: s.lock.since } : null,
    // applied is null where the tool keeps no count (Alembic: its head revisions, in latest).
    foreign: s.foreign.map((f) => ({ tool: f.tool, table: f.table, applied: f.applied, latest: f.latest })),
  };
}

function stateText(m: MigrationEntry): string {
  if (m.state === 'failed' && m.statementsTotal !== undefined) {
    const at = m.errorStatement ?? (m.statementsApplied ?? 0) + 1;
    return `failed at ${at}/${m.statementsTotal}${m.failedDirection === 'down' ? ' (going down)' : ''}`;
  }
  return m.state;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function statusText(s: MigrationStatus, label: string): string {
  const lines: string[] = [];
  lines.push(`Database   ${s.database} (${label})${s.production ? '  PRODUCTION' : ''}`);
  lines.push(`Folder     ${s.dir}`);
  lines.push(`Format     ${migrationFormatLabels[s.format]}${s.empty && isRunnableFormat(s.format) ? ' — empty folder, new migrations use this format' : ''}`);
  lines.push(`Lock       ${s.lock ? `held by ${s.lock.holder}${s.lock.since ? ` since ${s.lock.since}` : ''}${s.lock.stale ? ' (stale)' : ''}` : 'free'}`);
  if (s.galera) lines.push(`Galera     wsrep_OSU_method = ${s.galera.osuMethod}`);
  for (const f of s.foreign) {
    lines.push(`History    ${foreignToolLabels[f.tool]}: ${f.table}, ${f.summary}${f.matchesFolder ? ' — the folder’s tool: its table decides what is applied' : ''}`);
    for (const m of f.markers) lines.push(`           ! ${m}`);
  }
  for (const p of s.problems) lines.push(`Problem    ${p}`);
  lines.push('');
  if (s.migrations.length === 0) {
    lines.push('No migrations yet.');
    return lines.join('\n');
  }
  const rows = [['VERSION', 'NAME', 'STATE', 'APPLIED']];
  for (const m of s.migrations) rows.push([m.version, m.name, stateText(m), m.appliedAt ? `${m.appliedAt}${m.appliedBy ? ` by ${m.appliedBy}` : ''}` : '']);
  lines.push(...table(rows));
  const notes = s.migrations.filter((m) => m.error || m.note);
  if (notes.length > 0) lines.push('');
  for (const m of notes) {
    if (m.error) lines.push(`${m.version}: ${m.error.split('\n').join('\n    ')}`);
    if (m.errorSql) lines.push(`    statement ${m.errorStatement ?? '?'}: ${m.errorSql.split('\n')[0]}`);
    if (m.note) lines.push(`${m.version}: ${m.note}`);
  }
  return lines.join('\n');
}

/** After a Galera run: the schema compared on every node, and every difference. */
export function schemaCheckText(c: ClusterSchemaCheck): string {
  const lines = ['', `Schema check: ${c.summary}`];
  for (const n of c.nodes) {
    const state = n.error ? `NOT CHECKED — ${n.error}` : `${n.objects} objects${n.caughtUp ? '' : ' (had not caught up)'}`;
    lines.push(`  ${n.reference ? '*' : ' '} ${n.endpoint}${n.name ? ` (${n.name})` : ''}: ${state}`);
  }
  for (const d of c.differences) {
    lines.push(`  ≠ ${d.object}`);
    for (const v of d.values) lines.push(`      ${v.endpoint}: ${v.definition ?? '(missing)'}`);
  }
  if (c.moreDifferences > 0) lines.push(`  … and ${c.moreDifferences} more differences`);
  return lines.join('\n');
}

export function planText(p: MigrationPlan): string {
  const lines: string[] = [];
  const what = p.action === 'up' ? 'apply' : p.action === 'down' ? 'revert' : p.action === 'baseline' ? 'record as applied (baseline)' : 'resume';
  lines.push(`Plan: ${what} ${p.steps.length} migration${p.steps.length === 1 ? '' : 's'} on ${p.database}${p.production ? ' (PRODUCTION)' : ''}`);
  lines.push(`Lock: ${p.lock.description}`);
  for (const s of p.settings) lines.push(`Setting: ${s.name} = ${s.value} — ${s.why}`);
  lines.push(`Transactions: ${p.transactions}`);
  if (p.galera) {
    lines.push(`Galera: wsrep_OSU_method = ${p.galera.osuMethod}. ${p.galera.warning}`);
    const touched = tablesOfPlan(p.steps);
    if (touched.length) lines.push(`Galera: the tables it changes — ${touched.map(tableSizeText).join('; ')}. Choose a low-traffic time for the biggest.`);
  }
  if (p.startsFrom) lines.push(`Starts from: ${p.startsFrom}`);
  for (const m of p.mirrors) lines.push(`Also: ${m}`);
  for (const step of p.steps) {
    lines.push('');
    lines.push(`== ${step.version} ${step.name} (${step.direction}) ${step.file ?? ''}`.trimEnd());
    for (const n of step.notes) lines.push(`   note: ${n}`);
    if (step.tables.length) lines.push(`   tables: ${step.tables.map(tableSizeText).join('; ')}`);
    for (const unit of step.units) {
      if (unit.kind === 'transaction') lines.push('   BEGIN');
      for (const st of unit.statements) {
        const head = `   ${unit.kind === 'transaction' ? '  ' : ''}${String(st.index).padStart(3)}  `;
        const body = st.sql.split('\n');
        lines.push(`${head}${body[0]}`);
        for (const b of body.slice(1)) lines.push(`${' '.repeat(head.length)}${b}`);
        if (st.nonTransactional) lines.push(`${' '.repeat(head.length)}-- runs alone, outside a transaction: ${st.nonTransactional}`);
        else if (unit.kind === 'autocommit') lines.push(`${' '.repeat(head.length)}-- commits by itself`);
      }
      if (unit.kind === 'transaction') lines.push('   COMMIT');
    }
    for (const w of step.lint) {
      lines.push(`   ! ${w.rule} (statement ${w.statementIndex}, line ${w.line}): ${w.message}`);
      if (w.suggestion) lines.push(`     → ${w.suggestion}`);
    }
  }
  if (p.warnings.length > 0) lines.push('', ...p.warnings.map((w) => `Warning: ${w}`));
  if (p.blockers.length > 0) lines.push('', 'Blocked — nothing can run until this is resolved:', ...p.blockers.map((b) => `  - ${b}`));
  if (p.steps.length === 0 && p.blockers.length === 0) lines.push('', 'Nothing to do.');
  return lines.join('\n');
}

export function progressLine(p: MigrationProgress): string | null {
  switch (p.kind) {
    case 'waiting-for-lock':
      return null;
    case 'statement-started':
      return `    [${p.statementIndex}/${p.statementsTotal}] ${p.sql ?? ''}`;
    case 'migration-started':
    case 'migration-finished':
    case 'migration-failed':
    case 'locked':
    case 'schema-check':
    case 'shadow':
      return `  ${p.message}`;
    default:
      return null;
  }
}
