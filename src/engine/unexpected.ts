import { fail, PgshiftError } from '../core/problem.js';

/**
 * Anything that is not a PgshiftError is a bug in pgshift (or its driver):
 * said so, with what to report, instead of a stack trace.
 */
export function unexpectedError(error: unknown): PgshiftError {
  if (error instanceof PgshiftError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return fail(
    'INTERNAL',
    `unexpected failure: ${message}`,
    { hint: 'this looks like a bug in pgshift; please report it with what you ran' },
    error,
  );
}
