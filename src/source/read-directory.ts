import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PgshiftError, combine } from '../core/errors.js';
import { parseFileName } from '../core/file-name.js';
import type { MigrationSource } from '../core/types.js';

/** A `.sql` file in the directory, named but not yet read. */
export interface MigrationFileRef {
  readonly version: number;
  readonly name: string;
  readonly fileName: string;
  readonly path: string;
}

/**
 * Lists the migration files of a directory, checking every `.sql` name and
 * that no version appears twice; all problems are reported together.
 */
export function listMigrationFiles(dir: string): MigrationFileRef[] {
  let names: string[];
  try {
    const info = statSync(dir);
    if (!info.isDirectory()) {
      throw new PgshiftError('DIR_NOT_A_DIRECTORY', `migrations directory ${dir} is a file, not a directory`, {
        hint: 'pass the directory that holds the .sql files with --dir',
      });
    }
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.isDirectory())
      .map((e) => e.name);
  } catch (error) {
    throw directoryError(dir, error);
  }
  const refs: MigrationFileRef[] = [];
  const problems: PgshiftError[] = [];
  // join() once: normalising ten thousand paths one by one shows up in status.
  const prefix = join(dir, '_').slice(0, -1);
  for (const fileName of names) {
    if (!fileName.endsWith('.sql')) continue;
    const parsed = parseFileName(fileName);
    const path = prefix + fileName;
    if (parsed instanceof PgshiftError) {
      problems.push(new PgshiftError(parsed.code, parsed.message, { location: { file: path }, hint: parsed.hint ?? '' }));
    } else {
      refs.push({ ...parsed, fileName, path });
    }
  }
  refs.sort((a, b) => a.version - b.version || (a.fileName < b.fileName ? -1 : 1));
  problems.sort((a, b) => ((a.location?.file ?? '') < (b.location?.file ?? '') ? -1 : 1));
  for (let i = 1; i < refs.length; i++) {
    const [a, b] = [refs[i - 1], refs[i]];
    if (a && b && a.version === b.version) {
      problems.push(
        new PgshiftError('DUPLICATE_VERSION', `version ${b.version} is used by both ${a.fileName} and ${b.fileName}`, {
          location: { file: b.path },
          hint: 'give one of them the next free version number',
        }),
      );
    }
  }
  if (problems.length > 0) throw combine(problems, `${problems.length} problems with the migration file names in ${dir}`);
  return refs;
}

/**
 * Reads, decodes and checksums every migration; all problems are reported
 * together. Files are read synchronously, which for thousands of small files
 * costs far less than as many promises and file handles, in batches with a
 * turn of the event loop between them, so a connection being opened at the
 * same time makes progress while the files are read.
 */
export async function readMigrations(dir: string): Promise<MigrationSource[]> {
  const refs = listMigrationFiles(dir);
  const migrations: MigrationSource[] = [];
  const problems: PgshiftError[] = [];
  for (const [index, ref] of refs.entries()) {
    if (index % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
    try {
      migrations.push(readMigration(ref));
    } catch (error) {
      if (!(error instanceof PgshiftError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw combine(problems, `${problems.length} migration files have problems`);
  return migrations;
}

export function readMigration(ref: MigrationFileRef): MigrationSource {
  let bytes: Buffer;
  try {
    bytes = readWhole(ref.path);
  } catch (error) {
    throw new PgshiftError('FILE_UNREADABLE', `cannot read ${ref.path}: ${systemReason(error)}`, {
      location: { file: ref.path },
      hint: 'check the file permissions',
      cause: error,
    });
  }
  const text = decode(bytes, ref.path);
  // Hashing the bytes as read spares encoding the text again; they are the
  // same bytes unless a BOM was dropped or line endings were changed. The
  // one-shot hash() makes no Hash object for the collector to finalise.
  const checksum = hash('sha256', needsNormalising(bytes) ? text : bytes, 'hex');
  return { ...ref, checksum, text };
}

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * A file's bytes, with one read for a file smaller than the scratch buffer:
 * open, read, close, without the fstat readFileSync spends on sizing.
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

/** UTF-8 with any BOM dropped and CRLF/CR line endings turned into LF. */
function decode(bytes: Buffer, path: string): string {
  if (!isUtf8(bytes)) {
    const lossy = bytes.toString('utf8');
    const bad = lossy.indexOf('\uFFFD');
    const line = lossy.slice(0, Math.max(bad, 0)).split('\n').length;
    throw new PgshiftError('INVALID_ENCODING', 'the file is not valid UTF-8', {
      location: { file: path, line },
      hint: 'save the file as UTF-8',
    });
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new PgshiftError('INVALID_ENCODING', 'the file holds a NUL byte, which PostgreSQL cannot take in SQL text', {
      location: { file: path, line: bytes.subarray(0, nul).toString('utf8').split('\n').length },
      hint: 'remove it; a file saved as UTF-16 shows this too: save it as UTF-8',
    });
  }
  const text = bytes.toString('utf8', hasBom(bytes) ? 3 : 0);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function hasBom(bytes: Buffer): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** True when decoding changed the bytes: a BOM or a carriage return. */
function needsNormalising(bytes: Buffer): boolean {
  return hasBom(bytes) || bytes.includes(0x0d);
}

function directoryError(dir: string, error: unknown): PgshiftError {
  if (error instanceof PgshiftError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new PgshiftError('DIR_NOT_FOUND', `migrations directory ${dir} does not exist`, {
      hint: 'create it, or pass the right one with --dir',
    });
  }
  if (code === 'ENOTDIR') {
    return new PgshiftError('DIR_NOT_A_DIRECTORY', `migrations directory ${dir} is not a directory`, {
      hint: 'pass the directory that holds the .sql files with --dir',
    });
  }
  return new PgshiftError('DIR_UNREADABLE', `cannot read migrations directory ${dir}: ${systemReason(error)}`, {
    hint: 'check the directory permissions',
    cause: error,
  });
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? String(error);
}
