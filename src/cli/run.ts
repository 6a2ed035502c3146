import {
  Migrator,
  PgshiftError,
  connectionFromEnv,
  errorJson,
  earlierContents,
  gitSource,
  planJson,
  runReportJson,
  statusJson,
  validationJson,
  type MigratorEvent,
  type RunReport,
} from '../index.js';
import { describeConnection, formatConnection, formatDuration } from '../frontend/format.js';
import { createdJson, lintReportJson, repairJson, verifyJson } from '../frontend/json.js';
import { directoryFrom } from '../frontend/dir-origin.js';
import { loadConfigFile } from '../frontend/layers.js';
import { RULES } from '../frontend/lint.js';
import { errorsOf, unexpectedError } from '../frontend/problems.js';
import { progressLine } from '../frontend/progress.js';
import { redactor, runSecrets } from '../frontend/secrets.js';
import { defaultBase, verifyOptions } from '../frontend/verify.js';
import { CLI_WORDS } from '../frontend/words.js';
import { VERSION } from '../version.js';
import { configToRead, parseArgs, type CliOptions } from './args.js';
import { helpText } from './help.js';
import { formatError, formatPlan, formatStatus, formatValidation, makeStyle, paintWith, type Style } from './output.js';
import { missingPermission } from './deno.js';
import { formatRepair, formatVerify } from './verify-output.js';
import { formatLint, formatRules } from './lint-output.js';
import { driftCheck, driftJson, driftOptions } from '../frontend/drift.js';
import { formatDrift, skippedDriftHint } from './drift-output.js';
import { exitCodeOf, inputFailure } from './words.js';
import { waitExitCode, waitOutput } from './wait.js';
import { runFleetCli } from './fleet.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** argv → options → engine → text or JSON. Returns the exit code; never throws. */
export async function runCli(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  if (argv[0] === 'fleet') return runFleetCli(argv.slice(1), env, io, colourWanted);
  let options: CliOptions | undefined;
  let redact = (text: string) => text;
  const out = (text: string) => io.stdout(redact(text) + '\n');
  const err = (text: string) => io.stderr(redact(text) + '\n');
  const jsonRequested = argv.includes('--json');
  let style = makeStyle(false);
  try {
    // PGSHIFT_SCRATCH_URL's password is among them: a bad setting's error could be about it.
    redact = redactor(runSecrets({ env }));
    // Every command reads the settings the same way: flags over PGSHIFT_* over the config file over the defaults.
    // help and --version read neither (the file is not even opened): they answer whatever it holds.
    const config = configToRead(argv);
    options = parseArgs(argv, { env, ...(config !== undefined && { file: await loadConfigFile(config.path) }) });
    style = makeStyle(options.color ?? colourWanted(io.isTTY, env));
    if (options.command === 'help') return (out(helpText(options.helpFor)), 0);
    if (options.command === 'version') return (out(VERSION), 0);
    const connection = options.databaseUrl ?? connectionFromEnv(env);
    // The same parts as the action masks: PGPASSWORD too, which node-postgres falls back to for a URL without a password.
    redact = redactor(runSecrets({ env, connection, scratchUrl: options.verify?.scratchUrl ?? options.drift?.scratchUrl }));
    if (options.listRules) {
      if (options.json) out(JSON.stringify({ rules: RULES }, null, 2));
      else out(formatRules(style));
      return 0;
    }
    const migrator = new Migrator({
      ...options.settings,
      ...(options.dirFrom !== undefined && { source: directoryFrom(options.settings.dir, options.dirFrom) }),
      connection,
      lint: options.lint,
      ...(!options.json && { onEvent: progress(err, out, style, io) }),
    });
    const where = connection === undefined ? 'no database' : formatConnection(describeConnection(connection));
    return await dispatch(options, migrator, where, { out, err, style }, env);
  } catch (error) {
    const refused = missingPermission(error);
    if (refused !== undefined) return (err(`error: ${refused}`), 2);
    const failure = error instanceof PgshiftError ? error : unexpectedError(error);
    if (options?.json ?? jsonRequested) out(JSON.stringify({ ok: false, error: errorJson(failure, CLI_WORDS) }, null, 2));
    else err(formatError(failure, style));
    return exitCodeOf(failure);
  }
}

interface Printer {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly style: Style;
}

async function dispatch(options: CliOptions, migrator: Migrator, where: string, p: Printer, env: Env): Promise<number> {
  const show = showWith(options, p);
  const target = options.target === undefined ? {} : { target: options.target };
  switch (options.command) {
    case 'status': {
      const status = await migrator.status();
      show(
        () => statusJson(status, CLI_WORDS),
        () => formatStatus(status, where, p.style),
      );
      // --check, a deploy gate: 3 when something is pending, once nothing worse is found.
      return inputFailure(status.problems) ?? (errorsOf(status.problems).length > 0 ? 1 : options.check && status.pendingCount > 0 ? 3 : 0);
    }
    case 'wait': {
      const report = await migrator.wait(options.wait!);
      const shown = waitOutput(report, where, options.json, p.style);
      (shown.stream === 'out' ? p.out : p.err)(shown.text);
      return waitExitCode(report);
    }
    case 'plan': {
      const plan = await migrator.plan(target);
      show(
        () => planJson(plan, CLI_WORDS),
        () => formatPlan(plan, where, p.style),
      );
      return inputFailure(plan.problems) ?? (plan.ok ? 0 : 1);
    }
    case 'validate': {
      const report = await migrator.validate();
      show(
        () => validationJson(report, CLI_WORDS),
        () => formatValidation(report, p.style),
      );
      return report.ok ? 0 : 1;
    }
    case 'verify':
      return verifyCommand(options, migrator, p, env);
    case 'lint':
      return lintCommand(options, migrator, p);
    case 'drift': {
      const report = await migrator.drift(driftOptions(options.drift ?? {}, env));
      show(
        () => driftJson(report, CLI_WORDS),
        () => formatDrift(report, where, p.style),
      );
      return inputFailure(report.problems) ?? (report.ok ? 0 : 1);
    }
    case 'repair': {
      const report = await migrator.repair({
        ...(options.dryRun && { dryRun: true }),
        earlier: (file) => earlierContents(file.path),
      });
      show(
        () => repairJson(report, CLI_WORDS),
        () => formatRepair(report, where, p.style),
      );
      return report.ok ? 0 : 1;
    }
    case 'create': {
      const created = await migrator.create(options.name ?? '');
      show(
        () => createdJson(created),
        () => `Created ${created.path}`,
      );
      return 0;
    }
    case 'migrate':
    case 'rollback': {
      const report =
        options.command === 'migrate'
          ? await migrator.migrate({ ...target, ...withDrift(options, env) })
          : await migrator.rollback(options.target === undefined ? { steps: options.steps ?? 1 } : { target: options.target });
      // Deno's refusal is one line whatever the run did (nothing: it fails before touching the database).
      if (report.error && missingPermission(report.error)) throw report.error;
      if (options.json) p.out(JSON.stringify(runReportJson(report, CLI_WORDS), null, 2));
      else summarise(report, where, p);
      return report.error ? exitCodeOf(report.error) : 0;
    }
    default:
      return 2;
  }
}

/** migrate's drift check, when --drift asks for one. */
function withDrift(options: CliOptions, env: Env) {
  const check = driftCheck(options.drift ?? {}, env);
  return check === undefined ? {} : { drift: check };
}

/** The JSON document with --json, the human text otherwise. */
const showWith = (options: CliOptions, p: Printer) => (json: () => unknown, human: () => string) =>
  p.out(options.json ? JSON.stringify(json(), null, 2) : human());

async function verifyCommand(options: CliOptions, migrator: Migrator, p: Printer, env: Env): Promise<number> {
  const given = options.verify ?? {};
  // Named by the branch it was found from: a local main, when there is no origin, says so.
  const base =
    given.base !== undefined
      ? { commit: given.base, name: given.base }
      : await defaultBase().then((found) => ({
          commit: found.commit,
          name: `the merge base with ${found.ref} (${found.commit.slice(0, 12)})`,
        }));
  const report = await migrator.verify(verifyOptions(given, { base, dir: options.settings.dir, env }));
  showWith(options, p)(
    () => verifyJson(report, CLI_WORDS),
    () => formatVerify(report, p.style),
  );
  return inputFailure(report.problems) ?? (report.ok ? 0 : 1);
}

async function lintCommand(options: CliOptions, migrator: Migrator, p: Printer): Promise<number> {
  const base = options.verify?.base;
  const report = await migrator.lint({
    ...(options.files && { files: options.files }),
    ...(base !== undefined && { base: gitSource({ ref: base, dir: options.settings.dir }), baseName: base }),
  });
  showWith(options, p)(
    () => lintReportJson(report, CLI_WORDS),
    () => formatLint(report, p.style),
  );
  return inputFailure(report.problems) ?? (report.ok ? 0 : 1);
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

/**
 * The engine's progress lines: results on stdout, waits and warnings on
 * stderr. A migration's start line is overwritten by its result on a
 * terminal, and stays as a line of its own in a log.
 */
function progress(err: (t: string) => void, out: (t: string) => void, style: Style, io: CliIo): (event: MigratorEvent) => void {
  const paint = paintWith(style);
  let pending = false;
  return (event) => {
    const line = progressLine(event, paint);
    if (!line) return;
    if (line.pending && io.isTTY) {
      io.stdout(line.text);
      pending = true;
      return;
    }
    if (pending) {
      if (line.stream === 'out') io.stdout('\r\x1b[2K');
      else io.stdout('\n');
      pending = false;
    }
    (line.stream === 'out' ? out : err)(line.text);
    const remedy = skippedDriftHint(event, style);
    if (remedy) err(remedy);
  };
}

/**
 * Colour unless told otherwise: FORCE_COLOR (not 0 or false) turns it on
 * where there is no terminal (CI logs), NO_COLOR off (https://no-color.org),
 * and a terminal that is not dumb gets it.
 */
export function colourWanted(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}
