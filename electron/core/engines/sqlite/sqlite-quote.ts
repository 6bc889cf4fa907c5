/** SQLite identifier quoting: wrap in double quotes, double any inside. */
export function quoteSqliteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('Identifiers cannot contain NUL characters.');
  return `"${name.replace(/"/g, '""')}"`;
}
