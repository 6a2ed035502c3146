/**
 * Problems as the front ends make and show them: a failure of their own
 * (bad flags or inputs), anything thrown turned into a PgshiftError, and the
 * lint's findings split into errors, warnings and the accepted ones
 * (acknowledged with `-- pgshift:safe` and a reason), which are listed with
 * their reasons, fail nothing and are not annotated. The lint makes an
 * accepted finding a warning; it is counted as accepted only.
 */
import { errorsOf, type Problem } from '../core/problem.js';
import type { LintMode } from '../core/lint/lint.js';
import { plural } from './format.js';

export { errorsOf, fail, failAll, problem } from '../core/problem.js';
export { unexpectedError } from '../engine/unexpected.js';

/** A finding accepted with `-- pgshift:safe` and a reason. */
export const isAccepted = (p: Problem): boolean => p.lint?.acknowledged !== undefined;

export interface FindingKinds {
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
  readonly accepted: readonly Problem[];
}

/** The findings split into errors, warnings and accepted ones, each in the order given. */
export function findingKinds(findings: readonly Problem[]): FindingKinds {
  const open = findings.filter((f) => !isAccepted(f));
  return { errors: errorsOf(open), warnings: open.filter((f) => f.severity === 'warning'), accepted: findings.filter(isAccepted) };
}

/**
 * The lint's findings counted one way in both front ends, in every part of
 * a report: `1 error, 2 warnings, 0 accepted`; `no findings` when it ran and
 * found nothing; `off` when it did not run.
 */
export function lintCount(findings: readonly Problem[], mode?: LintMode): string {
  if (mode === 'off') return 'off';
  if (findings.length === 0) return 'no findings';
  const { errors, warnings, accepted } = findingKinds(findings);
  return `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}, ${accepted.length} accepted`;
}
