/** The first place `word` appears as a whole name (bare or quoted), case-insensitively. */
export function findWord(sql: string, word: string): number | null {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[^\\w$])([\`"\\[]?)${escaped}(?![\\w$])`, 'i').exec(sql);
  return m ? m.index + m[1]!.length + m[2]!.length : null;
}
