/**
 * All or none over many targets (`fleet migrate --atomic`): every target's
 * pending migrations run to `PREPARE TRANSACTION`, then every target commits
 * (`COMMIT PREPARED`), or every target rolls back. Shards that must not skew
 * get the same version at the same moment, or stay as they were.
 */
import { createParser } from '../core/migration.js';
import type { MigrationListing } from '../core/ports.js';
import { errorsOf, PgshiftError, type Problem } from '../core/problem.js';
import type { MigrationOutcome } from '../core/types.js';
import { gidKey, type Coordinator, type CoordinatorFate } from '../engine/leftovers.js';
import {
  preflightTarget,
  prepareTarget,
  type AtomicTarget,
  type FailedTarget,
  type PreparedTarget,
  type ResolvedLeftover,
  type RunContext,
  type TargetPreflight,
} from '../engine/prepared.js';
import { unexpectedError } from '../engine/unexpected.js';
import { resolveOptions, type MigratorOptions } from '../options.js';
import { finishTarget, fateOn } from './atomic-finish.js';
import { eachLimited } from './each-limited.js';
import { capacityProblems, checkInput, newRunId } from './atomic-checks.js';

export type { AtomicTarget };

/** How the run goes; the migration options are `Migrator`'s (but `connection`, which each target gives). */
export interface AtomicOptions extends Omit<MigratorOptions, 'connection' | 'onEvent' | 'lint'> {
  /** How many targets are checked and prepared at once. Default 8. Finishing (COMMIT PREPARED) goes as wide. */
  readonly concurrency?: number | undefined;
  /** The run's id, in every gid (`pgshift:<run>:<target>…`): letters, digits, `.`, `_`, `-`, up to 40. Default: the time and a random suffix. */
  readonly runId?: string | undefined;
  /** Called as each target ends (committed, rolled back, failed…), for progress lines. */
  readonly onTarget?: ((target: AtomicTargetResult) => void) | undefined;
}

/** How a target ended. */
export type AtomicTargetStatus =
  /** Its migrations are applied: its prepared transaction committed. */
  | 'committed'
  /** Nothing pending: it took no part. */
  | 'up-to-date'
  /** It was prepared (or under way) and rolled back because another target failed or the run was refused: unchanged. */
  | 'rolled-back'
  /** It failed (a migration, a connection, its lock) and was rolled back: unchanged; `error` says why. */
  | 'failed'
  /** Never started: the check before the run refused it (see `problems`), or the run stopped first. */
  | 'not-started'
  /** Prepared, and the commit or rollback the run decided could not be sent: the next run ends it by the rule (see `error`). */
  | 'in-doubt';

export interface AtomicTargetResult {
  readonly id: string;
  readonly status: AtomicTargetStatus;
  /** Its pending migrations: `success` once committed; `not-executed` when rolled back; `error` for the one that failed. */
  readonly results: readonly MigrationOutcome[];
  /** Its prepared transaction's name, when it had one. */
  readonly gid?: string;
  /** How long its transaction stayed prepared, holding its locks, until committed or rolled back, in ms. */
  readonly heldMs?: number;
  /** What went wrong on it. */
  readonly error?: PgshiftError;
  /** Prepared transactions earlier runs left on it, and what this run did with them. */
  readonly leftovers: readonly ResolvedLeftover[];
}

/** What `runAtomic` returns; it never throws. */
export interface AtomicResult {
  /** True when every target with pending migrations committed (or none had any). */
  readonly ok: boolean;
  readonly runId: string;
  /**
   * `refused`: the check before the run found a problem; nothing ran.
   * `commit`: every target was prepared, and committed (see `in-doubt` targets).
   * `rollback`: a target failed; every target was rolled back.
   * `nothing-to-do`: no target had a pending migration.
   */
  readonly decision: 'refused' | 'commit' | 'rollback' | 'nothing-to-do';
  /** In the order given. */
  readonly targets: readonly AtomicTargetResult[];
  /**
   * The lock window: from the first target's PREPARE to the last target's
   * COMMIT PREPARED (or ROLLBACK PREPARED), in ms: how long the first target
   * prepared held its locks waiting for the others. 0 when nothing was prepared.
   */
  readonly lockWindowMs: number;
  readonly durationMs: number;
  /** Why the run did not commit everywhere: the refusals together, or the failed targets' errors. */
  readonly error?: PgshiftError;
}

/**
 * Migrates every target or none. In three phases:
 * 1. **check**, before anything runs, every target at once (bounded): it
 *    can be reached, its server has `max_prepared_transactions` above 0 and
 *    room for the run's transactions and connections, its history is sound,
 *    no pending migration is `-- pgshift:no-transaction`. Prepared
 *    transactions an earlier run left on a target are ended here, by the
 *    rule of engine/leftovers.ts (committed when the run's coordinator
 *    committed, otherwise rolled back), so none stays to hold back VACUUM.
 *    Any problem refuses the whole run, each naming its target.
 * 2. **prepare**: each target with pending migrations runs them all in one
 *    transaction under its migration lock and prepares it as
 *    `pgshift:<run>:<target>`. The first such target is the coordinator:
 *    the others' gids carry its transaction id. A failure anywhere stops the
 *    targets not yet done.
 * 3. **finish**: all prepared → the coordinator commits first (that commit
 *    is the run's decision, readable by any later run), then the others;
 *    any failure → every prepared transaction rolls back.
 *
 * Each target holds two connections while it prepares and one (its lock's)
 * until it is finished; the check refuses a server without room for them.
 *
 * @example
 * const result = await runAtomic(
 *   [{ id: 'eu', connection: process.env.EU_URL! }, { id: 'us', connection: process.env.US_URL! }],
 *   { dir: 'migrations', concurrency: 8 },
 * );
 * if (!result.ok) console.error(result.error?.message);
 * console.log(`locks held ${result.lockWindowMs} ms waiting for the last target`);
 */
export async function runAtomic(targets: readonly AtomicTarget[], options: AtomicOptions = {}): Promise<AtomicResult> {
  const started = performance.now();
  const runId = options.runId ?? newRunId();
  const done = (result: Omit<AtomicResult, 'runId' | 'durationMs'>): AtomicResult => ({
    ...result,
    runId,
    durationMs: Math.round(performance.now() - started),
  });
  const refuse = (problems: readonly Problem[], results?: readonly AtomicTargetResult[]) =>
    done({
      ok: false,
      decision: 'refused',
      targets: results ?? targets.map((t) => ({ id: t.id, status: 'not-started', results: [], leftovers: [] })),
      lockWindowMs: 0,
      error: new PgshiftError(problems, {
        message: `${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was run on any target`,
      }),
    });
  let context: RunContext;
  let concurrency: number;
  try {
    const checked = checkInput(targets, options.concurrency, runId);
    concurrency = checked.concurrency;
    if (checked.problems.length > 0) return refuse(checked.problems);
    const settings = resolveOptions({ ...options, connection: undefined });
    const listing: MigrationListing = await settings.source.read();
    // The files' own problems once, not once per target.
    const fileErrors = errorsOf(listing.problems);
    if (fileErrors.length > 0) return refuse(fileErrors);
    context = { settings, listing, parse: createParser(), runId, fate: (c) => fateOf(targets, settings, c) };
  } catch (thrown) {
    return refuse(unexpectedError(thrown).problems);
  }

  const checks = await eachLimited(targets, concurrency, (target) => preflightTarget(target, context));
  const problems = [...checks.flatMap((c) => c.problems), ...capacityProblems(checks, concurrency)];
  if (problems.length > 0) {
    const byId = new Map(checks.map((c) => [c.id, c]));
    return refuse(
      problems,
      targets.map((t) => ({ id: t.id, status: 'not-started', results: [], leftovers: byId.get(t.id)?.leftovers ?? [] })),
    );
  }
  return prepareAndFinish(targets, checks, context, concurrency, options.onTarget).then(done);
}

async function prepareAndFinish(
  targets: readonly AtomicTarget[],
  checks: readonly TargetPreflight[],
  context: RunContext,
  concurrency: number,
  onTarget: ((target: AtomicTargetResult) => void) | undefined,
): Promise<Omit<AtomicResult, 'runId' | 'durationMs'>> {
  const leftoversOf = new Map(checks.map((c) => [c.id, c.leftovers]));
  const working = targets.filter((_, i) => checks[i]!.pending.length > 0);
  const report = (result: AtomicTargetResult): AtomicTargetResult => (onTarget?.(result), result);
  const idle = (t: AtomicTarget, status: AtomicTargetStatus, results: readonly MigrationOutcome[] = []) =>
    report({ id: t.id, status, results, leftovers: leftoversOf.get(t.id) ?? [] });
  if (working.length === 0) {
    return { ok: true, decision: 'nothing-to-do', targets: targets.map((t) => idle(t, 'up-to-date')), lockWindowMs: 0 };
  }

  // The coordinator's transaction id, as soon as its transaction has begun; the others wait for it to PREPARE.
  let started!: (c: Coordinator) => void;
  let abandon!: (reason: Error) => void;
  const coordinator = new Promise<Coordinator>((resolve, reject) => {
    started = resolve;
    abandon = reject;
  });
  coordinator.catch(() => {});
  let failed = false;
  const [first] = working;
  const outcomes = await eachLimited(working, concurrency, async (target) => {
    const role = target === first ? ({ kind: 'coordinator', started } as const) : ({ kind: 'participant', coordinator } as const);
    const outcome = await prepareTarget(target, context, role, () => failed);
    if (outcome.status === 'failed') {
      failed = true;
      // A coordinator that never began leaves the others nothing to wait for (once begun, this changes nothing).
      if (target === first) abandon(new Error(`the run's first target (${target.id}) failed`));
    }
    return outcome;
  });

  const prepared = outcomes.filter((o): o is PreparedTarget => o.status === 'prepared');
  const failures = outcomes.filter((o): o is FailedTarget => o.status === 'failed');
  const firstPrepared = Math.min(...prepared.map((p) => p.preparedAt));
  const { finished, decision } = await finishAll(prepared, failures.length === 0 ? 'commit' : 'rollback', context, concurrency);
  const lockWindowMs = prepared.length === 0 ? 0 : Math.round(Math.max(...finished.map((f) => f.at)) - firstPrepared);

  const byId = new Map<string, AtomicTargetResult>();
  for (const f of finished) byId.set(f.target.id, report({ ...f.result, leftovers: leftoversOf.get(f.target.id) ?? [] }));
  for (const f of failures) {
    const status: AtomicTargetStatus = f.stopped ? 'rolled-back' : 'failed';
    byId.set(
      f.id,
      report({ id: f.id, status, results: f.results, leftovers: leftoversOf.get(f.id) ?? [], ...(!f.stopped && { error: f.error }) }),
    );
  }
  const results = targets.map(
    (t) => byId.get(t.id) ?? idle(t, checks[targets.indexOf(t)]!.pending.length > 0 ? 'not-started' : 'up-to-date'),
  );
  const errors = results.flatMap((r) => (r.error ? r.error.problems : []));
  return {
    ok: decision === 'commit' && errors.length === 0,
    decision,
    targets: results,
    lockWindowMs,
    ...(errors.length > 0 && { error: new PgshiftError(errors, { message: summary(decision, results) }) }),
  };
}

/** Finishes the prepared targets as decided: for a commit, the coordinator (the first) before the others. */
async function finishAll(prepared: readonly PreparedTarget[], decision: 'commit' | 'rollback', context: RunContext, concurrency: number) {
  const [head, ...rest] = prepared;
  if (head === undefined) return { finished: [], decision };
  let how = decision;
  const first = await finishTarget(head, how);
  // The coordinator's commit could not be sent: what became of its transaction decides for the others, as it will for a later run.
  if (how === 'commit' && first.result.status !== 'committed' && head.xid !== undefined) {
    how = (await fateOn(head.connection, context.settings, head.xid)) === 'committed' ? 'commit' : 'rollback';
  }
  const others = await eachLimited(rest, concurrency, (p) => finishTarget(p, how));
  return { finished: [first, ...others].map((f) => ({ ...f, target: f.prepared })), decision: how };
}

function summary(decision: string, results: readonly AtomicTargetResult[]): string {
  const count = (s: AtomicTargetStatus) => results.filter((r) => r.status === s).length;
  const parts = (['committed', 'failed', 'rolled-back', 'in-doubt', 'not-started'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}`);
  return `${decision === 'commit' ? 'committed' : 'rolled back everywhere'}: ${parts.join(', ')}`;
}

/** The fate of a coordinator's transaction, asked of the target whose gid key it is; undefined when that target is not in the run or cannot be read. */
async function fateOf(
  targets: readonly AtomicTarget[],
  settings: RunContext['settings'],
  c: { key: string; xid: string },
): Promise<CoordinatorFate> {
  const target = targets.find((t) => gidKey(t.id) === c.key);
  return target === undefined ? undefined : fateOn(target.connection, settings, c.xid);
}
