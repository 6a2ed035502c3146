import { isAbsolute, relative, resolve, sep } from 'node:path';
import { hintFor, type PgshiftError, type Problem } from '../index.js';
import { formatProblem } from '../frontend/format.js';
import type { Annotation } from './io.js';
import { ACTION_WORDS } from '../frontend/words.js';

const TITLES: Partial<Record<Problem['code'], string>> = {
  CHECKSUM_MISMATCH: 'Migration edited after it was applied',
  MISSING_FILE: 'Applied migration file is missing',
  NAME_MISMATCH: 'Applied migration was renamed',
  OUT_OF_ORDER: 'Migration out of order',
  NO_DOWN_SECTION: 'No DOWN part',
  MIGRATION_FAILED: 'Migration failed',
  ROLLBACK_FAILED: 'Rollback failed',
  INVALID_FILE_NAME: 'Invalid migration file name',
  DUPLICATE_VERSION: 'Duplicate migration version',
  BASE_MIGRATION_EDITED: 'Migration of the base branch edited',
  BASE_MIGRATION_RENAMED: 'Migration of the base branch renamed',
  BASE_MIGRATION_DELETED: 'Migration of the base branch deleted',
  BASE_MIGRATION_RENUMBERED: 'Migration of the base branch renumbered',
  VERSION_BELOW_BASE: 'Version below the base branch',
  BASE_REPLAY_FAILED: "The base branch's migrations do not apply",
  DOWN_NOT_RESTORED: 'DOWN does not restore the schema',
  DOWN_ORDER_DIFFERS: 'DOWN changes the column order',
  REUP_FAILED: 'UP fails after DOWN',
  REUP_DIFFERS: 'UP after DOWN gives another schema',
  NO_DOWN: 'No DOWN part',
  VERSION_IN_OTHER_PR: 'Version taken by another pull request',
};

/** Problems the same in file, line and message shown once (a warning repeated in an error, say). */
export function distinct(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file ?? ''}\0${p.line ?? ''}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface Paths {
  /** The repository checkout (GITHUB_WORKSPACE); annotation paths are relative to it. */
  readonly workspace: string;
  /** Where the engine's relative paths start from. */
  readonly cwd: string;
}

/**
 * Annotations for problems that point at a file. Those without one are left
 * to the step's failure message, which the runner shows as an annotation too.
 */
export function annotationsOf(problems: readonly Problem[], paths: Paths): Annotation[] {
  return problems
    .filter((p) => p.file !== undefined)
    .map((p) => {
      const hint = hintFor(p, ACTION_WORDS);
      const state = p.server?.sqlstate ? ` (${p.server.sqlstate})` : '';
      return {
        level: p.severity,
        title: p.lint ? `pgshift lint: ${p.lint.rule}` : (TITLES[p.code] ?? 'pgshift'),
        message: `${p.message}${state}${hint ? `\nhint: ${hint}` : ''}`,
        file: repositoryPath(p.file!, paths),
        ...(p.line !== undefined && { line: p.line }),
        ...(p.column !== undefined && { column: p.column }),
      };
    });
}

/** GitHub places annotations by a path from the repository root, with forward slashes. */
export function repositoryPath(file: string, paths: Paths): string {
  const inside = relative(paths.workspace, resolve(paths.cwd, file));
  const path = inside === '' || inside.startsWith('..') || isAbsolute(inside) ? file : inside;
  return path.split(sep).join('/');
}

/** The step's failure reason: one line, with the file and line when there is one. */
export function failureLine(error: PgshiftError): string {
  const [first, ...rest] = error.problems;
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  const text = rest.length > 0 ? `${error.message}: ${formatProblem(first)}${more}` : error.format();
  return text.replace(/\s*\n\s*/g, ' ');
}
