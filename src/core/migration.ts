import type { Problem } from './problem.js';
import { parseSections } from './sections.js';
import type { Migration, MigrationFile } from './types.js';

/** Parses a file's parts into a runnable Migration, or the Problem that stops it. */
export type Parser = (file: MigrationFile) => Migration | Problem;

/**
 * A parser that remembers what it parsed, for one command: a run compares
 * the history twice (before and after taking the lock) and parses each
 * pending file once. Only the files a command needs are parsed (pending
 * ones, ones to roll back, all for validate): an applied file whose
 * checksum matches was checked when it was applied, so a no-op run parses nothing.
 */
export function createParser(): Parser {
  const parsed = new Map<MigrationFile, Migration | Problem>();
  return (file) => {
    let result = parsed.get(file);
    if (result === undefined) {
      const sections = parseSections(file.text, file.path);
      result = 'code' in sections ? { ...sections, version: file.version } : { ...file, ...sections };
      parsed.set(file, result);
    }
    return result;
  };
}

/** True for a Problem, false for a parsed Migration. */
export const isProblem = (value: Migration | Problem): value is Problem => 'code' in value;
