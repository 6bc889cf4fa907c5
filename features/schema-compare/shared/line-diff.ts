/** One row of two texts set side by side: a line of each (null where that side has none there). */
export interface SideBySideRow {
  source: string | null;
  target: string | null;
  /** same: both sides alike; changed: a line each, different; source-only / target-only: one side's line. */
  kind: 'same' | 'changed' | 'source-only' | 'target-only';
}

/** Above this many line pairs the texts are set side by side without matching (a cell per pair would be too much). */
const MAX_CELLS = 4_000_000;

/**
 * Two texts line by line, aligned on their longest common subsequence of lines: equal lines face
 * each other, and between two equal stretches the lines that differ pair up as `changed` (the rest
 * of the longer run stays on its own side). Either text may be null (the object exists on one side).
 */
export function sideBySide(source: string | null, target: string | null): SideBySideRow[] {
  const a = source === null ? [] : source.split('\n');
  const b = target === null ? [] : target.split('\n');
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) return pairUp(a, b);
  // lcs[i][j]: the common lines of a[i..] and b[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[at(i, j)] = a[i] === b[j] ? lcs[at(i + 1, j + 1)]! + 1 : Math.max(lcs[at(i + 1, j)]!, lcs[at(i, j + 1)]!);
  }
  const rows: SideBySideRow[] = [];
  let onlyA: string[] = [];
  let onlyB: string[] = [];
  const flush = () => {
    rows.push(...pairUp(onlyA, onlyB));
    onlyA = [];
    onlyB = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      rows.push({ source: a[i]!, target: b[j]!, kind: 'same' });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[at(i + 1, j)]! >= lcs[at(i, j + 1)]!)) onlyA.push(a[i++]!);
    else onlyB.push(b[j++]!);
  }
  flush();
  return rows;
}

/** Lines that differ, paired in order: the shorter run's lines face the longer's first ones. */
function pairUp(a: string[], b: string[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const s = a[k] ?? null;
    const t = b[k] ?? null;
    rows.push({ source: s, target: t, kind: s !== null && t !== null ? (s === t ? 'same' : 'changed') : s !== null ? 'source-only' : 'target-only' });
  }
  return rows;
}
