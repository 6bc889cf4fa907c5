/**
 * Small scans over MySQL/MariaDB SQL text: strings ('…' and "…", with backslash and doubled-quote
 * escapes) and comments are skipped, `backquoted` names are found.
 */
function scan(text: string, onName: (name: string, start: number, end: number) => void): void {
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      i++;
      while (i < text.length) {
        if (text[i] === '\\') i += 2;
        else if (text[i] === ch && text[i + 1] === ch) i += 2;
        else if (text[i] === ch) break;
        else i++;
      }
      i++;
    } else if (ch === '`') {
      let j = i + 1;
      let name = '';
      while (j < text.length) {
        if (text[j] === '`' && text[j + 1] === '`') {
          name += '`';
          j += 2;
        } else if (text[j] === '`') break;
        else name += text[j++];
      }
      onName(name, i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if ((ch === '-' && text[i + 1] === '-' && /\s/.test(text[i + 2] ?? ' ')) || ch === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else i++;
  }
}

/** Every `backquoted` name in the text, in order (strings and comments skipped). */
export function backquotedNames(text: string): string[] {
  const out: string[] = [];
  scan(text, (name) => out.push(name));
  return out;
}

/**
 * The text with `schema`. removed wherever it qualifies a name: view definitions come back as
 * `select `shop`.`t`.`id` from `shop`.`t``, and a compare of two databases must not see their names.
 */
export function withoutOwnSchema(text: string, schema: string): string {
  const cuts: [number, number][] = [];
  scan(text, (name, start, end) => {
    if (name === schema && text[end] === '.') cuts.push([start, end + 1]);
  });
  let out = '';
  let at = 0;
  for (const [s, e] of cuts) {
    out += text.slice(at, s);
    at = e;
  }
  return out + text.slice(at);
}
