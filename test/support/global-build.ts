import { execFileSync } from 'node:child_process';

/** Integration and e2e tests run the built worker and renderer: build them once per run. */
export default function setup(): void {
  if (process.env.DBDESK_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
