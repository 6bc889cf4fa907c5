import type { MigrationFormat } from '../../../../shared/model/migrations';

/** Compares canonical version keys part by part as numbers (`1.10` after `1.9`); `R:` keys come last. */
export function compareVersionKeys(a: string, b: string): number {
  const ra = a.startsWith('R:');
  const rb = b.startsWith('R:');
  if (ra || rb) return ra && rb ? (a < b ? -1 : a > b ? 1 : 0) : ra ? 1 : -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = BigInt(/^\d+$/.test(pa[i] ?? '0') ? (pa[i] ?? '0') : '0');
    const y = BigInt(/^\d+$/.test(pb[i] ?? '0') ? (pb[i] ?? '0') : '0');
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A run of digits as a number without leading zeros (golang-migrate stores `000003` as 3). */
export function integerKey(digits: string): string {
  return BigInt(digits).toString();
}

/** Flyway: `1_2`, `1.2`, `1.02` and `1.2.0` are all version 1.2. */
export function flywayKey(version: string): string {
  const parts = version.replace(/_/g, '.').split('.').filter((p) => p !== '').map((p) => BigInt(p).toString());
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

/** The canonical key of a version as some history wrote it, by the folder's format. */
export function versionKey(format: MigrationFormat, version: string): string {
  if (version.startsWith('R:')) return version;
  if (format === 'golang-migrate' && /^\d+$/.test(version)) return integerKey(version);
  if (format === 'flyway' && /^\d[\d._]*$/.test(version)) return flywayKey(version);
  return version;
}
