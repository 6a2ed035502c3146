import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PgshiftError } from '../core/errors.js';
import { nextFileName, sanitizeName } from '../core/file-name.js';
import type { CreatedMigration } from '../core/types.js';
import { listMigrationFiles } from './read-directory.js';

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

/** Writes the next migration file; creates the directory if needed and never overwrites a file. */
export async function createMigrationFile(dir: string, rawName: string, now: Date): Promise<CreatedMigration> {
  const name = sanitizeName(rawName);
  if (name === '') {
    throw new PgshiftError('INVALID_NAME', `"${rawName}" leaves no usable name (letters and digits are kept)`, {
      hint: 'describe the change in a few words, e.g. pgshift create add_orders_table',
    });
  }
  await mkdir(dir, { recursive: true }).catch(() => {});
  const next = nextFileName(listMigrationFiles(dir), name, now);
  const path = join(dir, next.fileName);
  try {
    await writeFile(path, migrationTemplate(name, now), { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new PgshiftError('FILE_EXISTS', `${path} already exists; it was left as it is`, {
        location: { file: path },
        hint: 'run create again, or pick the next version by hand',
      });
    }
    throw new PgshiftError('WRITE_FAILED', `cannot write ${path}: ${code ?? String(error)}`, {
      location: { file: path },
      hint: 'check the directory permissions',
    });
  }
  return { path, version: next.version, name };
}
