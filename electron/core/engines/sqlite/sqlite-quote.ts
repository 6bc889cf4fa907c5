import { CoreError } from '../../errors';

/** SQLite identifier quoting: wrap in double quotes, double any inside. */
export function quoteSqliteIdent(name: string): string {
  if (name.includes('\u0000')) throw new CoreError('invalid-input', 'A name cannot contain the NUL character.');
  return `"${name.replace(/"/g, '""')}"`;
}
