/**
 * The schema model, pure: a snapshot's shape, a structured diff of two, and
 * the diff in words: what `pgshift verify` compares after UP, DOWN and UP
 * again, and what a pull request's schema change shows reviewers. Reading a
 * snapshot from a server is postgres/catalog's job.
 */
export { diffSchemas, compareChanges } from './diff.js';
export { describeChange, describeChanges } from './describe.js';
export { summarizeChanges, type SummaryGroup, type SummaryLine } from './summary.js';
export { describeRestoreChange, describeRestoreDifference, type RestoreWordsOptions } from './restore.js';
export { lintFacts } from './lint-facts.js';
export { describeDrift, driftChanges, driftScope, globMatcher, ownedSchemas } from './drift.js';
export type * from './changes.js';
export type * from './model.js';
export { KIND_ORDER } from './changes.js';
