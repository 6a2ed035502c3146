/** `pgshift fleet …`: argv → targets and settings → Fleet → text or JSON → exit code. */
import { Fleet, PgshiftError, connectionFromEnv, errorJson, type FleetOptions, type Problem, type WaveSpec } from '../index.js';
import { directoryFrom } from '../frontend/dir-origin.js';
import { formatDuration } from '../frontend/format.js';
import { fleetLine, fleetStatusJson, fleetWaitJson, runJson, shardMatrix, summaryJson } from '../frontend/fleet.js';
import { summaryMarkdown, summaryText } from '../frontend/fleet-report.js';
import { loadConfigFile, type CheckedConfig } from '../frontend/layers.js';
import { errorsOf, failAll, unexpectedError } from '../frontend/problems.js';
import { redactor, runSecrets, variableSecrets } from '../frontend/secrets.js';
import { CLI_WORDS } from '../frontend/words.js';
import { parseFleetArgs, type FleetCliOptions } from './fleet-args.js';
import { fleetHelp } from './fleet-help.js';
import { targetList, urlEnvsOf } from '../frontend/fleet-targets.js';
import { formatError, makeStyle, paintWith, problemLine, type Style } from './output.js';
import { exitCodeOf, inputFailure } from './words.js';

type Env = Readonly<Record<string, string | undefined>>;

interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
}

interface Printer {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly style: Style;
  readonly json: boolean;
}

/** Runs `pgshift fleet <argv>`; returns the exit code, never throws. */
export async function runFleetCli(
  argv: readonly string[],
  env: Env,
  io: Io,
  colour: (isTTY: boolean, env: Env) => boolean,
): Promise<number> {
  let redact = redactor(runSecrets({ env }));
  const out = (text: string) => io.stdout(redact(text) + '\n');
  const err = (text: string) => io.stderr(redact(text) + '\n');
  let style = makeStyle(false);
  const json = argv.includes('--json');
  try {
    const file = await loadConfigFile(configPath(argv));
    const options = parseFleetArgs(argv, { env, file });
    style = makeStyle(options.color ?? colour(io.isTTY, env));
    const p: Printer = { out, err, style, json: options.json };
    if (options.command === 'help') return (out(fleetHelp()), 0);
    if (options.command === 'shard') return (out(JSON.stringify(shardMatrix(options.shards!))), 0);
    if (options.command === 'report') return await report(options, p, env);
    const connection = options.databaseUrl ?? connectionFromEnv(env);
    const query = typeof connection === 'string' ? (sql: string) => Fleet.targetsFromSql(connection, sql) : undefined;
    const specs = await targetList(options, { file: file.file, targets: file.config.targets }, query);
    redact = redactor([...runSecrets({ env, connection }), ...variableSecrets(env, urlEnvsOf(specs.list))]);
    if (errorsOf(specs.problems).length > 0)
      throw failAll(specs.problems, `${specs.problems.length} problems with the targets; nothing was run`);
    const fleet = new Fleet(fleetOptions(options, file, specs.list, env, connection, p));
    return await dispatch(options, fleet, p);
  } catch (error) {
    const failure = error instanceof PgshiftError ? error : unexpectedError(error);
    if (json) out(JSON.stringify({ ok: false, error: errorJson(failure, CLI_WORDS) }, null, 2));
    else err(formatError(failure, style));
    return exitCodeOf(failure);
  }
}

/** --config's value, read before the rest (the file is under the flags). */
function configPath(argv: readonly string[]): string | undefined {
  const at = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (at < 0) return undefined;
  return argv[at]!.includes('=') ? argv[at]!.slice('--config='.length) : argv[at + 1];
}

function fleetOptions(
  options: FleetCliOptions,
  file: CheckedConfig,
  list: unknown,
  env: Env,
  connection: ReturnType<typeof connectionFromEnv> | string,
  p: Printer,
): FleetOptions {
  const paint = paintWith(p.style);
  return {
    ...options.settings,
    ...(options.dirFrom !== undefined && { source: directoryFrom(options.settings.dir, options.dirFrom) }),
    targets: list as FleetOptions['targets'],
    targetsFrom: options.targetsFile ?? (options.targetsSql !== undefined ? '--targets-sql' : `${file.file}: targets`),
    wavesFrom: `${file.file}: waves`,
    env,
    ...(typeof connection === 'string' && { defaultConnection: connection }),
    ...(file.config.waves !== undefined && { waves: file.config.waves as readonly WaveSpec[] }),
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.perServer !== undefined && { perServer: options.perServer }),
    ...(options.shard !== undefined && { shard: options.shard }),
    ...(options.ledgerDir !== undefined && { ledgerDir: options.ledgerDir }),
    onFleetEvent: (event) => {
      // The run id and the ledger at the start, also with --json (on stderr, so that stdout stays one document).
      if (event.type === 'run-start') return p.err(`run ${event.runId}, ledger ${event.ledger}`);
      if (p.json) return;
      const line = fleetLine(event, paint);
      if (line !== undefined) p.err(line);
    },
  };
}

async function dispatch(options: FleetCliOptions, fleet: Fleet, p: Printer): Promise<number> {
  const version = options.target === undefined ? {} : { target: options.target };
  switch (options.command) {
    case 'status':
    case 'plan': {
      const status = options.command === 'plan' ? await fleet.plan(version) : await fleet.status();
      if (p.json) p.out(JSON.stringify(fleetStatusJson(status), null, 2));
      else p.out(statusText(status, options.command, p.style));
      if (errorsOf(status.problems).length > 0) return inputFailure(status.problems) ?? 1;
      if (status.failedTargets > 0) return 1;
      return options.check && status.pendingTargets > 0 ? 3 : 0;
    }
    case 'wait': {
      const result = await fleet.wait({ ...options.wait!, ...(options.select && { select: options.select }) });
      if (p.json) p.out(JSON.stringify(fleetWaitJson(result), null, 2));
      else if (result.problems.length > 0) p.err(result.problems.map((x) => problemLine(x, p.style)).join('\n'));
      else if (result.reached) p.out(`${p.style.green('✓')} all ${result.targets} targets have version ${options.wait!.atLeast} or later`);
      else {
        const shown = result.behind
          .slice(0, 20)
          .map((b) => `  ${b.id}: ${b.error ? `unreadable: ${b.error.message}` : (b.currentVersion ?? 'none applied')}`);
        p.err(
          [
            `${p.style.red('✗')} ${result.behind.length} of ${result.targets} targets have not reached version ${options.wait!.atLeast}:`,
            ...shown,
          ].join('\n'),
        );
      }
      if (errorsOf(result.problems).length > 0) return inputFailure(result.problems) ?? 1;
      return result.reached ? 0 : 3;
    }
    case 'migrate':
    case 'rollback': {
      const request = {
        ...version,
        ...(options.resume !== undefined && { resume: options.resume }),
        ...(options.atomic && { atomic: true }),
      };
      const result = options.command === 'migrate' ? await fleet.migrate(request) : await fleet.rollback(request);
      if (p.json) p.out(JSON.stringify(runJson(result), null, 2));
      else if (result.runId === undefined) p.err(problemsText(result.problems, p.style));
      else {
        p.out(summaryText(result));
        if (result.lockWindowMs !== undefined)
          p.out(`all or none: the first target prepared held its locks ${formatDuration(result.lockWindowMs)} waiting for the last`);
        if (result.problems.length > 0) p.err(result.problems.map((x) => problemLine(x, p.style)).join('\n'));
      }
      if (errorsOf(result.problems).length > 0) return inputFailure(result.problems) ?? 1;
      return result.ok ? 0 : 1;
    }
    default:
      return 2;
  }
}

function problemsText(problems: readonly Problem[], s: Style): string {
  return [
    `${s.red('error')}: ${problems.length} problem${problems.length === 1 ? '' : 's'} with the fleet; nothing was run`,
    ...problems.map((x) => problemLine(x, s)),
  ].join('\n');
}

function statusText(status: Awaited<ReturnType<Fleet['status']>>, command: 'status' | 'plan', s: Style): string {
  if (errorsOf(status.problems).length > 0) return problemsText(status.problems, s);
  const lines = [`fleet: ${status.targets.length} targets: ${status.histogram}`];
  if (command === 'plan') {
    // What would run where: targets grouped by the versions they would get.
    const groups = new Map<string, string[]>();
    for (const t of status.targets)
      if (t.pending.length > 0) groups.set(t.pending.join(', '), [...(groups.get(t.pending.join(', ')) ?? []), t.id]);
    for (const [versions, ids] of groups)
      lines.push(
        `  would apply ${versions} on ${ids.length} target${ids.length === 1 ? '' : 's'}: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}`,
      );
    if (groups.size === 0) lines.push('  nothing to apply anywhere');
  } else lines.push(`  ${status.pendingTargets} with pending migrations`);
  for (const t of status.targets) {
    if (t.error) lines.push(`  ${s.red('✗')} ${t.id}: ${t.error.message}`);
    for (const x of errorsOf(t.problems)) lines.push(`  ${s.red('✗')} ${t.id}: ${x.message}`);
  }
  return lines.join('\n');
}

async function report(options: FleetCliOptions, p: Printer, env: Env): Promise<number> {
  const { summary, problems } = await Fleet.report(options.files);
  if (problems.length > 0) throw failAll(problems, `${problems.length} ledgers could not be read`);
  if (p.json) p.out(JSON.stringify(summaryJson(summary), null, 2));
  else p.out(options.markdown ? summaryMarkdown(summary) : summaryText(summary));
  // In GitHub Actions, the markdown goes to the job summary as well.
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    const { appendFile } = await import('node:fs/promises');
    await appendFile(summaryFile, summaryMarkdown(summary) + '\n');
  }
  return summary.ok ? 0 : 1;
}
