/**
 * verify's look at the fleet: each target asked, read-only and in
 * parallel, whether it lacks the pull request's new migrations, and how big
 * the tables the findings rewrite or scan are there. A target that does
 * not answer is counted, never an error; nothing of the pull request runs
 * on a target.
 */
import { byRows, type ImpactRequest, type TargetImpact } from '../core/fleet-impact.js';
import { PgshiftError } from '../core/problem.js';
import { redactor } from '../core/redact.js';
import { resolveOptions } from '../options.js';
import { secretsOf } from '../postgres/connection-info.js';
import { openSession } from '../postgres/pg-client.js';
import { sizesOf } from '../postgres/table-sizes.js';
import { readTracking } from '../postgres/tracking.js';
import { mapLimit } from './look.js';
import type { TargetSettings } from './target-run.js';
import type { Target, TargetSpec } from './targets.js';

/** Per target: connecting, and each query. Short: a target that is slow to answer is counted as unreachable, not waited for. */
export const IMPACT_TIMEOUT_MS = 5000;
/** The whole look: targets not started by then are counted as unreachable. */
export const IMPACT_BUDGET_MS = 60_000;

/** Every target's answer, `concurrency` at a time, in the targets' order; never throws. */
export async function impactAll(
  targets: readonly Target[],
  settings: TargetSettings,
  request: ImpactRequest,
  options: { readonly concurrency: number; readonly budgetMs?: number },
): Promise<TargetImpact[]> {
  const until = performance.now() + (options.budgetMs ?? IMPACT_BUDGET_MS);
  return mapLimit(targets, options.concurrency, (t) =>
    performance.now() > until
      ? Promise.resolve(unanswered(t.id, 'unreachable', 'not asked: the look at the fleet ran out of time'))
      : impactOn(t, settings, request),
  );
}

/** One target, on one short read-only session: its tracking table, then (when it lacks a new migration) the sizes of the tables named. */
async function impactOn(target: Target, settings: TargetSettings, request: ImpactRequest): Promise<TargetImpact> {
  let session: Awaited<ReturnType<typeof openSession>>;
  try {
    session = await openSession(target.connection, {
      readOnly: true,
      connectTimeoutMs: IMPACT_TIMEOUT_MS,
      statementTimeoutMs: IMPACT_TIMEOUT_MS,
      lockTimeoutMs: 1000,
      ...(target.schema !== undefined && { searchPath: target.schema }),
    });
  } catch (error) {
    return unanswered(target.id, 'unreachable', reason(error, target));
  }
  try {
    const { table } = resolveOptions({ ...settings, ...(target.schema !== undefined && { schema: target.schema }) });
    const tracking = await readTracking(session.client, table);
    const applied = new Set(tracking.rows.map((r) => r.version));
    const pending = request.versions.filter((v) => !applied.has(v));
    if (pending.length === 0) return { id: target.id, state: 'applied', pending, tables: [] };
    const sizes = await sizesOf(session.client, request.tables);
    const tables = sizes.map((s) => ({ table: s.table, work: s.ref.work, rows: s.rows, bytes: s.bytes }));
    return { id: target.id, state: 'touched', pending, tables: tables.sort(byRows) };
  } catch (error) {
    return unanswered(target.id, 'failed', reason(error, target));
  } finally {
    await session.close().catch(() => {});
  }
}

const unanswered = (id: string, state: 'unreachable' | 'failed', error: string): TargetImpact => ({
  id,
  state,
  pending: [],
  tables: [],
  error,
});

/** The error in one line, named by the variable the URL came from: a connection error's text names the host, never the URL. */
function reason(error: unknown, target: Target): string {
  const text = error instanceof PgshiftError ? error.problem.message : error instanceof Error ? error.message : String(error);
  return redactor(secretsOf(target.connection))(`${text} (${target.urlFrom})`);
}

/** The targets listed whose URL variable is not set: no answer, named by the variable. */
export function unsetTargets(
  specs: readonly TargetSpec[],
  env: Readonly<Record<string, string | undefined>>,
  fallback: string | undefined,
): TargetImpact[] {
  return specs.flatMap((s) => {
    const value = s.urlEnv !== undefined ? env[s.urlEnv] : fallback;
    return value === undefined || value.trim() === '' ? [unanswered(s.id, 'unreachable', `${s.urlEnv ?? 'DATABASE_URL'} is not set`)] : [];
  });
}
