import { statusJson } from '../index.js';
import { problemJson } from '../frontend/json.js';
import type { Outcome } from './execute.js';
import { ACTION_WORDS } from '../frontend/words.js';

/**
 * The step's outputs. `applied` and `rolled-back` are always set (`[]` when
 * this run changed nothing); `pending`, `pending-count` and `status` only
 * when the state could be read, so a consumer never mistakes "unknown" for "none".
 */
export function outputsOf(outcome: Outcome, commentUrl?: string): Record<string, string> {
  const changed = (direction: 'up' | 'down') =>
    JSON.stringify(
      outcome.report?.direction === direction
        ? outcome.report.results.filter((r) => r.status === 'success').map((r) => ({ version: r.version, name: r.name }))
        : [],
    );
  const pending = outcome.status?.pending ?? outcome.plan?.pending;
  return {
    applied: changed('up'),
    'rolled-back': changed('down'),
    ...(pending && {
      pending: JSON.stringify(pending.map((p) => ({ version: p.version, name: p.name }))),
      'pending-count': String(pending.length),
    }),
    ...(outcome.status && { status: JSON.stringify(statusJson(outcome.status, ACTION_WORDS)) }),
    ...(outcome.verify && { verified: String(outcome.verify.ok) }),
    ...(outcome.findings && { findings: JSON.stringify(outcome.findings.map((f) => problemJson(f, ACTION_WORDS))) }),
    ...(commentUrl !== undefined && { 'comment-url': commentUrl }),
  };
}
