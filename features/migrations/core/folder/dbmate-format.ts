import type { MigrationSection } from './migration-file';

/** dbmate's file name rule (pkg/dbmate/db.go): the version is the leading run of digits. */
export const DBMATE_FILE = /^(\d+)(?:_(.*))?\.sql$/i;

const DIRECTIVE = /^--\s*migrate:(up|down)(?:\s*$|\s+(\S.*)$)/;

export interface DbmateSections {
  up: MigrationSection[];
  down: MigrationSection[];
}

export class DbmateParseError extends Error {
  override name = 'DbmateParseError';
}

/** Whether a file's text has dbmate's `-- migrate:up` directive (how a dbmate folder is recognised). */
export function hasDbmateDirective(text: string): boolean {
  return text.split(/\r?\n/).some((l) => DIRECTIVE.test(l) && l.includes('migrate:up'));
}

/**
 * Reads the `-- migrate:up` / `-- migrate:down` sections of a dbmate file (pkg/dbmate/migration.go).
 * Options follow the directive as key:value (`-- migrate:up transaction:false`); only `transaction`
 * exists. Like dbmate, nothing but comments and blank lines may come before the first directive.
 * Files with several up/down pairs (dbmate ≥ 2.20) give several sections.
 */
export function parseDbmate(text: string): DbmateSections {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: DbmateSections = { up: [], down: [] };
  let current: { kind: 'up' | 'down'; transaction: boolean; start: number; body: string[] } | null = null;
  const close = () => {
    if (current) out[current.kind].push({ sql: current.body.join('\n'), transaction: current.transaction, firstLine: current.start });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = DIRECTIVE.exec(line);
    if (m) {
      close();
      current = { kind: m[1] as 'up' | 'down', transaction: parseTransactionOption(m[2] ?? '', i + 1), start: i + 2, body: [] };
      continue;
    }
    if (current) current.body.push(line);
    else if (line.trim() !== '' && !line.trim().startsWith('--')) {
      throw new DbmateParseError(`line ${i + 1} has SQL before the first "-- migrate:up"; dbmate allows only comments there`);
    }
  }
  close();
  if (out.up.length === 0) throw new DbmateParseError('it has no "-- migrate:up" section');
  return out;
}

function parseTransactionOption(options: string, line: number): boolean {
  let transaction = true;
  for (const pair of options.split(/\s+/).filter(Boolean)) {
    const [key, value] = pair.split(':');
    if (key === 'transaction' && (value === 'true' || value === 'false')) transaction = value === 'true';
    else throw new DbmateParseError(`line ${line}: unknown option "${pair}" (dbmate knows only transaction:true|false)`);
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
