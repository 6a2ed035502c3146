import type { Migration, MigrationOutcome, PendingMigration, PlannedMigration } from './types.js';

/** How a pending migration is shown: what it is, how it runs. */
export function pendingView(m: Migration, outOfOrder: boolean): PendingMigration {
  return {
    version: m.version,
    name: m.name,
    file: m.path,
    transaction: m.transaction,
    statements: m.up.statements.length,
    hasDown: m.down !== undefined,
    outOfOrder,
  };
}

/** A pending migration with the SQL `migrate` would send. */
export function plannedView(m: Migration, view: PendingMigration): PlannedMigration {
  return { ...view, sql: m.up.sql.trim(), checksum: m.checksum };
}

/** A migration's line in a run report. */
export function outcomeOf(m: Migration, status: MigrationOutcome['status'], durationMs?: number): MigrationOutcome {
  return {
    version: m.version,
    name: m.name,
    file: m.path,
    transaction: m.transaction,
    status,
    ...(durationMs !== undefined && { durationMs }),
  };
}
