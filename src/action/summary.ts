import type { MigrationOutcome, RunReport } from '../index.js';
import { findingsList, pendingTable } from './comment.js';
import type { Outcome } from './execute.js';
import type { Finding } from './findings.js';
import { code, databaseLabel, fenced, milliseconds, plural, table, text } from './markdown.js';

export interface SummaryInput {
  readonly outcome: Outcome;
  /** Why this command ran (`auto: push to the default branch main → migrate`). */
  readonly reason: string;
  readonly where: string;
  readonly dir: string;
  readonly table: string;
  readonly findings: readonly Finding[];
  readonly commentUrl?: string;
  /** Why no comment was written, when one should have been. */
  readonly commentWarning?: string;
}

/** The job summary: what ran and why, each migration's result and time, the problems. */
export function renderSummary(input: SummaryInput): string {
  const { outcome } = input;
  const db = databaseLabel(input.where);
  const out = [`## ${outcome.ok ? '✅' : '❌'} pgshift ${outcome.command}: ${headline(outcome, db)}`, ''];
  out.push(`<sub>${text(input.reason)} · directory ${code(input.dir)} · table ${code(input.table)}</sub>`, '');
  if (outcome.failure) out.push('> [!CAUTION]', `> ${text(outcome.failure)}`, '');

  if (outcome.report && outcome.report.results.length > 0) out.push(runTable(outcome.report), '');
  const pendingNow = outcome.plan?.pending ?? (outcome.command === 'status' ? outcome.status?.pending : undefined);
  if (pendingNow && pendingNow.length > 0) out.push(`**Pending**`, '', pendingTable(pendingNow), '');
  if (input.findings.length > 0) out.push(findingsList(input.findings), '');

  const server = outcome.error?.server;
  if (server?.detail || server?.where) {
    const details = [server.detail && `detail: ${server.detail}`, server.where && `where: ${server.where}`].filter(Boolean).join('\n');
    out.push('<details><summary>Server details</summary>', '', fenced(details), '', '</details>', '');
  }
  if (outcome.report && outcome.status) {
    out.push(`Afterwards: ${plural(outcome.status.applied_count, 'migration')} applied, ${outcome.status.pending_count} pending.`, '');
  }
  if (input.commentUrl)
    out.push(`The plan is in [the pull request comment](${input.commentUrl.replace(/[()\s]/g, encodeURIComponent)}).`, '');
  if (input.commentWarning) out.push(`> [!WARNING]`, `> ${text(input.commentWarning)}`, '');
  return out.join('\n');
}

function headline(outcome: Outcome, db: string): string {
  const { report, plan, status, validation } = outcome;
  if (report) {
    const done = report.results.filter((r) => r.status === 'success').length;
    const up = report.direction === 'up';
    if (!report.ok) return `failed on ${db} after ${up ? 'applying' : 'rolling back'} ${plural(done, 'migration')}`;
    if (done === 0) return up ? `nothing to apply; ${db} is up to date` : `nothing to roll back on ${db}`;
    return `${up ? 'applied' : 'rolled back'} ${plural(done, 'migration')} on ${db} in ${milliseconds(report.duration_ms)}`;
  }
  if (plan) return plan.pending.length === 0 ? `nothing pending on ${db}` : `${plural(plan.pending.length, 'migration')} pending on ${db}`;
  if (validation) return validation.ok ? `${plural(validation.files, 'migration file')} valid` : 'problems found';
  if (status) return `${status.applied_count} applied, ${status.pending_count} pending on ${db}`;
  return `failed on ${db}`;
}

const MARKS: Record<MigrationOutcome['status'], string> = { success: '✅', error: '❌', 'not-executed': '⏭️' };

function runTable(report: RunReport): string {
  const done = report.direction === 'up' ? 'applied' : 'rolled back';
  const rows = report.results.map((r) => [
    MARKS[r.status],
    String(r.version),
    text(r.name),
    r.status === 'success' ? done : r.status === 'error' ? 'failed' : 'not run',
    milliseconds(r.duration_ms),
  ]);
  return table(['', 'Version', 'Name', 'Result', 'Time'], ['c', 'r', 'l', 'l', 'r'], rows);
}
