/**
 * The JSON documents of the reports only the front ends print: `pgshift
 * lint`, `verify`, `repair` and `create` with --json. The library's own
 * documents (status, plan, validation, a run, an error) are in ../json.ts,
 * whose problem document these share.
 */
import { problemJson, type SettingWords } from '../json.js';
import type { CreatedMigration } from '../core/types.js';
import type { LintReport } from '../engine/lint.js';
import type { RepairReport } from '../engine/repair.js';
import type { VerifyReport } from '../engine/verify-report.js';
import { describeChanges } from '../schema/describe.js';
import { rehearsalJson } from './rehearsal.js';
import { fleetImpactJson } from './fleet-impact.js';

export { problemJson };

type Json = Record<string, unknown>;

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
    ...(r.rehearsal && { rehearsal: rehearsalJson(r.rehearsal) }),
    ...(r.fleet && { fleet: fleetImpactJson(r.fleet) }),
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
