import { PgshiftError, type Migrator, type Plan, type Problem, type RunReport, type Status, type ValidationReport } from '../index.js';
import { failureLine } from './findings.js';
import type { ActionCommand } from './inputs.js';

/** What a command did, in one shape for the outputs, the summary and the comment. */
export interface Outcome {
  readonly command: ActionCommand;
  readonly ok: boolean;
  readonly plan?: Plan;
  readonly report?: RunReport;
  readonly validation?: ValidationReport;
  /** The state after the run, when it could be read. */
  readonly status?: Status;
  /** Problems found with the files or the history. */
  readonly problems: readonly Problem[];
  /** What failed, when something did. */
  readonly error?: PgshiftError;
  /** One line saying why the step fails. */
  readonly failure?: string;
}

export interface ExecuteOptions {
  readonly target?: number;
  readonly steps: number;
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
        const { plan: value, status } = await migrator.inspect(target);
        const blocking = value.problems.filter((p) => p.severity === 'error');
        return {
          command,
          ok: value.ok,
          plan: value,
          status,
          problems: value.problems,
          ...(!value.ok && {
            failure: `${blocking.length === 1 ? 'a problem' : `${blocking.length} problems`} would stop migrate: ${oneLine(blocking[0]?.message ?? 'see the plan')}`,
          }),
        };
      }
      case 'validate': {
        const validation = await migrator.validate();
        const errors = validation.problems.filter((p) => p.severity === 'error');
        // For the pending and status outputs; validate() itself may have checked the files only.
        const status = validation.checked_database ? await migrator.status().catch(() => undefined) : undefined;
        return {
          command,
          ok: validation.ok,
          validation,
          ...(status && { status }),
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
            ? await migrator.migrate({ ...target, status: true })
            : await migrator.rollback(options.target === undefined ? { steps: options.steps } : { target: options.target }, {
                status: true,
              });
        // The run's own connection read the status after it; read again only when it could not (a lost session, say).
        const status = report.status ?? (await migrator.status().catch(() => undefined));
        const verb = command === 'migrate' ? 'migrate' : 'rollback';
        return {
          command,
          ok: report.ok,
          report,
          ...(status && { status }),
          problems: report.warnings,
          ...(report.error && { error: report.error, failure: `${verb} failed: ${failureLine(report.error)}` }),
        };
      }
    }
  } catch (thrown) {
    const error = thrown instanceof PgshiftError ? thrown : unexpected(thrown);
    // Bad names or duplicate versions stop status() and plan(); validate() lists them as problems instead.
    const files = error.exitCode === 2 ? await migrator.validate().catch(() => undefined) : undefined;
    const problems = files && !files.ok ? files.problems : [];
    return {
      command,
      ok: false,
      problems,
      ...(problems.length === 0 && { error }),
      failure: `${command} failed: ${failureLine(error)}`,
    };
  }
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

function unexpected(error: unknown): PgshiftError {
  const message = error instanceof Error ? error.message : String(error);
  return new PgshiftError('DATABASE_ERROR', `unexpected failure: ${message}`, {
    hint: 'this looks like a bug in pgshift; please report it with the workflow that ran',
    cause: error,
  });
}
