/**
 * What the front ends write numbers, places and changes with, the same in
 * the terminal, the log, the comment and the summary.
 */
export { formatDuration } from '../core/duration.js';
export { formatLocation, formatProblem } from '../core/problem.js';
export { describeConnection, formatConnection } from '../postgres/connection-info.js';

/** `1 migration`, `3 migrations`; `many` for a plural that is not `one` + s. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
