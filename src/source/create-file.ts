import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nextFileName, sanitizeName } from '../core/file-name.js';
import { fail, failAll } from '../core/problem.js';
import type { CreatedMigration } from '../core/types.js';
import { listDirectory } from './directory.js';
import { nameEntries } from './migration-files.js';

/** The body of a new migration: name, time, and the two sections to fill in. */
export function migrationTemplate(name: string, now: Date): string {
  return `-- Migration: ${name}
-- Created: ${now.toISOString().slice(0, 19)}

-- UP
-- SQL that applies the change goes here.


-- DOWN
-- SQL that undoes it goes here. Without any, rollback refuses to undo this migration.

`;
}

/**
 * Writes the next migration file; creates the directory if needed and never
 * overwrites a file. Refuses while names in the directory are wrong, since
 * the next version depends on them.
 */
export async function createMigrationFile(dir: string, rawName: string, now: Date): Promise<CreatedMigration> {
  const name = sanitizeName(rawName);
  if (name === '') {
    throw fail('INVALID_NAME', `"${rawName}" leaves no usable name (letters and digits are kept)`, {
      hint: 'describe the change in a few words, e.g. add_orders_table',
    });
  }
  await mkdir(dir, { recursive: true }).catch(() => {});
  const { named, problems } = nameEntries(listDirectory(dir));
  if (problems.length > 0) throw failAll(problems, `${problems.length} problems with the migration file names in ${dir}`);
  const next = nextFileName(named, name, now);
  const path = join(dir, next.fileName);
  try {
    await writeFile(path, migrationTemplate(name, now), { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw fail('FILE_EXISTS', `${path} already exists; it was left as it is`, {
        file: path,
        hint: 'run create again, or pick the next version by hand',
      });
    }
    throw fail('WRITE_FAILED', `cannot write ${path}: ${code ?? String(error)}`, { file: path, hint: 'check the directory permissions' });
  }
  return { path, version: next.version, name };
}
