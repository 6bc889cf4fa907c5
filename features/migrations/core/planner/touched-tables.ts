import type { IdentifierRules } from '../../../../shared/sql/identifier-rules';
import { normaliseName, parseStatement, QUALIFIED, splitTopLevel } from '../lint/parse-statement';

/** Statement shapes that write to (or lock) an existing table besides ALTER/DROP/CREATE INDEX, which lint already parses. */
const WRITES: RegExp[] = [
  new RegExp(`^UPDATE\\s+(?:LOW_PRIORITY\\s+|IGNORE\\s+|ONLY\\s+)*(${QUALIFIED})`, 'i'),
  new RegExp(`^DELETE\\s+(?:LOW_PRIORITY\\s+|QUICK\\s+|IGNORE\\s+)*FROM\\s+(?:ONLY\\s+)?(${QUALIFIED})`, 'i'),
  new RegExp(`^(?:INSERT|REPLACE)\\s+(?:LOW_PRIORITY\\s+|DELAYED\\s+|HIGH_PRIORITY\\s+|IGNORE\\s+|OR\\s+\\w+\\s+)*(?:INTO\\s+)?(${QUALIFIED})`, 'i'),
  new RegExp(`^TRUNCATE\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?(${QUALIFIED})`, 'i'),
  new RegExp(`^(?:OPTIMIZE|ANALYZE)\\s+(?:NO_WRITE_TO_BINLOG\\s+|LOCAL\\s+)?TABLE\\s+(${QUALIFIED})`, 'i'),
];

/**
 * The existing tables a statement changes, unqualified and named as the server stores them (`rules`:
 * the engine's case folding): the ones whose size tells how long it may run (and, on Galera with TOI,
 * how long the whole cluster waits).
 */
export function tablesTouched(statement: { skeleton: string; leadingComments: string[]; sql: string; startLine: number; endLine: number; index: number }, rules: IdentifierRules): string[] {
  const p = parseStatement(statement, rules);
  switch (p.kind) {
    case 'alter-table':
      return [p.table];
    case 'drop-table':
      return p.tables;
    case 'create-index':
      return p.table ? [p.table] : [];
    case 'create-table':
      return [];
    default:
      break;
  }
  const s = statement.skeleton;
  const rename = new RegExp(`^RENAME\\s+TABLE\\s+([\\s\\S]+)$`, 'i').exec(s);
  if (rename) return splitTopLevel(rename[1]!).map((pair) => normaliseName(pair.split(/\s+TO\s+/i)[0]!.trim(), rules));
  for (const re of WRITES) {
    const m = re.exec(s);
    if (m) return [normaliseName(m[1]!, rules)];
  }
  return [];
}
