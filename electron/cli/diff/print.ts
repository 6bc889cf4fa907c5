import type { CompareItem, CompareResult } from '../../../features/schema-compare/shared/compare-model';
import { itemLabel } from '../../../features/schema-compare/shared/compare-model';

const headings: Record<CompareItem['status'], string> = {
  added: 'Only in SOURCE (the migration creates them on TARGET):',
  changed: 'Different:',
  removed: 'Only in TARGET (the migration drops them):',
};

/** The differences as a person reads them in a terminal. */
export function compareText(r: CompareResult): string {
  const lines = [`SOURCE ${r.source.label} (${r.source.schema})`, `TARGET ${r.target.label} (${r.target.schema})`, ''];
  if (r.equal) {
    lines.push(`Equal: ${r.same} object${r.same === 1 ? '' : 's'} compared, no difference.`);
  } else {
    for (const status of ['added', 'changed', 'removed'] as const) {
      const items = r.items.filter((i) => i.status === status);
      if (!items.length) continue;
      lines.push(headings[status]);
      for (const i of items) {
        lines.push(`  ${itemLabel(i)}`);
        if (status === 'changed') for (const d of i.details) lines.push(`      ${d}`);
      }
      lines.push('');
    }
    const counts = (['added', 'changed', 'removed'] as const).map((s) => `${r.items.filter((i) => i.status === s).length} ${s}`).join(', ');
    lines.push(`Different: ${counts}; ${r.same} the same. The migration has ${r.migration.up.statements.length} statement${r.migration.up.statements.length === 1 ? '' : 's'} (--sql prints it).`);
    for (const l of r.migration.lint) lines.push(`  lint ${l.rule} (statement ${l.statementIndex}): ${l.message}`);
  }
  if (r.ignored.length) lines.push(`Left out: ${r.ignored.join(', ')} (migration tools' own tables).`);
  return `${lines.join('\n')}\n`;
}
