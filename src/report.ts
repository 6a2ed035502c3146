import type { RunReport, RunReportJson } from './core/types.js';

/** A run report in the shape `--json` prints and the action outputs: `applied` or `rolled_back`, `not_executed`, `error`. */
export function runReportJson(report: RunReport): RunReportJson {
  const done = report.results.filter((r) => r.status === 'success');
  const failed = report.results.find((r) => r.status === 'error');
  return {
    ok: report.ok,
    ...(report.direction === 'up' ? { applied: done } : { rolled_back: done }),
    ...(failed && { failed }),
    not_executed: report.results.filter((r) => r.status === 'not-executed'),
    warnings: report.warnings,
    waited_for_lock: report.waited_for_lock,
    duration_ms: report.duration_ms,
    ...(report.error && { error: report.error.toJSON() }),
  };
}
