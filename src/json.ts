/**
 * The JSON documents: what `--json` prints and the action's outputs hold.
 * The typed API is camelCase; these documents keep their snake_case names,
 * so scripts reading them do not break. Hints come in the words of the
 * front end (its flags or inputs).
 */
import { hintFor, type PgshiftError, type Problem, type ProblemCode, type Setting } from './core/problem.js';
import type {
  AppliedMigration,
  CreatedMigration,
  MigrationOutcome,
  PendingMigration,
  Plan,
  PlannedMigration,
  RunReport,
  Status,
  ValidationReport,
} from './core/types.js';
import type { LintReport } from './engine/lint.js';
import type { RepairReport } from './engine/repair.js';
import type { VerifyReport } from './engine/verify-report.js';
import { describeChanges } from './schema/index.js';

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
  ...(l.size !== undefined && { size: l.size }),
  ...(l.statementLines !== undefined && { statement_lines: l.statementLines }),
});

/** `pgshift lint --json`: `{ ok, postgres_version, files, findings, problems, cleared }`. */
export function lintReportJson(r: LintReport, words: SettingWords = {}): Json {
  return {
    ok: r.ok,
    postgres_version: r.postgresVersion,
    files: r.files,
    findings: r.findings.map((p) => problemJson(p, words)),
    problems: r.problems.map((p) => problemJson(p, words)),
    cleared: r.cleared.map((c) => ({ file: c.file, line: c.line, end_line: c.endLine, rule: c.rule, reason: c.reason })),
  };
}

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

export const createdJson = (c: CreatedMigration): Json => ({ path: c.path, version: c.version, name: c.name });

/** A verify report: each new migration's steps, the problems, the schema diff in words, the time of each phase. */
export function verifyJson(r: VerifyReport, words: SettingWords = {}): Json {
  return {
    ok: r.ok,
    base: r.base,
    base_migrations: r.baseMigrations,
    ...(r.server && { server: r.server }),
    ...(r.sandbox && {
      sandbox: {
        server: r.sandbox.server,
        ...(r.sandbox.osUser !== undefined && { os_user: r.sandbox.osUser }),
        minimal_environment: r.sandbox.minimalEnvironment,
        superuser: r.sandbox.superuser,
        deadline_ms: r.sandbox.deadlineMs,
      },
    }),
    migrations: r.migrations.map((m) => ({
      version: m.version,
      name: m.name,
      file: m.file,
      transaction: m.transaction,
      has_down: m.hasDown,
      up: m.up,
      down: m.down,
      reup: m.reup,
      ...(m.upMs !== undefined && { up_ms: m.upMs }),
    })),
    problems: r.problems.map((p) => problemJson(p, words)),
    findings: r.findings.map((p) => problemJson(p, words)),
    schema_diff: describeChanges(r.schemaChanges),
    duration_ms: r.phases,
  };
}

/** A repair report: what was (or, dry, would be) recorded, and what was refused. */
export function repairJson(r: RepairReport, words: SettingWords = {}): Json {
  return {
    ok: r.ok,
    dry_run: r.dryRun,
    repaired: r.repaired.map((x) => ({ version: x.version, name: x.name, file: x.file, reason: x.reason, diff: x.diff })),
    problems: r.problems.map((p) => problemJson(p, words)),
  };
}
