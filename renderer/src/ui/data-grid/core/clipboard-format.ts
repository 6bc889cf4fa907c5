import { isBytes, type CellValue } from '../../../../../shared/model/values';

export const copyFormats = ['tsv', 'csv', 'json', 'markdown'] as const;
export type CopyFormat = (typeof copyFormats)[number];

export const copyFormatLabels: Record<CopyFormat, string> = { tsv: 'TSV (spreadsheets)', csv: 'CSV', json: 'JSON', markdown: 'Markdown table' };

/** A cell as exact plain text: bytes as \x-hex, booleans as true/false. */
function plain(v: Exclude<CellValue, null>): string {
  if (isBytes(v)) return `\\x${v.bytes}`;
  return String(v);
}

function delimited(names: string[], rows: CellValue[][], delimiter: string, header: boolean): string {
  const needsQuotes = new RegExp(`["\\r\\n${delimiter === '\t' ? '\\t' : delimiter}]`);
  const field = (v: CellValue) => {
    if (v === null) return '';
    const s = plain(v);
    if (s === '') return '""';
    return needsQuotes.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = rows.map((r) => r.map(field).join(delimiter));
  if (header) lines.unshift(names.map((n) => field(n)).join(delimiter));
  return lines.join('\r\n');
}

function jsonValue(v: CellValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  return `\\x${v.bytes}`;
}

function markdownCell(v: CellValue): string {
  if (v === null) return '*NULL*';
  const s = plain(v);
  if (s === '') return '';
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r\n|\n|\r/g, '<br>');
}

/**
 * A selection as text for the clipboard. TSV (what spreadsheets paste) and CSV quote fields that
 * need it and keep the empty string (`""`) apart from NULL (an empty field); JSON keeps exact
 * values (big numbers stay strings); Markdown marks NULL as *NULL*.
 */
export function formatSelection(format: CopyFormat, columns: readonly string[], rows: CellValue[][], options: { header: boolean } = { header: true }): string {
  const names = [...columns];
  switch (format) {
    case 'tsv':
      return delimited(names, rows, '\t', options.header);
    case 'csv':
      return delimited(names, rows, ',', options.header);
    case 'json':
      return JSON.stringify(
        rows.map((r) => Object.fromEntries(names.map((n, i) => [n, jsonValue(r[i] ?? null)]))),
        null,
        2,
      );
    case 'markdown': {
      const head = `| ${names.map((n) => markdownCell(n)).join(' | ')} |`;
      const rule = `| ${names.map(() => '---').join(' | ')} |`;
      return [head, rule, ...rows.map((r) => `| ${r.map(markdownCell).join(' | ')} |`)].join('\n');
    }
  }
}
