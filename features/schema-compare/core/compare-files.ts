import { committedFirstBody, sectionBody } from '../../designer/core/plan-migration';
import type { NewMigration } from '../../migrations/core';
import type { CompareResult } from '../shared/compare-model';

/** A compare's migration as the migrations folder writer takes it: up, down, and what commits first. */
export function migrationFiles(result: CompareResult, name: string): NewMigration {
  const { up, down } = result.migration;
  const first = { up: committedFirstBody(up), down: committedFirstBody(down) };
  return {
    name,
    up: sectionBody(up),
    down: sectionBody(down),
    transaction: up.transactional && down.transactional,
    ...(first.up || first.down ? { committedFirst: first } : {}),
  };
}
