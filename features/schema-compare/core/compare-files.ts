import { sectionBody } from '../../designer/core/plan-migration';
import type { NewMigration } from '../../migrations/core';
import type { CompareResult } from '../shared/compare-model';

/**
 * A compare's migration as the migrations folder writer takes it. dbmate writes one transaction
 * option for both directions: a direction that cannot run in one transaction takes the other with it.
 */
export function migrationFiles(result: CompareResult, name: string): NewMigration {
  const { up, down } = result.migration;
  return { name, up: sectionBody(up), down: sectionBody(down), transaction: up.transactional && down.transactional };
}
