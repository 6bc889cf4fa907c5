import { createRequire } from 'node:module';

/** The installed version of a driver package, for reports ("pg 8.23.1"). */
export function packageVersion(name: string): string {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
