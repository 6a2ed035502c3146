/** The read-only side of a fleet: status, plan and wait, every target in parallel. */
import { resolveOptions } from '../options.js';
import type { TargetStatusReport } from '../core/fleet.js';
import { openSession } from '../postgres/pg-client.js';
import { withPool } from '../postgres/session-pool.js';
import { readTracking } from '../postgres/tracking.js';
import { errorRecord, migratorFor, type TargetSettings } from './target-run.js';
import type { Target } from './targets.js';

/** `fn` over `items`, `limit` at a time, results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** status (or plan, with `plan`) of every target; never throws. */
export async function statusAll(
  targets: readonly Target[],
  settings: TargetSettings,
  concurrency: number,
  options: { readonly plan?: boolean; readonly version?: number } = {},
): Promise<TargetStatusReport[]> {
  // The targets on one server share sessions.
  return withPool(settings, (pooled) => mapLimit(targets, concurrency, (t) => statusOf(t, pooled, options)));
}

async function statusOf(
  t: Target,
  settings: TargetSettings,
  options: { readonly plan?: boolean; readonly version?: number },
): Promise<TargetStatusReport> {
  try {
    const { status, plan } = await migratorFor(t, settings).inspect({
      readOnly: true,
      ...(options.version !== undefined && { target: options.version }),
    });
    const problems = options.plan ? [...status.problems, ...plan.problems.filter((p) => !status.problems.includes(p))] : status.problems;
    return {
      id: t.id,
      labels: t.labels,
      currentVersion: status.currentVersion,
      pending: (options.plan ? plan.pending : status.pending).map((p) => p.version),
      problems,
    };
  } catch (error) {
    return { id: t.id, labels: t.labels, pending: [], problems: [], error: errorRecord(error) };
  }
}

/** `812 at 41, 3 at 39, 1 unreachable`: the targets by version, the most common first. */
export function histogram(reports: readonly TargetStatusReport[]): string {
  const counts = new Map<string, number>();
  for (const r of reports) {
    const key = r.error ? 'unreachable' : r.currentVersion === null ? 'none applied' : `at ${r.currentVersion}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, x], [b, y]) => (a === 'unreachable' ? 1 : b === 'unreachable' ? -1 : y - x))
    .map(([key, n]) => `${n} ${key}`)
    .join(', ');
}

/** The applied versions of a target, ascending, read on a read-only session; reads no files. */
export async function appliedVersions(target: Target, settings: TargetSettings): Promise<number[]> {
  const { table } = resolveOptions({ ...settings, ...(target.schema !== undefined && { schema: target.schema }) });
  const session = await openSession(target.connection, { readOnly: true, statementTimeoutMs: 30_000, pool: settings.pool });
  try {
    const tracking = await readTracking(session.client, table);
    return tracking.rows.map((r) => r.version).sort((a, b) => a - b);
  } finally {
    await session.close();
  }
}

/** The highest applied version of a target; null for none. */
export async function currentVersion(target: Target, settings: TargetSettings): Promise<number | null> {
  const versions = await appliedVersions(target, settings);
  return versions.at(-1) ?? null;
}
