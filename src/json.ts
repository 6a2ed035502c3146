/**
 * The JSON documents of the library's reports: what `--json` prints and the
 * action's outputs hold for status, plan, validate, migrate and rollback,
 * and for an error. The typed API is camelCase; these documents keep their
 * snake_case names, so scripts reading them do not break. Hints come in the
 * words of the front end (its flags or inputs). The front ends' own
 * documents (lint, verify, repair, create) are in frontend/json.ts.
 */
import { hintFor, type PgshiftError, type Problem, type ProblemCode, type Setting } from './core/problem.js';
import type {
  AppliedMigration,
  MigrationOutcome,
  PendingMigration,
  Plan,
  PlannedMigration,
  RunReport,
  Status,
  ValidationReport,
} from './core/types.js';
import type { WaitReport } from './engine/wait.js';

/** What each front end calls the settings hints name. */
export type SettingWords = Partial<Readonly<Record<Setting, string>>>;

type Json = Record<string, unknown>;

/** The older, coarser name of a problem's kind that the documents have always carried; `code` says it exactly. */
const KINDS: Partial<Record<ProblemCode, string>> = {
  CHECKSUM_MISMATCH: 'checksum-mismatch',
  MISSING_FILE: 'missing-file',
  NAME_MISMATCH: 'name-mismatch',
  OUT_OF_ORDER: 'out-of-order',
  NO_DOWN_SECTION: 'no-down',
  LINT: 'lint',
};

/** Where a problem is, and what the server said. */
const placeJson = (p: Problem): Json => ({
  ...(p.file !== undefined && { file: p.file }),
  ...(p.line !== undefined && { line: p.line }),
  ...(p.column !== undefined && { column: p.column }),
});

export function problemJson(p: Problem, words: SettingWords = {}): Json {
  const hint = hintFor(p, words);
  return {
    kind: KINDS[p.code] ?? 'invalid-file',
    code: p.code,
    severity: p.severity,
    message: p.message,
    ...(p.version !== undefined && { version: p.version }),
    ...placeJson(p),
    ...(hint !== undefined && { hint }),
    ...(p.server?.sqlstate !== undefined && { sqlstate: p.server.sqlstate }),
    ...(p.lint && { lint: lintJson(p.lint) }),
  };
}

/** A finding's rule, family, safe way, acknowledgement, observation and size. */
const lintJson = (l: NonNullable<Problem['lint']>): Json => ({
  rule: l.rule,
  family: l.family,
  ...(l.relation !== undefined && { relation: l.relation }),
  ...(l.fix !== undefined && { fix: l.fix }),
  ...(l.acknowledged !== undefined && { acknowledged: true, reason: l.acknowledged }),
  ...(l.observed !== undefined && { observed: l.observed }),
  ...(l.measured !== undefined && { measured: l.measured }),
  ...(l.size !== undefined && { size: l.size }),
  ...(l.statementLines !== undefined && { statement_lines: l.statementLines }),
});

/** `{ message, code, file, line, column, hint, sqlstate, detail, where }`, and `problems` when there are several. */
export function errorJson(error: PgshiftError, words: SettingWords = {}): Json {
  const one = (p: Problem): Json => {
    const hint = hintFor(p, words);
    return {
      message: p.message,
      code: p.code,
      ...placeJson(p),
      ...(hint !== undefined && { hint }),
      ...(p.server?.sqlstate !== undefined && { sqlstate: p.server.sqlstate }),
      ...(p.server?.detail !== undefined && { detail: p.server.detail }),
      ...(p.server?.where !== undefined && { where: p.server.where }),
    };
  };
  if (error.problems.length === 1) return one(error.problem);
  const hint = hintFor(error.problem, words);
  return { message: error.message, code: error.code, ...(hint !== undefined && { hint }), problems: error.problems.map(one) };
}

const appliedJson = (a: AppliedMigration): Json => ({
  version: a.version,
  name: a.name,
  applied_at: a.appliedAt.toISOString(),
  checksum: a.checksum,
  duration_ms: a.durationMs,
  file_state: a.fileState,
});

const pendingJson = (p: PendingMigration): Json => ({
  version: p.version,
  name: p.name,
  file: p.file,
  transaction: p.transaction,
  statements: p.statements,
  has_down: p.hasDown,
  out_of_order: p.outOfOrder,
});

const plannedJson = (p: PlannedMigration): Json => ({ ...pendingJson(p), sql: p.sql, checksum: p.checksum });

const outcomeJson = (o: MigrationOutcome): Json => ({
  version: o.version,
  name: o.name,
  file: o.file,
  status: o.status,
  ...(o.durationMs !== undefined && { duration_ms: o.durationMs }),
  transaction: o.transaction,
  ...(o.lockRetries !== undefined && { lock_retries: o.lockRetries }),
});

export function statusJson(s: Status, words: SettingWords = {}): Json {
  return {
    applied_count: s.appliedCount,
    pending_count: s.pendingCount,
    applied: s.applied.map(appliedJson),
    pending: s.pending.map(pendingJson),
    problems: s.problems.map((p) => problemJson(p, words)),
    table: s.table,
    table_exists: s.tableExists,
    current_version: s.currentVersion,
  };
}

export function planJson(p: Plan, words: SettingWords = {}): Json {
  return {
    pending: p.pending.map(plannedJson),
    problems: p.problems.map((x) => problemJson(x, words)),
    ok: p.ok,
    table: p.table,
    findings: p.findings.map((x) => problemJson(x, words)),
  };
}

export function validationJson(v: ValidationReport, words: SettingWords = {}): Json {
  return { ok: v.ok, problems: v.problems.map((p) => problemJson(p, words)), checked_database: v.checkedDatabase, files: v.files };
}

/** A run report: `applied` or `rolled_back`, `failed`, `not_executed`, `warnings`, `error`. */
export function runReportJson(report: RunReport, words: SettingWords = {}): Json {
  const done = report.results.filter((r) => r.status === 'success').map(outcomeJson);
  const failed = report.results.find((r) => r.status === 'error');
  return {
    ok: report.ok,
    ...(report.direction === 'up' ? { applied: done } : { rolled_back: done }),
    ...(failed && { failed: outcomeJson(failed) }),
    not_executed: report.results.filter((r) => r.status === 'not-executed').map(outcomeJson),
    warnings: report.warnings.map((p) => problemJson(p, words)),
    waited_for_lock: report.waitedForLock,
    duration_ms: report.durationMs,
    ...(report.error && { error: errorJson(report.error, words) }),
  };
}

/** `pgshift wait --json`: `{ reached, outcome, at_least, current_version, table_exists, waited_ms, polls }`. */
export const waitJson = (r: WaitReport): Json => ({
  reached: r.reached,
  outcome: r.outcome,
  at_least: r.atLeast,
  current_version: r.currentVersion,
  table_exists: r.tableExists,
  waited_ms: r.waitedMs,
  polls: r.polls,
});
