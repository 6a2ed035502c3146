/** A fleet's migrate or rollback: checked, dealt into waves, run, its ledger written. */
import { errorsOf, problem, type Problem } from '../core/problem.js';
import type { MigrationSource } from '../core/ports.js';
import { redactor } from '../core/redact.js';
import { mergeLedgers, type FleetCommand, type FleetRunReport, type Ledger, type TargetRecord } from '../core/fleet.js';
import { secretsOf } from '../postgres/connection-info.js';
import type { FleetOptions } from './fleet.js';
import { DEFAULT_LEDGER_DIR, LedgerWriter, ledgerPath, newRunId, readLedger, resumePath } from './ledger.js';
import { appliedVersions, mapLimit } from './look.js';
import { ATOMIC_WAVE, runAllOrNone } from './atomic-run.js';
import { runWaves } from './run.js';
import { problemsOf, type TargetSettings } from './target-run.js';
import type { Target } from './targets.js';
import { dealWaves, DEFAULT_WAVES } from './waves.js';

export interface RunContext {
  readonly options: FleetOptions;
  readonly settings: TargetSettings;
  readonly concurrency: number;
  readonly source: MigrationSource;
  readonly targets: () => Promise<{ readonly targets: readonly Target[]; readonly problems: readonly Problem[] }>;
}

/** Checks everything, then runs the waves; never throws. */
export async function startRun(
  ctx: RunContext,
  command: FleetCommand,
  options: { readonly target?: number; readonly resume?: string; readonly atomic?: boolean },
): Promise<FleetRunReport> {
  const empty = (problems: readonly Problem[]): FleetRunReport => ({ command, problems, ...mergeLedgers([]), ok: false });
  const checked = await ctx.targets();
  const { targets } = checked;
  // The files' own problems (no directory, a bad name) once, before anything runs, rather than once per target.
  const files = await ctx.source.read().then(
    (listing) => errorsOf(listing.problems),
    (error: unknown) => problemsOf(error),
  );
  const problems = [...files, ...checked.problems];
  const dir = ctx.options.ledgerDir ?? DEFAULT_LEDGER_DIR;
  const previous = options.resume === undefined ? undefined : await previousRun(dir, options.resume, command, problems);
  if (errorsOf(problems).length > 0) return empty(problems);
  // A resumed run goes to the version its first run went to: a rollback is never taken one step further.
  const version =
    options.target ??
    (previous !== undefined ? previous.version : command === 'rollback' ? await rollbackVersion(ctx, targets, problems) : undefined);
  if (errorsOf(problems).length > 0) return empty(problems);
  if (options.atomic && (command !== 'migrate' || options.resume !== undefined || options.target !== undefined || ctx.options.shard)) {
    const hint = 'run fleet migrate --atomic over every target, without --resume, --target or --shard';
    return empty([...problems, problem('USAGE', 'an all-or-none run migrates every target to the latest version, afresh', { hint })]);
  }
  const waves = options.atomic
    ? [{ name: ATOMIC_WAVE, targets, maxFailures: 1, bakeSeconds: 0 }]
    : dealWaves(targets, ctx.options.waves ?? DEFAULT_WAVES);
  const runId = previous?.runId ?? newRunId();
  const path = ledgerPath(dir, runId);
  const kept = new Map((previous?.targets ?? []).filter((t) => t.status === 'done').map((t) => [t.id, t] as const));
  const ledger: Ledger = {
    format: 'pgshift-fleet-ledger/1',
    runId,
    command,
    ...(version !== undefined && { version }),
    ...(ctx.options.shard && { shard: `${ctx.options.shard.index}/${ctx.options.shard.count}` }),
    startedAt: previous?.startedAt ?? new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    waves: waves.map((w) => ({ name: w.name, targets: w.targets.map((t) => t.id) })),
    targets: targets.map(
      (t): TargetRecord =>
        kept.get(t.id) ?? {
          id: t.id,
          wave: waves.find((w) => w.targets.includes(t))!.name,
          status: 'not-started',
          reason: 'waiting for its wave',
        },
    ),
  };
  const writer = new LedgerWriter(path, dir, ledger, redactor(targets.flatMap((t) => secretsOf(t.connection))));
  const unwritten = (): Problem[] =>
    writer.error === undefined
      ? []
      : [
          problem('WRITE_FAILED', `cannot write the ledger ${path}: ${writer.error.message}`, {
            hint: 'give a writable ledger directory (--ledger-dir)',
          }),
        ];
  await writer.flush();
  if (writer.error !== undefined) return empty(unwritten());
  ctx.options.onFleetEvent?.({ type: 'run-start', runId, ledger: path });
  let stopped: string | undefined;
  if (options.atomic) {
    const { onFleetEvent: onEvent, concurrency } = { ...ctx.options, concurrency: ctx.concurrency };
    const all = await runAllOrNone({ targets, settings: ctx.settings, concurrency, runId, ledger: writer, onEvent });
    stopped = all.stopped;
    ledger.lockWindowMs = all.lockWindowMs;
    problems.push(...all.refusals);
  } else
    stopped = await runWaves({
      waves,
      request: { command, ...(version !== undefined && { version }) },
      settings: ctx.settings,
      concurrency: ctx.concurrency,
      perServer: ctx.options.perServer ?? 10,
      ledger: writer,
      skip: new Set(kept.keys()),
      env: ctx.options.env,
      ...(ctx.options.onFleetEvent && { onEvent: ctx.options.onFleetEvent }),
    });
  ledger.finishedAt = new Date().toISOString();
  if (stopped !== undefined) ledger.stopped = stopped;
  else delete ledger.stopped;
  await writer.flush();
  const summary = mergeLedgers([ledger]);
  // The run happened; a ledger that could not be written is reported with it (and fails it: it cannot be resumed).
  const lost = unwritten();
  const window = ledger.lockWindowMs !== undefined && { lockWindowMs: ledger.lockWindowMs };
  return {
    command,
    runId,
    ledgerPath: path,
    ...window,
    ...summary,
    problems: [...problems, ...lost],
    ...(lost.length > 0 && { ok: false }),
  };
}

/** The ledger of the run to resume; a problem when there is none or it was another command. */
async function previousRun(dir: string, runId: string, command: FleetCommand, problems: Problem[]): Promise<Ledger | undefined> {
  let previous: Ledger;
  try {
    previous = await readLedger(resumePath(dir, runId));
  } catch (error) {
    problems.push(...problemsOf(error));
    return undefined;
  }
  if (previous.command !== command) {
    const hint = `resume it with fleet ${previous.command}`;
    problems.push(problem('USAGE', `run ${previous.runId} was a ${previous.command}, not a ${command}`, { hint }));
  }
  return previous;
}

/**
 * The version a rollback without --target goes back to: one step, the same
 * on every target. When every target has the same two latest versions, the
 * one below the latest (0 for none); else a problem: the targets disagree.
 */
async function rollbackVersion(ctx: RunContext, targets: readonly Target[], problems: Problem[]): Promise<number | undefined> {
  const histories = await mapLimit(targets, ctx.concurrency, (t) => appliedVersions(t, ctx.settings).catch(() => undefined));
  const word = (h: readonly number[] | undefined) => (h === undefined ? 'unreadable' : h.length === 0 ? 'none' : String(h.at(-1)));
  const key = (h: readonly number[] | undefined) => (h === undefined ? 'unreadable' : h.slice(-2).join(','));
  if (new Set(histories.map(key)).size > 1) {
    const counts = new Map<string, number>();
    for (const h of histories) counts.set(word(h), (counts.get(word(h)) ?? 0) + 1);
    const which =
      new Set(histories.map(word)).size > 1
        ? [...counts].map(([v, n]) => `${n} at ${v}`).join(', ')
        : 'the same latest version, reached from different ones';
    problems.push(
      problem('USAGE', `the targets disagree on what is applied (${which}): not rolling back`, {
        hint: 'say which version to roll back to: fleet rollback --target <version>',
      }),
    );
    return undefined;
  }
  const history = histories[0] ?? [];
  return history.length >= 2 ? history.at(-2)! : 0;
}
