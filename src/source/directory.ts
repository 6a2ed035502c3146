import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationSource } from '../core/ports.js';
import { fail, PgshiftError } from '../core/problem.js';
import { readEntries, systemReason, type FileEntry } from './migration-files.js';

/**
 * The migrations in a directory on disk. Reading lists the `.sql` files, then
 * reads each once; a directory that is missing or not a directory throws.
 *
 * @example
 * const listing = await directorySource('migrations').read();
 */
export function directorySource(dir: string): MigrationSource {
  return { location: dir, read: async () => readEntries(listDirectory(dir)) };
}

/** The directory's file entries (not yet read); throws for a directory that cannot be listed. */
export function listDirectory(dir: string): FileEntry[] {
  let names: string[];
  try {
    const info = statSync(dir);
    if (!info.isDirectory()) {
      throw fail('DIR_NOT_A_DIRECTORY', `migrations directory ${dir} is a file, not a directory`, {
        hint: 'set the migrations directory to the one that holds the .sql files',
        settings: ['dir'],
      });
    }
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.isDirectory())
      .map((e) => e.name);
  } catch (error) {
    throw directoryError(dir, error);
  }
  // join() once: normalising ten thousand paths one by one shows up in status.
  const prefix = join(dir, '_').slice(0, -1);
  return names.map((fileName) => {
    const path = prefix + fileName;
    return { fileName, path, read: () => readWhole(path) };
  });
}

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * A file's bytes, with one read for a file smaller than the scratch buffer:
 * open, read, close, without the fstat readFileSync spends on sizing (status
 * over 10,000 files went from 0.40 s to 0.28 s with this and one-shot hashing).
 */
function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const wanted = scratch.length - length;
      const got = readSync(fd, scratch, length, wanted, null);
      length += got;
      // A regular file reads short only at its end.
      if (got === 0 || got < wanted) break;
    }
    return Buffer.from(scratch.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

function directoryError(dir: string, error: unknown): PgshiftError {
  if (error instanceof PgshiftError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return fail('DIR_NOT_FOUND', `migrations directory ${dir} does not exist`, {
      hint: 'create it, or set the migrations directory to the right one',
      settings: ['dir'],
    });
  }
  if (code === 'ENOTDIR') {
    return fail('DIR_NOT_A_DIRECTORY', `migrations directory ${dir} is not a directory`, {
      hint: 'set the migrations directory to the one that holds the .sql files',
      settings: ['dir'],
    });
  }
  return fail(
    'DIR_UNREADABLE',
    `cannot read migrations directory ${dir}: ${systemReason(error)}`,
    { hint: 'check the directory permissions' },
    error,
  );
}
