import {
  PgshiftError,
  type DriftCheck,
  type Migrator,
  type Plan,
  type Problem,
  type RunReport,
  type Status,
  type ValidationReport,
  type VerifyOptions,
  type VerifyReport,
} from '../index.js';
import { errorsOf, unexpectedError } from '../frontend/problems.js';
import { failureLine } from './annotations.js';
import type { ActionCommand } from './inputs.js';

/** What a command did, in one shape for the outputs, the summary and the comment. */
export interface Outcome {
  readonly command: ActionCommand;
  readonly ok: boolean;
  readonly plan?: Plan;
  readonly report?: RunReport;
  readonly validation?: ValidationReport;
  readonly verify?: VerifyReport;
  /** The state after the run, when it could be read. */
  readonly status?: Status;
  /** Every problem to show: with the files, the history, and what failed. */
  readonly problems: readonly Problem[];
  /** The lint's findings (plan, verify). */
  readonly findings?: readonly Problem[];
  /** What failed, when something did. */
  readonly error?: PgshiftError;
  /** One line saying why the step fails. */
  readonly failure?: string;
}

export interface ExecuteOptions {
  readonly target?: number;
  readonly steps: number;
  /** verify: the base and the server; with `production`, the plan against the connection too. */
  readonly verify?: VerifyOptions;
  readonly production?: boolean;
  /** migrate: the drift check first (the drift input). */
  readonly drift?: DriftCheck | undefined;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** `a problem would stop migrate: …`, `3 problems would stop migrate: …`. */
function blockedBy(problems: readonly Problem[], what: { one: string; many: string }): string | undefined {
  const errors = errorsOf(problems);
  const [first] = errors;
  if (!first) return undefined;
  // Errors, as the comment's headline counts them: a problem's and a lint finding's alike.
  return `${errors.length === 1 ? `1 error ${what.one}` : `${errors.length} errors ${what.many}`}: ${oneLine(first.message)}`;
}

/** Runs one command. Never throws: every failure ends up in the outcome. */
export async function execute(migrator: Migrator, command: ActionCommand, options: ExecuteOptions): Promise<Outcome> {
  const target = options.target === undefined ? {} : { target: options.target };
  try {
    switch (command) {
      case 'status': {
        const status = await migrator.status();
        return { command, ok: true, status, problems: status.problems };
      }
      case 'plan': {
        // The plan and the status for the outputs, from one read of the files and the table.
        const { plan, status } = await migrator.inspect(target);
        // The lint's findings are shown; like the problems that do not stop migrate, they do not fail the plan.
        const failure = blockedBy(plan.problems, { one: 'would stop migrate', many: 'would stop migrate' });
        return {
          command,
          ok: plan.ok,
          plan,
          status,
          problems: plan.problems,
          findings: plan.findings,
          ...(failure !== undefined && { failure }),
        };
      }
      case 'verify': {
        const report = await migrator.verify(options.verify!);
        // With a (read-only) connection, what merging would apply there, and whether its history matches.
        let seen: { plan: Plan; status: Status } | undefined;
        let unseen: readonly Problem[] = [];
        if (options.production) {
          try {
            seen = await migrator.inspect({ readOnly: true });
          } catch (error) {
            unseen = (error instanceof PgshiftError ? error : unexpectedError(error)).problems;
          }
        }
        // What is wrong on production is said, but is not the pull request's doing: warnings.
        const warn = (list: readonly Problem[]) => list.map((p) => ({ ...p, severity: 'warning' as const }));
        const problems = [...report.problems, ...warn(seen ? errorsOf(seen.status.problems) : []), ...warn(unseen)];
        const failure = blockedBy([...report.problems, ...report.findings], { one: 'fails the check', many: 'fail the check' });
        return {
          command,
          ok: report.ok,
          verify: report,
          findings: report.findings,
          ...(seen && { plan: seen.plan, status: seen.status }),
          problems,
          ...(failure !== undefined && { failure }),
        };
      }
      case 'validate': {
        const validation = await migrator.validate();
        const errors = errorsOf(validation.problems);
        return {
          command,
          ok: validation.ok,
          validation,
          ...(validation.status && { status: validation.status }),
          problems: validation.problems,
          ...(!validation.ok && {
            failure: `validation failed: ${oneLine(errors[0]?.message ?? 'see the problems above')}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
          }),
        };
      }
      case 'migrate':
      case 'rollback': {
        const report =
          command === 'migrate'
            ? await migrator.migrate({ ...target, status: true, ...(options.drift && { drift: options.drift }) })
            : await migrator.rollback(options.target === undefined ? { steps: options.steps } : { target: options.target }, {
                status: true,
              });
        // The run's own connection read the status after it; read again only when it could not (a lost session, say).
        const status = report.status ?? (await migrator.status().catch(() => undefined));
        return {
          command,
          ok: report.ok,
          report,
          ...(status && { status }),
          problems: [...report.warnings, ...(report.error?.problems ?? [])],
          ...(report.error && { error: report.error, failure: `${command} failed: ${failureLine(report.error)}` }),
        };
      }
    }
  } catch (thrown) {
    // The command could not look at all: no such directory, no server.
    const error = thrown instanceof PgshiftError ? thrown : unexpectedError(thrown);
    return { command, ok: false, problems: error.problems, error, failure: `${command} failed: ${failureLine(error)}` };
  }
}
