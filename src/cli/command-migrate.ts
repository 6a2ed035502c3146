import { runReportJson, type RunReport } from '../index.js';
import { driftCheck } from '../frontend/drift.js';
import { formatDuration } from '../frontend/format.js';
import { CLI_WORDS } from '../frontend/words.js';
import type { CliOptions } from './args.js';
import type { CommandContext, Env, Printer } from './command.js';
import { missingPermission } from './deno.js';
import { formatError } from './output.js';
import { exitCodeOf } from './words.js';

/** migrate and rollback. */
export async function run({ options, migrator, where, p, env }: CommandContext): Promise<number> {
  const report =
    options.command === 'migrate'
      ? await migrator.migrate({ ...(options.target !== undefined && { target: options.target }), ...withDrift(options, env) })
      : await migrator.rollback(options.target === undefined ? { steps: options.steps ?? 1 } : { target: options.target });
  // Deno's refusal is one line whatever the run did (nothing: it fails before touching the database).
  if (report.error && missingPermission(report.error)) throw report.error;
  if (options.json) p.out(JSON.stringify(runReportJson(report, CLI_WORDS), null, 2));
  else summarise(report, where, p);
  return report.error ? exitCodeOf(report.error) : 0;
}

/** migrate's drift check, when --drift asks for one. */
function withDrift(options: CliOptions, env: Env) {
  const check = driftCheck(options.drift ?? {}, env);
  return check === undefined ? {} : { drift: check };
}

function summarise(report: RunReport, where: string, p: Printer): void {
  const done = report.results.filter((r) => r.status === 'success').length;
  const verb = report.direction === 'up' ? 'Applied' : 'Rolled back';
  if (report.error) {
    p.err(formatError(report.error, p.style));
    const skipped = report.results.filter((r) => r.status === 'not-executed').length;
    const failed = report.results.find((r) => r.status === 'error');
    const undone = failed?.transaction === 'transaction' ? ` Nothing of ${failed.file} remains: its transaction was rolled back.` : '';
    // Refused before anything ran (a bad file, a changed applied one, the lock): nothing to count.
    if (report.results.length === 0) p.err(`Nothing was run on ${where}.`);
    else
      p.err(
        `${verb} ${done} migration${done === 1 ? '' : 's'} on ${where} before the failure${skipped ? `; ${skipped} not run` : ''}.${undone}`,
      );
  } else if (report.results.length === 0) {
    p.out(report.direction === 'up' ? `Nothing to apply: ${where} is up to date.` : `Nothing to roll back on ${where}.`);
  } else {
    p.out(`${verb} ${done} migration${done === 1 ? '' : 's'} on ${where} in ${formatDuration(report.durationMs)}.`);
  }
}
