import type { MigrationOutcome, Problem, RunReport } from '../index.js';
import { formatDuration, plural } from '../frontend/format.js';
import type { Outcome } from './execute.js';
import { code, DATABASE, fenced, table, text } from './markdown.js';
import { pendingTable, problemsList } from './render.js';

export interface SummaryInput {
  readonly outcome: Outcome;
  /** Why this command ran (`auto: push to the default branch main → migrate`). */
  readonly reason: string;
  readonly dir: string;
  readonly table: string;
  readonly problems: readonly Problem[];
  /** For plan and verify: the report as the comment shows it, which the summary carries whole. */
  readonly body?: string;
  readonly commentUrl?: string;
  /** Why no comment was written, when one should have been. */
  readonly commentWarning?: string;
  /** Markdown added at the end: an apply's report back to its pull requests. */
  readonly appendix?: string;
}

/** The job summary: what ran and why, each migration's result and time, the problems. */
export function renderSummary(input: SummaryInput): string {
  const { outcome } = input;
  const db = DATABASE;
  const reason = `<sub>${text(input.reason)} · directory ${code(input.dir)} · table ${code(input.table)}</sub>`;
  if (input.body !== undefined) return [reason, '', input.body, '', ...commentNotes(input)].join('\n');
  const out = [`## ${outcome.ok ? '✅' : '❌'} pgshift ${outcome.command}: ${headline(outcome, db)}`, ''];
  out.push(reason, '');
  if (outcome.failure) out.push('> [!CAUTION]', `> ${text(outcome.failure)}`, '');

  if (outcome.report && outcome.report.results.length > 0) out.push(runTable(outcome.report), '');
  const pendingNow = outcome.plan?.pending ?? (outcome.command === 'status' ? outcome.status?.pending : undefined);
  if (pendingNow && pendingNow.length > 0) out.push(`**Pending**`, '', pendingTable(pendingNow), '');
  if (input.problems.length > 0) out.push(problemsList(input.problems), '');

  const server = outcome.error?.problem.server;
  if (server?.detail || server?.where) {
    const details = [server.detail && `detail: ${server.detail}`, server.where && `where: ${server.where}`].filter(Boolean).join('\n');
    out.push('<details><summary>Server details</summary>', '', fenced(details), '', '</details>', '');
  }
  if (outcome.report && outcome.status) {
    out.push(`Afterwards: ${plural(outcome.status.appliedCount, 'migration')} applied, ${outcome.status.pendingCount} pending.`, '');
  }
  out.push(...commentNotes(input));
  if (input.appendix !== undefined) out.push(input.appendix, '');
  return out.join('\n');
}

function commentNotes(input: SummaryInput): string[] {
  const notes: string[] = [];
  if (input.commentUrl)
    notes.push(`The report is also in [the pull request comment](${input.commentUrl.replace(/[()\s]/g, encodeURIComponent)}).`, '');
  if (input.commentWarning) notes.push(`> [!WARNING]`, `> ${text(input.commentWarning)}`, '');
  return notes;
}

function headline(outcome: Outcome, db: string): string {
  const { report, plan, status, validation } = outcome;
  if (report) {
    const done = report.results.filter((r) => r.status === 'success').length;
    const up = report.direction === 'up';
    if (!report.ok) return `failed on ${db} after ${up ? 'applying' : 'rolling back'} ${plural(done, 'migration')}`;
    if (done === 0) return up ? `nothing to apply; ${db} is up to date` : `nothing to roll back on ${db}`;
    return `${up ? 'applied' : 'rolled back'} ${plural(done, 'migration')} on ${db} in ${formatDuration(report.durationMs)}`;
  }
  if (plan) return plan.pending.length === 0 ? `nothing pending on ${db}` : `${plural(plan.pending.length, 'migration')} pending on ${db}`;
  if (validation) return validation.ok ? `${plural(validation.files, 'migration file')} valid` : 'problems found';
  if (status) return `${status.appliedCount} applied, ${status.pendingCount} pending on ${db}`;
  return `failed on ${db}`;
}

const MARKS: Record<MigrationOutcome['status'], string> = { success: '✅', error: '❌', 'not-executed': '⏭️' };

function runTable(report: RunReport): string {
  const done = report.direction === 'up' ? 'applied' : 'rolled back';
  const rows = report.results.map((r) => [
    MARKS[r.status],
    String(r.version),
    text(r.name),
    `${r.status === 'success' ? done : r.status === 'error' ? 'failed' : 'not run'}${
      r.lockRetries ? ` after ${r.lockRetries} lock ${r.lockRetries === 1 ? 'retry' : 'retries'}` : ''
    }`,
    r.durationMs === undefined ? '' : formatDuration(r.durationMs),
  ]);
  return table(['', 'Version', 'Name', 'Result', 'Time'], ['c', 'r', 'l', 'l', 'r'], rows);
}
