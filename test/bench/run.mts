// `npm run bench [-- filter]`: every figure, each against its baseline measured in the same run;
// writes test/bench/results.json and prints a table. Not a test: nothing here fails on a slow number.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure, FigureModule } from './figure';

// tsx runs this file as CommonJS (the package has no "type": "module"): no top-level await, and __dirname instead of import.meta.
const here = typeof __dirname !== 'undefined' ? __dirname : fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
const figures: Figure[] = [];
const failures: string[] = [];

async function main(): Promise<void> {
  for (const file of readdirSync(join(here, 'figures')).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = (await import(join(here, 'figures', file))).default as FigureModule;
    if (filter && !mod.ids.some((id) => id.includes(filter))) continue;
    process.stdout.write(`measuring ${mod.ids.join(', ')} … `);
    try {
      const got = await mod.run();
      figures.push(...got);
      console.log('done');
    } catch (err) {
      failures.push(`${file}: ${(err as Error).stack ?? err}`);
      console.log(`FAILED: ${(err as Error).message}`);
    }
  }

  // A filtered run replaces only the figures it measured; the others stay as the last full run left them.
  const resultsFile = join(here, 'results.json');
  const measured = new Set(figures.map((f) => f.id));
  const kept: Figure[] = filter && existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { figures: Figure[] }).figures.filter((f) => !measured.has(f.id))
    : [];
  const all = [...kept, ...figures].sort((a, b) => a.id.localeCompare(b.id));
  writeFileSync(resultsFile, JSON.stringify({ measuredAt: new Date().toISOString(), figures: all }, null, 2) + '\n');

  const rows = figures.map((f) => [f.id, `${f.value} ${f.unit}`, f.baseline === null ? '—' : `${f.baseline} ${f.unit}`, f.ratio === null ? '—' : String(f.ratio), f.goal ?? '', f.note ?? '']);
  const head = ['figure', 'ours', 'baseline', 'ratio', 'goal', 'baseline is'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log('\n' + line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  if (failures.length) {
    console.error('\nFigures that could not be measured:\n' + failures.join('\n'));
    process.exitCode = 1;
  }
}

void main().finally(() => process.exit());
