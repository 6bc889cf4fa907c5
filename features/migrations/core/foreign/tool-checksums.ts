import type { ForeignTool } from '../../../../shared/model/migrations';
import { flywayChecksum, prismaChecksums } from '../checksum';

/**
 * Whether a file no longer matches the checksum its tool recorded when it applied it, by that
 * tool's own algorithm. Tools that record no checksum (dbmate, golang-migrate, Kysely, Alembic)
 * never say so.
 */
export function toolChecksumDiffers(tool: ForeignTool, recorded: number | string | null, upText: string): boolean {
  if (recorded === null) return false;
  if (tool === 'flyway') return Number(recorded) !== flywayChecksum(upText);
  if (tool === 'prisma') return !prismaChecksums(upText).includes(String(recorded).toLowerCase());
  return false;
}
