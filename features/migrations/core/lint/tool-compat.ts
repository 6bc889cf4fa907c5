import type { LintWarning, MigrationFormat } from '../../../../shared/model/migrations';
import type { MigrationSection } from '../folder/migration-file';
import { suppressed } from './lint';

/** A statement as the tool-compatibility rule sees it: where it is, and why it cannot run in a transaction. */
export interface CompatStatement {
  index: number;
  line: number;
  leadingComments: string[];
  /** The engine's reason it cannot run inside a transaction, or null. */
  nonTransactional: string | null;
  section: MigrationSection;
}

/**
 * Where DB Desk is more lenient than the folder's tool on purpose (it runs a statement that cannot
 * be in a transaction alone), a warning that the tool itself would fail on this file — so a
 * teammate's `dbmate up` or `flyway migrate` on another database would break:
 * - dbmate runs every section in one transaction unless its directive says `transaction:false`;
 * - Flyway runs such a statement outside a transaction itself, but by default (mixed=false) refuses
 *   a migration that also holds statements that need one.
 */
export function toolCompatibility(format: MigrationFormat, version: string, statements: CompatStatement[]): LintWarning[] {
  const out: LintWarning[] = [];
  const warn = (st: CompatStatement, message: string, suggestion: string) => {
    if (!suppressed(st, 'tool-incompatible')) out.push({ rule: 'tool-incompatible', version, statementIndex: st.index, line: st.line, message, suggestion });
  };
  if (format === 'dbmate') {
    for (const st of statements.filter((s) => s.nonTransactional && s.section.transaction)) {
      warn(
        st,
        `dbmate runs this section in a transaction, where this statement fails (${st.nonTransactional}). DB Desk runs it alone, but \`dbmate up\` on another database would stop here.`,
        `Put it in a section of its own marked "-- migrate:up transaction:false" (or add transaction:false to the directive on line ${st.section.firstLine - 1}).`,
      );
    }
  }
  if (format === 'flyway') {
    const inFile = statements.filter((s) => s.section.transaction);
    const alone = inFile.filter((s) => s.nonTransactional);
    if (alone.length > 0 && alone.length < inFile.length) {
      for (const st of alone) {
        warn(
          st,
          `Flyway runs this statement outside a transaction (${st.nonTransactional}) and, by default (mixed = false), refuses a migration that mixes it with statements that run in one. DB Desk runs it alone, but \`flyway migrate\` would stop at this file.`,
          'Move it into a migration of its own, or set flyway.mixed=true for this project.',
        );
      }
    }
  }
  return out;
}
