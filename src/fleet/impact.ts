/**
 * verify's look at the fleet: each target asked, read-only and in
 * parallel, whether it lacks the pull request's new migrations, and how big
 * the tables the findings rewrite or scan are there. A target that does
 * not answer is counted, never an error; nothing of the pull request runs
 * on a target.
 */
import { byRows, summariseImpact, type FleetImpact, type ImpactRequest, type TargetImpact } from '../core/fleet-impact.js';
import { PgshiftError, type Problem } from '../core/problem.js';
import { redactor } from '../core/redact.js';
import { resolveOptions } from '../options.js';
import { describeConnection, formatConnection, secretsOf } from '../postgres/connection-info.js';
import { openSession } from '../postgres/pg-client.js';
import { sizesOf } from '../postgres/table-sizes.js';
import { readTracking } from '../postgres/tracking.js';
import { mapLimit } from './look.js';
import { problemsOf, type TargetSettings } from './target-run.js';
import type { FleetOptions } from './fleet.js';
import { checkSpecs, type Target, type TargetSpec } from './targets.js';

/** Per target: connecting, and each query. Short: a target that is slow to answer is counted as unreachable, not waited for. */
export const IMPACT_TIMEOUT_MS = 5000;
/** The whole look: targets not started by then are counted as unreachable. */
export const IMPACT_BUDGET_MS = 60_000;

/** What the fleet's look needs of it. */
export interface ImpactFleet {
  readonly options: Pick<FleetOptions, 'targets' | 'targetsFrom' | 'env' | 'defaultConnection'>;
  readonly targets: () => Promise<{ readonly targets: readonly Target[]; readonly problems: readonly Problem[] }>;
  readonly settings: TargetSettings;
  readonly concurrency: number;
}

/**
 * What a pull request's new migrations would do across the fleet: which
 * targets lack them, and the size of the tables the findings rewrite or
 * scan on each. Read-only, short timeouts; a target that does not answer is
 * counted, and problems with the list come back as warnings. Never throws.
 */
export async function fleetImpact(request: ImpactRequest, fleet: ImpactFleet): Promise<FleetImpact> {
  try {
    const { options } = fleet;
    const { targets, problems } = await fleet.targets();
    const answers = await impactAll(targets, fleet.settings, request, { concurrency: fleet.concurrency });
    const specs = checkSpecs(options.targets, options.targetsFrom ?? 'targets').specs;
    const unset = unsetTargets(specs, options.env, options.defaultConnection);
    // An unset variable is its target's answer (unreachable), not a problem with the list as well.
    const listed = problems.filter((p) => p.code !== 'CONNECTION_FAILED');
    return summariseImpact([...answers, ...unset], asWarnings(listed));
  } catch (error) {
    return summariseImpact([], asWarnings(problemsOf(error)));
  }
}

const asWarnings = (problems: readonly Problem[]): Problem[] => problems.map((p) => ({ ...p, severity: 'warning' }));

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
  // The server as the variable names it, not by its host: the report names targets, never where they are.
  const where = formatConnection(describeConnection(target.connection));
  const named = where !== '' && text.includes(where) ? text.split(where).join(target.urlFrom) : `${text} (${target.urlFrom})`;
  return redactor(secretsOf(target.connection))(named);
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
