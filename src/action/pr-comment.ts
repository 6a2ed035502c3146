import { GitHubApiError, type CommentsApi } from './github-api.js';

export type PublishResult =
  | { readonly kind: 'created' | 'updated'; readonly url: string }
  | { readonly kind: 'skipped'; readonly reason: string }
  /** The comment could not be written; a warning, never a reason to fail the step. */
  | { readonly kind: 'failed'; readonly warning: string };

export interface PublishRequest {
  readonly issue: number;
  /** The hidden line the body starts with, which finds the comment again. */
  readonly marker: string;
  /** The body, or how to make it from the earlier comment's (undefined when there is none). */
  readonly body: string | ((existing: string | undefined) => string);
  /** False when there is nothing worth a new comment (nothing pending, no problem): only an existing one is updated. */
  readonly createIfMissing: boolean;
}

/**
 * Updates this action's comment in place, or creates it. All pages are
 * searched first, so a pull request with many comments never gets a second
 * one. Only a comment the action's own identity wrote counts: anyone can post
 * one that starts with the hidden marker, and it must never be overwritten.
 * The workflow token writes as a bot, which no person can post as; a
 * personal token's own login is asked for only when a person's comment
 * carries the marker.
 */
export async function publishComment(api: CommentsApi, request: PublishRequest): Promise<PublishResult> {
  try {
    const comments = (await api.list(request.issue)).filter((c) => typeof c.body === 'string' && c.body.startsWith(request.marker));
    let existing = comments.find((c) => c.user?.type === 'Bot');
    if (!existing && comments.length > 0) {
      const me = await api.me();
      existing = me === undefined ? undefined : comments.find((c) => c.user?.login === me);
    }
    const body = typeof request.body === 'string' ? request.body : request.body(existing?.body);
    if (existing) {
      if (existing.body === body) return { kind: 'updated', url: existing.html_url };
      const updated = await api.update(existing.id, body);
      return { kind: 'updated', url: updated.html_url ?? existing.html_url };
    }
    if (!request.createIfMissing) return { kind: 'skipped', reason: 'nothing pending and no earlier comment to update' };
    const created = await api.create(request.issue, body);
    return { kind: 'created', url: created.html_url };
  } catch (error) {
    return { kind: 'failed', warning: commentWarning(error) };
  }
}

/** Says what to change, for the failures a workflow's settings cause. */
export function commentWarning(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof GitHubApiError ? error.status : 0;
  if (status === 403 || status === 404) {
    return `could not write the pull request comment (HTTP ${status}): the token may not write pull request comments. Add "permissions: pull-requests: write" to the job (and pass github-token if you replaced it). A pull request from a fork gets a read-only token, so there the plan is only in the job summary. The step's result does not depend on the comment. (${message})`;
  }
  if (status === 401) {
    return `could not write the pull request comment (HTTP 401): the github-token input is not a valid token. The step's result does not depend on the comment. (${message})`;
  }
  return `could not write the pull request comment: ${message}. The step's result does not depend on the comment.`;
}
