import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import { parseFileName } from '../core/file-name.js';
import type { MigrationListing } from '../core/ports.js';
import { problem, type Problem } from '../core/problem.js';
import type { MigrationFile } from '../core/types.js';

/** A file a source found, not yet read; `read` may throw (unreadable). */
export interface FileEntry {
  readonly fileName: string;
  /** The path shown to users. */
  readonly path: string;
  readonly read: () => Uint8Array;
}

/** A `.sql` file whose name fits, not yet read. */
export interface NamedEntry extends FileEntry {
  readonly version: number;
  readonly name: string;
}

/**
 * Names the `.sql` entries and finds versions used twice; every problem is
 * kept. Entries are in version order (then name), the problems by file.
 */
export function nameEntries(entries: Iterable<FileEntry>): { named: NamedEntry[]; problems: Problem[] } {
  const named: NamedEntry[] = [];
  const problems: Problem[] = [];
  for (const entry of entries) {
    if (!entry.fileName.endsWith('.sql')) continue;
    const parsed = parseFileName(entry.fileName, entry.path);
    if ('code' in parsed) problems.push(parsed);
    else named.push({ fileName: entry.fileName, path: entry.path, read: entry.read, version: parsed.version, name: parsed.name });
  }
  named.sort((a, b) => a.version - b.version || (a.fileName < b.fileName ? -1 : 1));
  problems.sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : 1));
  const unique: NamedEntry[] = [];
  for (const entry of named) {
    const previous = unique.at(-1);
    if (previous && previous.version === entry.version) {
      problems.push(
        problem('DUPLICATE_VERSION', `version ${entry.version} is used by both ${previous.fileName} and ${entry.fileName}`, {
          file: entry.path,
          version: entry.version,
          hint: 'give one of them the next free version number',
        }),
      );
    } else {
      unique.push(entry);
    }
  }
  return { named: unique, problems };
}

/**
 * Reads, checks and checksums every named entry, keeping every problem.
 * Files are read synchronously, which for thousands of small files costs far
 * less than as many promises and file handles, in batches with a turn of the
 * event loop between them, so a connection being opened at the same time
 * makes progress while the files are read.
 */
export async function readEntries(entries: Iterable<FileEntry>): Promise<MigrationListing> {
  const { named, problems } = nameEntries(entries);
  const files: MigrationFile[] = [];
  for (const [index, entry] of named.entries()) {
    if (index % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
    const file = readEntry(entry);
    if ('code' in file) problems.push(file);
    else files.push(file);
  }
  return { files, problems };
}

function readEntry(entry: NamedEntry): MigrationFile | Problem {
  let read: Uint8Array;
  try {
    read = entry.read();
  } catch (error) {
    const notFile = (error as NodeJS.ErrnoException).code === 'ENOTFILE';
    return problem('FILE_UNREADABLE', `cannot read ${entry.path}: ${systemReason(error)}`, {
      file: entry.path,
      version: entry.version,
      hint: notFile
        ? 'a migration must be a regular file in the migrations directory: replace it with one, or rename it so it does not end in .sql'
        : 'check the file permissions',
    });
  }
  const bytes = Buffer.isBuffer(read) ? read : Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  const invalid = checkEncoding(bytes, entry);
  if (invalid) return invalid;
  const { version, name, fileName, path } = entry;
  if (needsNormalising(bytes)) {
    // The checksum is of the normalised text, so it is needed now.
    const text = decode(bytes);
    return { version, name, fileName, path, checksum: hash('sha256', text, 'hex'), text };
  }
  // The bytes are the text as it will be read: hashing them spares encoding
  // it again, and the text is decoded only when something reads it (the
  // pending files; an applied one is only compared by checksum). The
  // one-shot hash() makes no Hash object for the collector to finalise.
  let text: string | undefined;
  return {
    version,
    name,
    fileName,
    path,
    checksum: hash('sha256', bytes, 'hex'),
    get text() {
      return (text ??= bytes.toString('utf8'));
    },
  };
}

/** The problem that keeps the bytes from being SQL text: not UTF-8, or a NUL byte; undefined when they are fine. */
function checkEncoding(bytes: Buffer, entry: NamedEntry): Problem | undefined {
  const at = (line: number, message: string, hint: string) =>
    problem('INVALID_ENCODING', message, { file: entry.path, line, version: entry.version, hint });
  if (!isUtf8(bytes)) {
    const lossy = bytes.toString('utf8');
    const bad = lossy.indexOf('\uFFFD');
    return at(lossy.slice(0, Math.max(bad, 0)).split('\n').length, 'the file is not valid UTF-8', 'save the file as UTF-8');
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return at(
      bytes.subarray(0, nul).toString('utf8').split('\n').length,
      'the file holds a NUL byte, which PostgreSQL cannot take in SQL text',
      'remove it; a file saved as UTF-16 shows this too: save it as UTF-8',
    );
  }
  return undefined;
}

/** Valid UTF-8 as text, with any BOM dropped and CRLF/CR line endings turned into LF. */
function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8', hasBom(bytes) ? 3 : 0);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** True when decoding changed the bytes: a BOM or a carriage return. */
function needsNormalising(bytes: Uint8Array): boolean {
  return hasBom(bytes) || bytes.includes(0x0d);
}

/** A system error in a few words: `permission denied`, `it is a directory`, or its code. */
export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFILE') return (error as Error).message;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? String(error);
}
