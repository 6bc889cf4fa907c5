import type { BoundValue, PlannedStatement } from '../../../../shared/model/table-query';
import { plural } from '../../../../shared/text/plural';

/** A bound value as it is sent: text quoted, numbers (exact ones with every digit) bare, bytes as hex. */
export function literalForDisplay(v: BoundValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'object') return 'number' in v ? v.number : `x'${v.bytes}${v.truncated ? '…' : ''}' (${plural(v.size, 'byte')})`;
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  return String(v);
}

/** The statements as one script: each with the values bound to it, as a comment beneath. */
export function scriptOf(statements: PlannedStatement[]): string {
  const transactions = statements.filter((s) => s.purpose === 'begin').length;
  let nth = 0;
  return statements
    .map((s) => {
      const head =
        s.purpose === 'check'
          ? '-- Is the row still as it was read? (no row, or different values: conflict)\n'
          : s.purpose === 'begin' && transactions > 1
            ? `-- Transaction ${++nth} of ${transactions}: commits on its own\n`
            : '';
      const params = s.params.length ? `\n--   bound: ${s.params.map((p, i) => `[${i + 1}] ${literalForDisplay(p)}`).join(', ')}` : '';
      return `${head}${s.sql};${params}`;
    })
    .join('\n\n');
}
