import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { PgshiftError, Problem } from '../index.js';
import type { Annotation } from './io.js';

/**
 * One thing to tell the user about, from a history Problem or an engine
 * error alike, so the comment, the summary and the annotations agree.
 */
export interface Finding {
  readonly severity: 'error' | 'warning';
  /** A Problem's kind or an error's code. */
  readonly kind: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
}

/** Problems first, then the error (or each problem it carries); duplicates dropped. */
export function findingsOf(problems: readonly Problem[], error?: PgshiftError): Finding[] {
  const all: Finding[] = problems.map((p) => ({
    severity: p.severity,
    kind: p.kind,
    message: p.message,
    ...(p.file !== undefined && { file: p.file }),
    ...(p.line !== undefined && { line: p.line }),
    ...(p.hint !== undefined && { hint: p.hint }),
  }));
  if (error) {
    const parts = error.problems.length > 0 ? error.problems : [error];
    for (const e of parts) {
      const state = e.server?.sqlstate ? ` (${e.server.sqlstate})` : '';
      const hint = e.hint ?? (parts.length > 1 ? error.hint : undefined);
      all.push({
        severity: 'error',
        kind: e.code,
        message: `${e.message}${state}`,
        ...(e.location?.file !== undefined && { file: e.location.file }),
        ...(e.location?.line !== undefined && { line: e.location.line }),
        ...(e.location?.column !== undefined && { column: e.location.column }),
        ...(hint !== undefined && { hint }),
      });
    }
  }
  const seen = new Set<string>();
  return all.filter((f) => {
    const key = `${f.file ?? ''}\0${f.line ?? ''}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const TITLES: Record<string, string> = {
  'checksum-mismatch': 'Migration edited after it was applied',
  'missing-file': 'Applied migration file is missing',
  'name-mismatch': 'Applied migration was renamed',
  'out-of-order': 'Migration out of order',
  'invalid-file': 'Invalid migration file',
  'no-down': 'No DOWN part',
  MIGRATION_FAILED: 'Migration failed',
  ROLLBACK_FAILED: 'Rollback failed',
  INVALID_FILE_NAME: 'Invalid migration file name',
  DUPLICATE_VERSION: 'Duplicate migration version',
};

export interface Paths {
  /** The repository checkout (GITHUB_WORKSPACE); annotation paths are relative to it. */
  readonly workspace: string;
  /** Where the engine's relative paths start from. */
  readonly cwd: string;
}

/**
 * Annotations for findings that point at a file. Findings without one are
 * left to the step's failure message, which the runner shows as an annotation too.
 */
export function annotationsOf(findings: readonly Finding[], paths: Paths): Annotation[] {
  return findings
    .filter((f) => f.file !== undefined)
    .map((f) => ({
      level: f.severity,
      title: TITLES[f.kind] ?? 'pgshift',
      message: f.hint ? `${f.message}\nhint: ${f.hint}` : f.message,
      file: repositoryPath(f.file!, paths),
      ...(f.line !== undefined && { line: f.line }),
      ...(f.column !== undefined && { column: f.column }),
    }));
}

/** GitHub places annotations by a path from the repository root, with forward slashes. */
export function repositoryPath(file: string, paths: Paths): string {
  const inside = relative(paths.workspace, resolve(paths.cwd, file));
  const path = inside === '' || inside.startsWith('..') || isAbsolute(inside) ? file : inside;
  return path.split(sep).join('/');
}

/** The step's failure reason: one line, with the file and line when there is one. */
export function failureLine(error: PgshiftError): string {
  const first = error.problems[0];
  const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more)` : '';
  const text = first ? `${error.message}: ${first.format()}${more}` : error.format();
  return text.replace(/\s*\n\s*/g, ' ');
}
