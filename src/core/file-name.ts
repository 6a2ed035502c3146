import { problem, type Problem } from './problem.js';

/** `<digits>_<name>.sql`; the name may hold anything but a path separator. */
const MIGRATION_FILE = /^(\d+)_([^/\\]+)\.sql$/;

/** C0 and C1 controls (newline, CR, ESC...), and the marks that reorder text on screen. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The text with every unsafe character written as \u{…}, so it can be shown. */
export function visible(text: string): string {
  return text.replace(new RegExp(UNSAFE.source, 'g'), (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/**
 * Versions are kept as JavaScript numbers; 15 digits stay exact (the largest
 * 14-digit timestamp version is far below 2^53) and fit PostgreSQL's BIGINT.
 */
const MAX_VERSION_DIGITS = 15;

export interface ParsedFileName {
  readonly version: number;
  readonly name: string;
}

/**
 * Parses `003_create_orders.sql` into version 3 and name `create_orders`, or
 * says why it does not fit; `path` is the file as shown to users.
 */
export function parseFileName(fileName: string, path: string = fileName): ParsedFileName | Problem {
  if (UNSAFE.test(fileName)) {
    return problem(
      'INVALID_FILE_NAME',
      `the file name "${visible(fileName)}" holds control or direction characters, which would break output lines, send escape codes to terminals and could forge workflow commands`,
      { file: visible(path), hint: 'rename the file to letters, digits and underscores' },
    );
  }
  const match = MIGRATION_FILE.exec(fileName);
  const digits = match?.[1];
  const name = match?.[2];
  if (!match || digits === undefined || name === undefined || name.trim() === '') {
    return problem(
      'INVALID_FILE_NAME',
      `"${fileName}" is not a migration file name: expected <version>_<name>.sql, e.g. 001_create_users.sql`,
      { file: path, hint: 'rename the file, or move it out of the migrations directory' },
    );
  }
  const significant = digits.replace(/^0+(?=\d)/, '');
  if (significant.length > MAX_VERSION_DIGITS) {
    return problem(
      'INVALID_FILE_NAME',
      `"${fileName}" has a version of ${significant.length} digits; at most ${MAX_VERSION_DIGITS} are supported`,
      { file: path, hint: 'use a sequence number or a 14-digit timestamp (YYYYMMDDhhmmss)' },
    );
  }
  return { version: Number(significant), name };
}

/**
 * Turns a user's description into a file-name part: lower case, words joined
 * by underscores, nothing but [a-z0-9_]. Returns '' when nothing is left.
 */
export function sanitizeName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100)
    .replace(/_+$/, '');
}

/**
 * The next file name. A directory of 14-digit timestamp versions gets the
 * current UTC time (or highest + 1 if that is not higher); any other gets
 * highest + 1, zero-padded to the width the directory already uses (3 by default).
 */
export function nextFileName(
  existing: readonly { readonly version: number; readonly fileName: string }[],
  name: string,
  now: Date,
): { readonly version: number; readonly fileName: string } {
  let highest = 0;
  let width = 3;
  for (const file of existing) {
    if (file.version >= highest) {
      highest = file.version;
      width = file.fileName.indexOf('_');
    }
  }
  let version = highest + 1;
  if (width === 14 && String(highest).length === 14) {
    const stamp = Number(now.toISOString().replace(/\D/g, '').slice(0, 14));
    if (stamp > highest) version = stamp;
  }
  return { version, fileName: `${String(version).padStart(width, '0')}_${name}.sql` };
}
