/**
 * After an apply on a push to the default branch: the pull requests that
 * brought the pushed commits get what was applied, where and when, at the top
 * of their pgshift comment.
 */
import { commentMarker } from './comment.js';
import type { EventInfo } from './event.js';
import type { Outcome } from './execute.js';
import { apiFromEnv, type CommentsApi, type CommitsApi } from './github-api.js';
import { publishComment, type PublishResult } from './pr-comment.js';
import { renderAppliedSection, visibleSection, withAppliedSection } from './applied-section.js';
import { link } from './markdown.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The newest pushed commits asked about: one request each, and a merge's own commit is the newest. */
const MAX_COMMITS = 30;

export interface ReportBackRequest {
  readonly event: EventInfo;
  readonly outcome: Outcome;
  readonly dir: string;
  readonly table: string;
  readonly token: string;
  readonly env: Env;
  /** The database's host and port, never more. */
  readonly where: string | undefined;
  readonly runUrl: string | undefined;
  readonly redactMarkdown: (text: string) => string;
  readonly now?: Date;
  readonly api?: CommentsApi & CommitsApi;
}

export interface ReportBack {
  /** The section as the comments got it, redacted. */
  readonly section: string;
  /** Each pull request found, and what became of its comment. */
  readonly pulls: readonly { readonly number: number; readonly result: PublishResult }[];
  /** Log lines: why none was found, or what could not be asked. */
  readonly notes: readonly string[];
}

/**
 * Only a migrate on a push that applied something or failed reports back: a
 * push with nothing to apply leaves every comment as it is. A pull request
 * without a pgshift comment gets one (the apply is news to its author even
 * when its check could not comment, on a fork say). Never throws; nothing
 * here fails the step.
 */
export async function reportBack(r: ReportBackRequest): Promise<ReportBack | undefined> {
  const { event, outcome } = r;
  if (outcome.command !== 'migrate' || event.name !== 'push') return undefined;
  const applied = outcome.report?.results.some((m) => m.status === 'success') ?? false;
  if (outcome.ok && !applied) return undefined;
  const sha = event.pushed?.at(-1) ?? event.sha;
  const section = r.redactMarkdown(
    renderAppliedSection({
      outcome,
      where: r.where,
      at: r.now ?? new Date(),
      ...(r.runUrl !== undefined && { runUrl: r.runUrl }),
      ...(sha !== undefined && { sha }),
    }),
  );
  if (!r.token || !event.repository) {
    return { section, pulls: [], notes: ['report back: no github-token or GITHUB_REPOSITORY, so no pull request is told'] };
  }
  const api = r.api ?? apiFromEnv(r.env, r.token, event.repository);
  const notes: string[] = [];
  const numbers = new Set<number>();
  for (const commit of (event.pushed ?? (event.sha ? [event.sha] : [])).slice(-MAX_COMMITS)) {
    try {
      for (const pull of await api.pullsOf(commit)) if (pull.merged_at) numbers.add(pull.number);
    } catch (error) {
      notes.push(
        `report back: could not list the pull requests of ${commit.slice(0, 7)} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  if (numbers.size === 0) notes.push('report back: no merged pull request brought these commits (a direct push?), so none is told');
  const marker = commentMarker(r.dir, r.table);
  const pulls = [];
  for (const number of [...numbers].sort((a, b) => a - b)) {
    const body = (existing: string | undefined) => r.redactMarkdown(withAppliedSection(existing, marker, section));
    pulls.push({ number, result: await publishComment(api, { issue: number, marker, body, createIfMissing: true }) });
  }
  return { section, pulls, notes };
}

/** The job summary's part: the same section, and which pull requests were told. */
export function appendixOf(back: ReportBack): string {
  const told = back.pulls.map(({ number, result }) =>
    result.kind === 'created' || result.kind === 'updated' ? link(`#${number}`, result.url) : `#${number} (not written)`,
  );
  const which = told.length > 0 ? `Reported on ${told.join(', ')}.` : 'No pull request was told (see the log).';
  return `${visibleSection(back.section)}\n\n${which}`;
}
