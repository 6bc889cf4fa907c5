import { describeChange, diffDesigns } from '../../../features/designer/shared/diff';
import { rekeyByName, type DesignSchema } from '../../../features/designer/shared/model';
import { dialectFor } from '../../../electron/core/engines/dialects';

/** Differences between what was designed and what the database has now, in words (empty: equal). */
export function differences(expected: DesignSchema, actual: DesignSchema): string[] {
  const rules = dialectFor(expected.engine).designDialect(expected.engine).rules;
  const a = rekeyByName(expected);
  const b = rekeyByName(actual);
  return diffDesigns(a, b, rules).map((c) => {
    const d = describeChange(c, a, b);
    return `${d.table}: ${d.text}`;
  });
}
