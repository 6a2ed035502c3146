import {
  Migrator,
  PgshiftError,
  connectionFromEnv,
  describeConnection,
  runReportJson,
  secretsOf,
  type MigratorEvent,
  type RunReport,
} from '../index.js';
import { VERSION } from '../version.js';
import { HELP, parseArgs, type CliOptions } from './args.js';
import { formatError, formatOutcome, formatPlan, formatStatus, formatValidation, makeStyle, type Style } from './output.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
}

/** argv → options → engine → text or JSON. Returns the exit code; never throws. */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
  let options: CliOptions | undefined;
  let secrets: string[] = secretsOf(connectionFromEnv(env));
  const redact = (text: string) => secrets.reduce((t, secret) => t.split(secret).join('***'), text);
  const out = (text: string) => io.stdout(redact(text) + '\n');
  const err = (text: string) => io.stderr(redact(text) + '\n');
  const jsonRequested = argv.includes('--json');
  let style = makeStyle(false);
  try {
    options = parseArgs(argv);
    style = makeStyle(options.color ?? (io.isTTY && !env.NO_COLOR && env.TERM !== 'dumb'));
    if (options.command === 'help') return (out(HELP.trimEnd()), 0);
    if (options.command === 'version') return (out(VERSION), 0);
    const connection = options.databaseUrl ?? connectionFromEnv(env);
    secrets = [...secrets, ...secretsOf(connection)].sort((a, b) => b.length - a.length);
    const migrator = new Migrator({
      connection,
      dir: options.dir,
      table: options.table,
      strictOrder: options.strictOrder,
      lockWaitMs: options.lockWaitMs,
      lockTimeoutMs: options.lockTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs,
      ...(!options.json && { onEvent: progress(err, out, style) }),
    });
    const where = connection === undefined ? 'no database' : describeConnection(connection);
    return await dispatch(options, migrator, where, { out, err, style });
  } catch (error) {
    const failure = error instanceof PgshiftError ? error : unexpected(error);
    if (options?.json ?? jsonRequested) out(JSON.stringify({ ok: false, error: failure.toJSON() }, null, 2));
    else err(formatError(failure, style));
    return failure.exitCode;
  }
}

interface Printer {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly style: Style;
}

async function dispatch(options: CliOptions, migrator: Migrator, where: string, p: Printer): Promise<number> {
  /** The JSON document with --json, the human text otherwise. */
  const show = (value: unknown, human: () => string) => p.out(options.json ? JSON.stringify(value, null, 2) : human());
  switch (options.command) {
    case 'status': {
      const status = await migrator.status();
      show(status, () => formatStatus(status, where, p.style));
      return 0;
    }
    case 'plan': {
      const plan = await migrator.plan(options.target === undefined ? {} : { target: options.target });
      show(plan, () => formatPlan(plan, where, p.style));
      return plan.ok ? 0 : 1;
    }
    case 'validate': {
      const report = await migrator.validate();
      show(report, () => formatValidation(report, p.style));
      return report.ok ? 0 : 1;
    }
    case 'create': {
      const created = await migrator.create(options.name ?? '');
      show(created, () => `Created ${created.path}`);
      return 0;
    }
    case 'migrate':
    case 'rollback': {
      const report =
        options.command === 'migrate'
          ? await migrator.migrate(options.target === undefined ? {} : { target: options.target })
          : await migrator.rollback(options.target === undefined ? { steps: options.steps ?? 1 } : { target: options.target });
      if (options.json) p.out(JSON.stringify(runReportJson(report), null, 2));
      else summarise(report, where, p);
      return report.ok ? 0 : (report.error?.exitCode ?? 1);
    }
    default:
      return 2;
  }
}

function summarise(report: RunReport, where: string, p: Printer): void {
  const done = report.results.filter((r) => r.status === 'success').length;
  const verb = report.direction === 'up' ? 'Applied' : 'Rolled back';
  const took = `${report.duration_ms} ms`;
  if (report.error) {
    p.err(formatError(report.error, p.style));
    const skipped = report.results.filter((r) => r.status === 'not-executed').length;
    const failed = report.results.find((r) => r.status === 'error');
    const undone = failed?.transaction === 'transaction' ? ` Nothing of ${failed.file} remains: its transaction was rolled back.` : '';
    p.err(
      `${verb} ${done} migration${done === 1 ? '' : 's'} on ${where} before the failure${skipped ? `; ${skipped} not run` : ''}.${undone}`,
    );
  } else if (report.results.length === 0) {
    p.out(report.direction === 'up' ? `Nothing to apply: ${where} is up to date.` : `Nothing to roll back on ${where}.`);
  } else {
    p.out(`${verb} ${done} migration${done === 1 ? '' : 's'} on ${where} in ${took}.`);
  }
}

/** Per-migration lines as they finish; warnings and lock waits on stderr. */
function progress(err: (t: string) => void, out: (t: string) => void, style: Style): (event: MigratorEvent) => void {
  let direction: 'up' | 'down' = 'up';
  return (event) => {
    if (event.type === 'lock-wait') err(style.yellow(`waiting for the migration lock, held by ${event.holder}…`));
    else if (event.type === 'lock-acquired' && event.waitedMs > 50) err(`got the lock after ${(event.waitedMs / 1000).toFixed(1)} s`);
    else if (event.type === 'warning') err(`${style.yellow('warning')}: ${event.problem.message}`);
    else if (event.type === 'migration-start') direction = event.direction;
    else if (event.type === 'migration-done') out(formatOutcome(event.outcome, direction, style));
  };
}

function unexpected(error: unknown): PgshiftError {
  const message = error instanceof Error ? error.message : String(error);
  return new PgshiftError('DATABASE_ERROR', `unexpected failure: ${message}`, {
    hint: 'this looks like a bug in pgshift; please report it with the command you ran',
    cause: error,
  });
}
