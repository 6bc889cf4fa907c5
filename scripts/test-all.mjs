// `npm test`: every suite, one after another — typecheck (tsc), the linter (ESLint), unit, integration
// (real PostgreSQL, MariaDB, SQLite), e2e (Chromium), galera (a real three-node cluster) — then one line:
// "N passed, N failed" (a lint failure counts as one failed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const suites = (process.env.DBDESK_SUITES ?? 'typecheck,lint,unit,integration,e2e,galera').split(',');
const outDir = 'test-results';
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let broken = false;
for (const suite of suites) {
  const started = Date.now();
  console.log(`\n=== ${suite} ===`);
  if (suite === 'typecheck') {
    // `npm run typecheck`: the whole tree, electron/app against Electron's own types, counted as one check
    // (each error reported as one failure).
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], { encoding: 'utf8' });
    process.stdout.write(tsc.stdout + tsc.stderr);
    const errors = (tsc.stdout.match(/error TS\d+/g) ?? []).length;
    if (tsc.status === 0) passed += 1;
    else failed += Math.max(errors, 1);
    console.log(`typecheck: ${tsc.status === 0 ? '1 passed, 0 failed' : `0 passed, ${Math.max(errors, 1)} failed`} in ${Math.round((Date.now() - started) / 1000)} s`);
    continue;
  }
  if (suite === 'lint') {
    const lint = spawnSync(process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.'], { stdio: 'inherit' });
    if (lint.status === 0) passed += 1;
    else failed += 1;
    console.log(`lint: ${lint.status === 0 ? 'clean' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s`);
    continue;
  }
  const out = join(outDir, `${suite}.json`);
  const run = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--project', suite, '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    { stdio: 'inherit', env: { ...process.env, DBDESK_SKIP_BUILD: '1' } },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    console.log(`${suite}: no report (vitest exited with ${run.status})`);
    failed += 1;
    broken = true;
    continue;
  }
  // A test file that fails to load has no tests but is a failure all the same.
  const fileErrors = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  passed += report.numPassedTests;
  failed += report.numFailedTests + fileErrors;
  if (run.status !== 0 && report.numFailedTests + fileErrors === 0) {
    failed += 1;
    broken = true;
  }
  console.log(`${suite}: ${report.numPassedTests} passed, ${report.numFailedTests + fileErrors} failed in ${Math.round((Date.now() - started) / 1000)} s`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken ? 1 : 0);
