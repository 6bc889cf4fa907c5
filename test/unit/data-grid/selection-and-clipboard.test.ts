import { describe, expect, it } from 'vitest';
import { formatSelection } from '../../../renderer/src/ui/data-grid/core/clipboard-format';
import { cellText } from '../../../renderer/src/ui/data-grid/core/cell-text';
import { navigate, rangeOf, type Selection } from '../../../renderer/src/ui/data-grid/core/selection';

const at = (row: number, col: number): Selection => ({ active: { row, col }, anchor: { row, col } });
const size = { rows: 1_000_000, cols: 5, pageRows: 20 };
const key = (k: string, shift = false, mod = false) => ({ key: k, shift, mod });

describe('keyboard navigation', () => {
  it('moves with arrows, pages, Home/End and Ctrl+Home/End, staying inside', () => {
    expect(navigate(at(5, 2), key('ArrowDown'), size)!.active).toEqual({ row: 6, col: 2 });
    expect(navigate(at(0, 0), key('ArrowUp'), size)!.active).toEqual({ row: 0, col: 0 });
    expect(navigate(at(0, 4), key('ArrowRight'), size)!.active).toEqual({ row: 0, col: 4 });
    expect(navigate(at(50, 1), key('PageDown'), size)!.active).toEqual({ row: 70, col: 1 });
    expect(navigate(at(5, 1), key('PageUp'), size)!.active).toEqual({ row: 0, col: 1 });
    expect(navigate(at(50, 3), key('Home'), size)!.active).toEqual({ row: 50, col: 0 });
    expect(navigate(at(50, 1), key('End'), size)!.active).toEqual({ row: 50, col: 4 });
    expect(navigate(at(50, 1), key('End', false, true), size)!.active).toEqual({ row: 999_999, col: 4 });
    expect(navigate(at(50, 3), key('Home', false, true), size)!.active).toEqual({ row: 0, col: 0 });
    expect(navigate(at(50, 3), key('ArrowDown', false, true), size)!.active).toEqual({ row: 999_999, col: 3 });
    expect(navigate(at(1, 1), key('a'), size)).toBeNull();
  });

  it('extends the selection with Shift from its anchor', () => {
    const s1 = navigate(at(10, 1), key('ArrowDown', true), size)!;
    const s2 = navigate(s1, key('ArrowRight', true), size)!;
    expect(rangeOf(s2)).toEqual({ top: 10, bottom: 11, left: 1, right: 2 });
    const s3 = navigate(s2, key('ArrowUp'), size)!;
    expect(rangeOf(s3)).toEqual({ top: 10, bottom: 10, left: 2, right: 2 });
  });
});

describe('copying a selection', () => {
  const cols = ['id', 'note', 'blob'];
  const rows = [
    [1, 'tab\there', { bytes: 'ff00', size: 2, truncated: false }],
    ['9223372036854775807', '', null],
    [3, 'quote " and | pipe\nline', { bytes: '01', size: 1, truncated: false }],
  ];

  it('as TSV and CSV: quoted where needed, NULL empty, the empty string as ""', () => {
    expect(formatSelection('tsv', cols, rows)).toBe('id\tnote\tblob\r\n1\t"tab\there"\t\\xff00\r\n9223372036854775807\t""\t\r\n3\t"quote "" and | pipe\nline"\t\\x01');
    expect(formatSelection('csv', cols, rows, { header: false }).split('\r\n')[1]).toBe('9223372036854775807,"",');
  });

  it('as JSON with exact values and as Markdown with NULL marked', () => {
    expect(JSON.parse(formatSelection('json', cols, rows))).toEqual([
      { id: 1, note: 'tab\there', blob: '\\xff00' },
      { id: '9223372036854775807', note: '', blob: null },
      { id: 3, note: 'quote " and | pipe\nline', blob: '\\x01' },
    ]);
    expect(formatSelection('markdown', cols, rows).split('\n')).toEqual([
      '| id | note | blob |',
      '| --- | --- | --- |',
      '| 1 | tab\there | \\\\xff00 |',
      '| 9223372036854775807 |  | *NULL* |',
      '| 3 | quote " and \\| pipe<br>line | \\\\x01 |',
    ]);
  });
});

describe('cell text', () => {
  it('says NULL, shows bytes with size, marks line breaks', () => {
    expect(cellText(null, 'text')).toBe('NULL');
    expect(cellText('', 'text')).toBe('');
    expect(cellText({ bytes: '89504e47', size: 300, truncated: true }, 'bytes')).toBe('\\x89504e47… (300 B)');
    expect(cellText('a\nb\tc', 'text')).toBe('a↵b⇥c');
    expect(cellText(false, 'boolean')).toBe('false');
  });
});
