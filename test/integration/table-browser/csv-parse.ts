/** A strict RFC 4180 reader for the tests: an unquoted empty field is NULL, a quoted one the empty string. */
export function parseCsv(text: string, delimiter = ','): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let field: string | null;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else value += text[i++];
      }
      field = value;
    } else {
      let end = i;
      while (end < text.length && text[end] !== delimiter && text[end] !== '\r' && text[end] !== '\n') end++;
      field = end === i ? null : text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (text[i] === delimiter) i++;
    else if (text.startsWith('\r\n', i) || text[i] === '\n' || i >= text.length) {
      i += text.startsWith('\r\n', i) ? 2 : 1;
      rows.push(row);
      row = [];
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return rows;
}
