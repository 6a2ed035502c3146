import type { MigrationSource } from '../core/ports.js';
import { readEntries } from './migration-files.js';

/**
 * Migrations held in memory, named as files would be: for tests, and for a
 * caller whose migrations live elsewhere (a git commit, an archive, a bundle).
 * Checked exactly as files on disk are.
 *
 * @example
 * const source = memorySource({ '001_users.sql': '-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n' });
 * const migrator = new Migrator({ connection, source });
 */
export function memorySource(files: Readonly<Record<string, string | Uint8Array>>, location = 'migrations'): MigrationSource {
  const prefix = location.endsWith('/') ? location : `${location}/`;
  return {
    location,
    read: async () =>
      readEntries(
        Object.entries(files).map(([fileName, content]) => ({
          fileName,
          path: prefix + fileName,
          // A copy of the caller's bytes: a file's text is decoded from them when first used, and must be what was hashed.
          read: () => (typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)),
        })),
      ),
  };
}
