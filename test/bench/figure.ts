/**
 * One benchmark figure. `value` is ours, `baseline` the reference measured in the same run.
 * `ratio` compares them as speed: baseline time ÷ our time for times, our throughput ÷ the
 * baseline's for throughputs — 1.0 means as fast as the reference, higher is better.
 */
export interface Figure {
  id: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  /** What the baseline is, and anything a reader needs to trust the number. */
  note?: string;
  /** The goal the issue names, for the printed table ("≤ 1000 ms"). */
  goal?: string;
}

export interface FigureModule {
  /** Ids this module measures (used by `npm run bench -- <filter>`). */
  ids: string[];
  run(): Promise<Figure[]>;
}

export function timeRatio(ourMs: number, baselineMs: number): number {
  return round(baselineMs / ourMs, 3);
}

export function throughputRatio(ours: number, baseline: number): number {
  return round(ours / baseline, 3);
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Median of n runs of fn, in ms. */
export async function medianMs(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
