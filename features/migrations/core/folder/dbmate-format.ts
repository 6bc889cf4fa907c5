import type { MigrationSection } from './migration-file';

/**
 * dbmate's file name rule (pkg/dbmate/db.go, `^(\d+).*\.sql$`, case-sensitive, top level only):
 * the version is the leading run of digits; every such file is a migration to dbmate, whatever
 * it holds. The name shown is what follows the digits (and an underscore).
 */
export const DBMATE_FILE = /^(\d+)_?(.*)\.sql$/;

const DIRECTIVE = /^--\s*migrate:(up|down)(?:\s*$|\s+(\S.*)$)/;

export interface DbmateSections {
  up: MigrationSection[];
  down: MigrationSection[];
  /** Options dbmate silently ignores (a typo such as `transactions:false` would otherwise go unnoticed). */
  warnings: string[];
}

/** A file dbmate refuses to run: its own words, and what to change. */
export class DbmateParseError extends Error {
  override name = 'DbmateParseError';
  constructor(
    /** dbmate's error text (pkg/dbmate/migration.go), as `dbmate up` prints it. */
    readonly dbmateError: string,
    readonly remedy: string,
  ) {
    super(`dbmate refuses it ("${dbmateError}"). ${remedy}`);
  }
}

/** Whether a file's text has dbmate's `-- migrate:up` directive (how a dbmate folder is recognised). */
export function hasDbmateDirective(text: string): boolean {
  return text.split(/\r?\n/).some((l) => DIRECTIVE.exec(l)?.[1] === 'up');
}

interface Directive {
  kind: 'up' | 'down';
  line: number;
  options: string;
}

/**
 * Reads a dbmate file as dbmate 2.x does (pkg/dbmate/migration.go), refusing what it refuses:
 * - nothing but blank and comment lines before the first `-- migrate:up`;
 * - the file is cut at every `-- migrate:up`; each piece needs exactly one `-- migrate:down` after its up;
 * - options are `key:value` words after the directive; dbmate knows only `transaction`, and runs
 *   the section in a transaction unless the value is exactly `false` (anything else is ignored).
 * Several up/down pairs parse (dbmate ≥ 2.20), but dbmate cannot apply them (see readDbmate).
 */
export function parseDbmate(text: string): DbmateSections {
  const lines = text.replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, ''));
  const directives: Directive[] = [];
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (m) directives.push({ kind: m[1] as 'up' | 'down', line: i, options: m[2] ?? '' });
  });
  const ups = directives.filter((d) => d.kind === 'up');
  if (ups.length === 0) {
    throw new DbmateParseError("dbmate requires each migration to define an up block with '-- migrate:up'", 'Put "-- migrate:up" on the line before its SQL (and "-- migrate:down" before the SQL that undoes it).');
  }
  const before = lines.slice(0, ups[0]!.line).findIndex((l) => l.trim() !== '' && !/^\s*--/.test(l));
  if (before >= 0) {
    throw new DbmateParseError(
      "dbmate does not support statements preceding the '-- migrate:up' block",
      `Line ${before + 1} holds SQL before "-- migrate:up": move it below the directive (only comments may come first).`,
    );
  }
  const out: DbmateSections = { up: [], down: [], warnings: [] };
  const section = (from: Directive, to: number): MigrationSection => ({
    sql: lines.slice(from.line + 1, to).join('\n'),
    transaction: transactionOption(from, out.warnings),
    firstLine: from.line + 2,
  });
  ups.forEach((up, i) => {
    const end = ups[i + 1]?.line ?? lines.length;
    const downs = directives.filter((d) => d.kind === 'down' && d.line > up.line && d.line < end);
    if (downs.length > 1) {
      throw new DbmateParseError("dbmate requires every '-- migrate:down' to be preceded by a '-- migrate:up'", `Lines ${downs.map((d) => d.line + 1).join(' and ')} both start a down block after the up block on line ${up.line + 1}: keep one.`);
    }
    if (downs.length === 0) {
      throw new DbmateParseError(
        "dbmate requires each migration to define a down block with '-- migrate:down'",
        `The up block on line ${up.line + 1} has no "-- migrate:down" after it: add one (it may be left empty)${ups.length > 1 ? ', or merge the up blocks into one' : ''}.`,
      );
    }
    out.up.push(section(up, downs[0]!.line));
    out.down.push(section(downs[0]!, end));
  });
  return out;
}

/** dbmate's options: `key:value` words; `transaction` is false only when written exactly `false`. */
function transactionOption(d: Directive, warnings: string[]): boolean {
  let transaction = true;
  for (const word of d.options.split(/\s+/).filter(Boolean)) {
    const pair = word.split(':');
    if (pair.length === 2 && pair[0] === 'transaction') {
      transaction = pair[1] !== 'false';
      if (pair[1] !== 'false' && pair[1] !== 'true') warnings.push(`Line ${d.line + 1}: dbmate reads "${word}" as transaction:true (only "false" turns the transaction off).`);
    } else {
      warnings.push(`Line ${d.line + 1}: dbmate ignores the option "${word}" (it knows only transaction:false).`);
    }
  }
  return transaction;
}

/**
 * The text of a new migration file in dbmate's format. `transaction: false` writes dbmate's
 * `transaction:false` option on both sections (the SQL manages its own transaction, e.g. a SQLite
 * table rebuild that must turn foreign keys off outside any transaction).
 */
export function dbmateFileText(up: string, down: string, options: { transaction?: boolean } = {}): string {
  const body = (s: string) => (s.trim() === '' ? '\n' : `${s.trim()}\n`);
  const opt = options.transaction === false ? ' transaction:false' : '';
  return `-- migrate:up${opt}\n${body(up)}\n-- migrate:down${opt}\n${body(down)}`;
}
