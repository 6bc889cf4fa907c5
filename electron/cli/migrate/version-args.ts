import { isRunnableFormat } from '../../../shared/model/migrations';
import type { MigrationFolder } from '../../../features/migrations/core/folder/migration-file';
import { versionKey } from '../../../features/migrations/core/folder/versions';
import { UsageError } from '../usage';

/** How each runnable format writes a version (golang-migrate and dbmate: digits; Flyway: `1`, `1.2`, `1_2`). */
const VERSION_SYNTAX = {
  dbmate: { re: /^\d+$/, example: '20240101120000' },
  'golang-migrate': { re: /^\d+$/, example: '3 or 000003' },
  flyway: { re: /^(\d+([._]\d+)*|R:.+)$/, example: '1.2 (or R:<description> for a repeatable)' },
} as const;

function range(folder: MigrationFolder): string {
  const versions = folder.migrations.filter((m) => !m.repeatable).map((m) => m.version);
  if (versions.length === 0) return 'the folder has no migrations';
  return versions.length === 1 ? `the folder has only ${versions[0]}` : `the folder's versions run from ${versions[0]} to ${versions.at(-1)}`;
}

/**
 * Checks a version given on the command line against the folder, before anything connects:
 * written the way the folder's format writes versions, and — where the command needs the file
 * (a target, a resume, a new checksum) — naming a migration in the folder.
 */
export function checkVersionArgument(folder: MigrationFolder, flag: string, value: string, needsFile: boolean): void {
  const format = folder.format;
  if (!isRunnableFormat(format)) return;
  const v = value.trim();
  const syntax = VERSION_SYNTAX[format];
  if (!syntax.re.test(v)) throw new UsageError(`${flag} "${value}" is not a ${format} version (for example ${syntax.example}).`);
  if (!needsFile) return;
  const key = versionKey(format, v);
  if (!folder.migrations.some((m) => m.key === key || m.version === v)) {
    throw new UsageError(`${flag} ${value}: there is no migration ${value} in ${folder.dir} (${range(folder)}).`);
  }
}
