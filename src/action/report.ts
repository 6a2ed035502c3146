/**
 * The report of a plan or verify run, as the pull request's comment and the
 * job summary show it, and the comment's publication.
 */
import type { Problem } from '../index.js';
import type { LintMode } from '../frontend/settings.js';
import { commentMarker, renderPlanComment } from './comment.js';
import type { EventInfo } from './event.js';
import type { Outcome } from './execute.js';
import { apiFromEnv } from './github-api.js';
import type { ActionInputs } from './inputs.js';
import { publishComment, type PublishResult } from './pr-comment.js';
import { renderVerifyComment } from './verify-comment.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface CommentContext {
  /** The migrations directory and the tracking table, as the settings name them. */
  readonly dir: string;
  readonly table: string;
  readonly inputs: ActionInputs;
  readonly event: EventInfo;
  readonly outcome: Outcome;
  readonly problems: Outcome['problems'];
  readonly findings: readonly Problem[];
  /** How the lint ran, which the report says (`lint: off`). */
  readonly lintMode: LintMode;
  /** This workflow run's page, which the report links to. */
  readonly runUrl: string | undefined;
  readonly env: Env;
  readonly token: string;
  /** Every secret masked once more in the whole body, Markdown-escaped forms included. */
  readonly redactMarkdown: (text: string) => string;
}

/**
 * This workflow run's page, from the variables the runner sets; none when
 * one is missing or is not of the form GitHub gives it (the URL goes into a
 * public comment as a link).
 */
export function runUrlOf(env: Env): string | undefined {
  const server = (env.GITHUB_SERVER_URL ?? '').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const id = env.GITHUB_RUN_ID ?? '';
  if (!/^https?:\/\/[\w.-]+(:\d+)?(\/[\w.~-]+)*$/.test(server) || !/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^\d+$/.test(id))
    return undefined;
  return `${server}/${repository}/actions/runs/${id}`;
}

/** The plan or verify report as the comment shows it, the hidden marker first. */
export function reportBody(c: CommentContext, place: 'comment' | 'summary' = 'comment'): string {
  const { dir, table } = c;
  const marker = commentMarker(dir, table);
  const { plan, failure, verify } = c.outcome;
  const sha = c.event.pullRequest?.headSha ?? c.event.mergeGroup?.headSha;
  if (verify) {
    return renderVerifyComment({
      marker,
      dir,
      table,
      report: verify,
      problems: c.problems,
      findings: c.findings,
      lintMode: c.lintMode,
      ...(c.runUrl !== undefined && { runUrl: c.runUrl }),
      ...(sha !== undefined && { sha }),
      ...(plan && { production: { plan } }),
      place,
    });
  }
  return renderPlanComment({
    marker,
    dir,
    table,
    ...(plan && { plan }),
    problems: c.problems,
    findings: c.findings,
    lintMode: c.lintMode,
    ...(c.runUrl !== undefined && { runUrl: c.runUrl }),
    ...(failure !== undefined && { failure }),
    ...(sha !== undefined && { sha }),
    place,
  });
}

/** The report for the job summary, which has room for more than a comment: without the hidden marker, redacted as the comment is. */
export function summaryBody(body: string): string {
  return body.slice(body.indexOf('\n') + 1);
}

export async function publish(c: CommentContext, body: string): Promise<PublishResult> {
  if (!c.token)
    return { kind: 'failed', warning: 'no github-token: the report is in the job summary only; pass github-token: ${{ github.token }}' };
  if (!c.event.repository)
    return {
      kind: 'failed',
      warning: 'GITHUB_REPOSITORY is not set, so the pull request is unknown; the report is in the job summary only',
    };
  const { plan, failure, verify } = c.outcome;
  const api = apiFromEnv(c.env, c.token, c.event.repository);
  // A new comment for something to look at; "nothing pending" only replaces an earlier one.
  const worthNew =
    (plan?.pending.length ?? 0) > 0 || (verify?.migrations.length ?? 0) > 0 || c.problems.length > 0 || failure !== undefined;
  const marker = commentMarker(c.dir, c.table);
  return publishComment(api, { issue: c.event.pullRequest!.number, marker, body: c.redactMarkdown(body), createIfMissing: worthNew });
}
