import { readFileSync } from 'node:fs';
import { Migrator, PgshiftError, connectionFromEnv, hintFor, type ConnectionInput } from '../index.js';
import { directoryFrom } from '../frontend/dir-origin.js';
import { describeConnection, formatConnection, formatDuration, formatProblem } from '../frontend/format.js';
import { fail, isAccepted, unexpectedError } from '../frontend/problems.js';
import { progressLine } from '../frontend/progress.js';
import { redactor, runSecrets, secretForms } from '../frontend/secrets.js';
import { defaultBase, verifyOptions, type Base } from '../frontend/verify.js';
import { ACTION_WORDS } from '../frontend/words.js';
import { annotationsOf, distinct, failureLine } from './annotations.js';
import { pullRequestBase } from './base.js';
import { chooseCommand, eventInfo, isUnmergedEvent, type EventInfo } from './event.js';
import { execute, type Outcome } from './execute.js';
import { collisionsOf } from './collisions.js';
import { actionSettings, parseInputs, type ActionInputs } from './inputs.js';
import { settingsFile } from './settings-file.js';
import type { ActionIo } from './io.js';
import { text } from './markdown.js';
import { outputsOf } from './outputs.js';
import { markdownForms, redactDeep, redacting } from './secrets.js';
import { renderSummary } from './summary.js';
import { publish, reportBody, runUrlOf, summaryBody } from './report.js';
import { appendixOf, reportBack } from './report-back.js';
import { verifyFleet } from './verify-fleet.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * inputs → engine → annotations, PR comment, outputs, job summary. Never
 * throws; a failure goes to `setFailed`, which sets the exit code and lets
 * the engine close its connection (and so free its lock) on the way out.
 */
export async function run(rawIo: ActionIo, env: Env): Promise<void> {
  // Mask before anything can be logged: the connection (from the input, else DATABASE_URL / PG*), PGPASSWORD,
  // the token and the scratch server's password, each in every form (values under 3 characters are not masked).
  const given = rawIo.getInput('connection');
  const connection: ConnectionInput | undefined = given || connectionFromEnv(env);
  const token = rawIo.getInput('github-token');
  const secrets = runSecrets({ connection, env, token, scratchUrl: rawIo.getInput('scratch-url') });
  for (const form of secretForms(secrets)) rawIo.setSecret(form);
  // Everything pgshift says is redacted where it is made (the outcome, problems, logs, outputs), before any
  // Markdown escaping could split a secret; the comment and the summary are redacted whole once more, escaped
  // forms included. A common password (postgres) then shows as *** in their SQL too (OWNER TO ***): a public
  // comment must not hold it.
  const redact = redactor(secrets);
  const redactMarkdown = redactor(markdownForms(secrets));
  const io = redacting(rawIo, redact, redactMarkdown);

  try {
    const prepared = await prepare(io, env, connection);
    const { inputs, choice, base, settings, migrator } = prepared;
    const { dir } = settings.settings;
    const cwd = process.cwd();
    // verify's fleet: its targets' passwords masked before anything about them can be logged.
    const looked =
      choice.command === 'verify'
        ? await verifyFleet({
            ...prepared,
            settings: settings.settings,
            env,
            connection,
            base: isUnmergedEvent(prepared.event) ? base : undefined,
            cwd,
          })
        : { secrets: [], warnings: [] };
    for (const form of secretForms(looked.secrets)) rawIo.setSecret(form);
    const verifying = base && {
      ...verifyOptions(settings.verify, { base, dir, env, cwd, production: connection }),
      ...(looked.fleet && { fleet: looked.fleet }),
    };
    if (verifying) io.info(`verifying against ${verifying.baseName}`);
    const executed = await execute(migrator, choice.command, {
      steps: inputs.steps,
      ...(inputs.target !== undefined && { target: inputs.target }),
      ...(verifying && { verify: verifying }),
      production: connection !== undefined,
      drift: settings.drift,
    });
    // Every text of the outcome redacted here, before anything renders it: a table named like the password, say.
    const outcome = redactDeep(executed, looked.secrets.length > 0 ? redactor([...secrets, ...looked.secrets]) : redact);
    const warnings = [...prepared.warnings, ...looked.warnings];
    await report(io, env, { ...prepared, warnings }, outcome, { token, redact, redactMarkdown });
  } catch (thrown) {
    await reportFailure(io, thrown, redact);
  }
}

/** The command to run, with its settings and its Migrator: from the inputs, the event, PGSHIFT_* and the config file. */
async function prepare(io: ActionIo, env: Env, connection: ConnectionInput | undefined) {
  const inputs = parseInputs(io.getInput);
  const event = eventInfo(env.GITHUB_EVENT_NAME ?? '', readPayload(env.GITHUB_EVENT_PATH, io), env);
  const choice = chooseCommand(inputs.command, event, inputs.allowApplyOnPullRequest);
  if (connection === undefined && choice.command !== 'validate' && choice.command !== 'verify') {
    throw fail('INVALID_OPTION', 'no database to connect to: the connection input is empty and DATABASE_URL is not set', {
      hint: 'pass connection: ${{ secrets.DATABASE_URL }} (a postgres:// URL)',
    });
  }
  const cwd = process.cwd();
  const base = choice.command === 'verify' ? await verifyBase(inputs, event, cwd) : undefined;
  // On a pull request, the commit whose config file counts: verify's base, for any other command found as verify finds it.
  const configAt =
    base ??
    (isUnmergedEvent(event)
      ? await pullRequestBase(event, inputs.base, cwd).catch((error: unknown) => {
          if (error instanceof PgshiftError) return error;
          throw error;
        })
      : undefined);
  // The settings as the CLI reads them: inputs over PGSHIFT_* over the config file over the defaults.
  const { file, warnings } = await settingsFile(inputs, event, configAt, cwd);
  const settings = actionSettings(inputs, env, file, choice.command);
  const { dir, table } = settings.settings;

  const where = connection === undefined ? undefined : describeConnection(connection);
  // The host and port only: the runner masks a password wherever it appears, and a database named like a common one would read ***.
  const host = where?.host ? formatConnection({ host: where.host, ...(where.port !== undefined && { port: where.port }) }) : undefined;
  const on = host ? ` on ${host}` : choice.command === 'verify' ? ' on a scratch server' : '';
  const { lockTimeoutMs, lockRetries } = settings.settings;
  const locks =
    choice.command === 'migrate' || choice.command === 'rollback'
      ? `; lock timeout ${lockTimeoutMs ? formatDuration(lockTimeoutMs) : "the server's"}, ${lockRetries ?? 0} lock retries`
      : '';
  io.info(`pgshift ${choice.command}${on} (${choice.reason}); migrations in ${dir}, table ${table}${locks}`);

  const migrator = new Migrator({
    ...settings.settings,
    ...(settings.dirFrom !== undefined && { source: directoryFrom(dir, settings.dirFrom) }),
    connection,
    lint: settings.lint,
    onEvent: (e) => {
      const line = progressLine(e);
      if (line) io.info(line.text);
    },
  });
  return { inputs, event, choice, base, settings, migrator, warnings, host, file };
}

/** What the run tells: annotations, the pull request's comment, outputs, the job summary, and the step's failure. */
async function report(
  io: ActionIo,
  env: Env,
  { inputs, event, choice, settings, warnings, host }: Awaited<ReturnType<typeof prepare>>,
  outcome: Outcome,
  {
    token,
    redact,
    redactMarkdown,
  }: { readonly token: string; readonly redact: (text: string) => string; readonly redactMarkdown: (text: string) => string },
): Promise<void> {
  const { dir, table } = settings.settings;
  const clashes = await collisionsOf(event, outcome, { env, token, dir });
  const problems = redactDeep(distinct([...outcome.problems, ...clashes, ...warnings]), redact);
  const findings = outcome.findings ?? [];
  const paths = { workspace: env.GITHUB_WORKSPACE || process.cwd(), cwd: process.cwd() };
  // Accepted findings are in the comment, not annotated on the file.
  const annotated = [...problems, ...findings.filter((f) => !isAccepted(f))];
  for (const annotation of annotationsOf(annotated, paths)) {
    // A step that passes (status reporting a drifted history, say) warns; red marks are for a failed step.
    io.annotate(outcome.ok && annotation.level === 'error' ? { ...annotation, level: 'warning' } : annotation);
  }

  // plan and verify say the same in the pull request comment and the job summary (all of it there: a fork's pull request gets no comment).
  const context = {
    dir,
    table,
    inputs,
    event,
    outcome,
    problems,
    findings,
    lintMode: settings.lintMode,
    runUrl: runUrlOf(env),
    env,
    token,
    redactMarkdown,
  };
  const body = choice.command === 'plan' || choice.command === 'verify' ? reportBody(context) : undefined;
  const comment = body !== undefined && event.pullRequest && inputs.comment ? await publish(context, body) : undefined;
  if (comment?.kind === 'failed') io.annotate({ level: 'warning', title: 'pgshift: no PR comment', message: comment.warning });
  else if (comment?.kind === 'created' || comment?.kind === 'updated') io.info(`plan comment ${comment.kind}: ${comment.url}`);

  const commentUrl = comment?.kind === 'created' || comment?.kind === 'updated' ? comment.url : undefined;
  // After an apply on the default branch: the pull requests that brought it are told, in their comment.
  const back = await reportBack({
    event,
    outcome,
    dir,
    table,
    token,
    env,
    where: host?.replace(/\/$/, ''),
    runUrl: context.runUrl,
    redactMarkdown,
  });
  for (const note of back?.notes ?? []) io.info(note);
  for (const { number, result } of back?.pulls ?? []) {
    if (result.kind === 'failed') io.annotate({ level: 'warning', title: `pgshift: no report on #${number}`, message: result.warning });
    else if (result.kind !== 'skipped') io.info(`report back: the comment of #${number} ${result.kind}: ${result.url}`);
  }
  for (const [name, value] of Object.entries(outputsOf(outcome, commentUrl))) io.setOutput(name, value);
  await io
    .writeSummary(
      renderSummary({
        outcome,
        reason: choice.reason,
        dir,
        table,
        problems,
        ...(body !== undefined && { body: summaryBody(reportBody(context, 'summary')) }),
        ...(commentUrl !== undefined && { commentUrl }),
        ...(comment?.kind === 'failed' && { commentWarning: comment.warning }),
        ...(back && { appendix: appendixOf(back) }),
      }),
    )
    .catch((error: unknown) => io.info(`could not write the job summary: ${String(error)}`));

  if (outcome.ok) io.info(`pgshift ${choice.command}: done`);
  else io.setFailed(outcome.failure ?? `${choice.command} failed`);
}

/** Bad inputs or a refused command (before the database is touched), or a runner file that cannot be written. */
async function reportFailure(io: ActionIo, thrown: unknown, redact: (text: string) => string): Promise<void> {
  const error = thrown instanceof PgshiftError ? thrown : unexpectedError(thrown);
  // Masked before Markdown escaping, which could split a secret (and cuts long text).
  const reason = redact(failureLine(error));
  // Several (bad settings, say): each in the log and the summary with what to do, the step's failure naming the first.
  const each = error.problems.map((p) => {
    const hint = hintFor(p, ACTION_WORDS);
    return { line: redact(formatProblem(p)), ...(hint !== undefined && { hint: redact(hint) }) };
  });
  if (each.length > 1) for (const p of each) io.info(`${p.line}${p.hint ? `\n  hint: ${p.hint}` : ''}`);
  const body =
    each.length > 1
      ? `${text(reason)}\n\n${each.map((p) => `- ${text(p.line)}${p.hint ? `<br>↳ _${text(p.hint)}_` : ''}`).join('\n')}`
      : `${text(reason)}${each[0]?.hint ? `\n\nhint: ${text(each[0].hint)}` : ''}`;
  await io.writeSummary(`## ❌ pgshift failed\n\n${body}\n`).catch(() => {});
  io.setFailed(reason);
}

/** The base to verify against: the input's, a pull request's, else the merge base with the default branch. */
async function verifyBase(inputs: ActionInputs, event: EventInfo, cwd: string): Promise<Base> {
  const given = inputs.base;
  if (isUnmergedEvent(event)) return pullRequestBase(event, given, cwd);
  if (given !== undefined) return { commit: given, name: given };
  const search = { fetch: true, ...(event.defaultBranch !== undefined && { defaultBranch: event.defaultBranch }) };
  const found = await defaultBase(cwd, search);
  return { commit: found.commit, name: `the merge base with ${found.ref}` };
}

function readPayload(path: string | undefined, io: ActionIo): unknown {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    io.info(`could not read the event payload at ${path}: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
}
