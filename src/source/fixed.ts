import type { MigrationSource } from '../core/ports.js';
import type { MigrationFile } from '../core/types.js';

/** Files already read (from another source), handed to a Migrator as they are. */
export function fixedSource(files: readonly MigrationFile[], location: string): MigrationSource {
  return { location, read: async () => ({ files, problems: [] }) };
}
