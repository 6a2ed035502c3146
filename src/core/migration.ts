import { PgshiftError } from './errors.js';
import { parseSections } from './sections.js';
import type { Migration, MigrationSource } from './types.js';

const parsed = new WeakMap<MigrationSource, Migration | PgshiftError>();

/**
 * Parses a file's parts. Done only for the files a command needs (pending
 * ones, ones to roll back, all for validate): an applied file whose checksum
 * matches was checked when it was applied, so a no-op run parses nothing.
 */
export function parseMigration(source: MigrationSource): Migration | PgshiftError {
  let result = parsed.get(source);
  if (result === undefined) {
    const sections = parseSections(source.text, source.path);
    result = sections instanceof PgshiftError ? sections : { ...source, ...sections };
    parsed.set(source, result);
  }
  return result;
}

/** Parses every source, keeping the good ones and every error. */
export function parseAll(sources: readonly MigrationSource[]): { migrations: Migration[]; errors: PgshiftError[] } {
  const migrations: Migration[] = [];
  const errors: PgshiftError[] = [];
  for (const source of sources) {
    const result = parseMigration(source);
    if (result instanceof PgshiftError) errors.push(result);
    else migrations.push(result);
  }
  return { migrations, errors };
}
