/**
 * What an apply on the default branch did, as a section of the pull
 * request's pgshift comment (and of the job summary): where, when, each
 * migration's time, lock waits and retries, the failure at its file and line,
 * and the run's link.
 */
import type { MigrationOutcome } from '../index.js';
import { formatDuration, plural } from '../frontend/format.js';
import type { Outcome } from './execute.js';
import { code, link, table, text } from './markdown.js';
import { COMMENT_LIMIT } from './sql-blocks.js';

const START = '<!-- pgshift:applied -->';
const END = '<!-- /pgshift:applied -->';

export interface AppliedInput {
  readonly outcome: Outcome;
  /** The database's host and port only (`db.internal:5432`): never a user, a password or a database name. */
  readonly where: string | undefined;
  /** When the apply finished. */
  readonly at: Date;
  readonly runUrl?: string;
  /** The pushed commit the migrations came with. */
  readonly sha?: string;
}

const MARKS: Record<MigrationOutcome['status'], string> = { success: '✅', error: '❌', 'not-executed': '⏭️' };

/** The section, between hidden markers, so that a later apply replaces it. */
export function renderAppliedSection(input: AppliedInput): string {
  const { outcome } = input;
  const report = outcome.report;
  const results = report?.results ?? [];
  const done = results.filter((r) => r.status === 'success');
  const on = input.where ? ` on ${code(input.where)}` : '';
  const when = `${input.at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')}`;
  const headline = outcome.ok
    ? `### 🚀 Applied on merge: ${plural(done.length, 'migration')}${on}`
    : `### ❌ Apply on merge failed${on}${done.length > 0 ? ` after ${plural(done.length, 'migration')}` : ''}`;
  const by = [
    `${outcome.ok ? 'Finished' : 'Stopped'} ${when}`,
    report ? `in ${formatDuration(report.durationMs)}` : undefined,
    input.sha ? `from commit ${code(input.sha.slice(0, 7))}` : undefined,
    input.runUrl ? `by this ${link('workflow run', input.runUrl)}` : undefined,
  ].filter(Boolean);
  const out = [START, headline, '', `${by.join(' ')}.`, ''];
  if (!outcome.ok && outcome.error) {
    const first = outcome.error.problem;
    const at = first.file ? `${code(`${first.file}${first.line !== undefined ? `:${first.line}` : ''}`)}: ` : '';
    out.push('> [!CAUTION]', `> ${at}${text(first.message)}`, '');
  } else if (!outcome.ok) out.push('> [!CAUTION]', `> ${text(outcome.failure ?? 'migrate failed')}`, '');
  if (results.length > 0) {
    // A column for the lock retries (--lock-retries) when any migration needed one.
    const retried = results.some((r) => (r.lockRetries ?? 0) > 0);
    const rows = results.map((r) => [
      MARKS[r.status],
      String(r.version),
      text(r.name),
      r.status === 'success' ? 'applied' : r.status === 'error' ? 'failed' : 'not run',
      r.durationMs === undefined ? '' : formatDuration(r.durationMs),
      ...(retried ? [lockCell(r)] : []),
    ]);
    const head = ['', 'Version', 'Name', 'Result', 'Time', ...(retried ? ['Lock retries'] : [])];
    out.push(table(head, ['c', 'r', 'l', 'l', 'r', 'l'].slice(0, head.length) as ('l' | 'r' | 'c')[], rows), '');
  }
  if (report?.waitedForLock) out.push("It first waited for another run's migration lock.", '');
  out.push(END);
  return out.join('\n');
}

function lockCell(r: MigrationOutcome): string {
  return r.lockRetries ? plural(r.lockRetries, 'retry', 'retries') : 'none';
}

/**
 * The comment with the section at its top, under the hidden marker line: an
 * earlier section replaced, the rest (the pull request's last report) kept
 * below, cut at a line when the whole would pass GitHub's limit.
 */
export function withAppliedSection(existing: string | undefined, marker: string, section: string): string {
  let rest = existing === undefined ? '' : existing.startsWith(marker) ? existing.slice(marker.length).replace(/^\n/, '') : existing;
  // Only a section at the top is this one's: the report below holds a pull request's SQL, which may spell the markers too.
  const end = rest.indexOf(END);
  if (rest.startsWith(START) && end !== -1) rest = rest.slice(end + END.length).replace(/^\s+/, '');
  const head = `${marker}\n${section}`;
  if (rest === '') return head;
  const note = '\n\n<sub>The report of the pull request’s last check, cut to fit; the workflow run of that check has it all.</sub>';
  const room = COMMENT_LIMIT - head.length - 2 - note.length;
  if (rest.length <= room + note.length) return `${head}\n\n${rest}`;
  const cut = rest.slice(0, Math.max(0, room));
  return `${head}\n\n${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${note}`;
}

/** The section without its hidden markers, for the job summary. */
export function visibleSection(section: string): string {
  return section.replace(START, '').replace(END, '').trim();
}
