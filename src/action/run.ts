import { readFileSync } from 'node:fs';
import {
  Migrator,
  PgshiftError,
  connectionFromEnv,
  defaultBase,
  describeConnection,
  fail,
  formatConnection,
  gitSource,
  hintFor,
  progressLine,
  readConfigFile,
  redactor,
  secretsOf,
  unexpectedError,
  type ConnectionInput,
  type Problem,
  type VerifyOptions,
} from '../index.js';
import { annotationsOf, distinct, failureLine } from './annotations.js';
import { commentMarker, renderPlanComment } from './comment.js';
import { pullRequestBase } from './base.js';
import { chooseCommand, eventInfo, isPullRequestEvent, type EventInfo } from './event.js';
import { execute, type Outcome } from './execute.js';
import { versionCollisions } from './collisions.js';
import { commentsApi } from './github-api.js';
import { parseInputs, type ActionInputs } from './inputs.js';
import type { ActionIo } from './io.js';
import { text } from './markdown.js';
import { outputsOf } from './outputs.js';
import { publishComment, type PublishResult } from './pr-comment.js';
import { redacting } from './secrets.js';
import { renderSummary } from './summary.js';
import { renderVerifyComment } from './verify-comment.js';
import { ACTION_WORDS } from './words.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * inputs → engine → annotations, PR comment, outputs, job summary. Never
 * throws; a failure goes to `setFailed`, which sets the exit code and lets
 * the engine close its connection (and so free its lock) on the way out.
 */
export async function run(rawIo: ActionIo, env: Env): Promise<void> {
  // Mask before anything can be logged: the connection (from the input, else
  // DATABASE_URL / PG*) and each encoded or decoded form of its password.
  const given = rawIo.getInput('connection');
  const connection: ConnectionInput | undefined = given || connectionFromEnv(env);
  const token = rawIo.getInput('github-token');
  // Values under 3 characters are not masked: masking `x` would blank every x in the log.
  const secrets = [...secretsOf(connection), ...(token ? [token] : [])].filter((s) => s.length >= 3);
  for (const secret of secrets) rawIo.setSecret(secret);
  // Everything pgshift says is redacted where it is made (problems, logs, outputs). The comment and the
  // summary are redacted for the connection string only: masking a common password (postgres) in them
  // would garble the SQL they show (OWNER TO ***), and Markdown escaping could undo masking done after it.
  const redact = redactor(secrets);
  const redactUrl = redactor(
    typeof connection === 'string' ? [connection] : connection?.connectionString ? [connection.connectionString] : [],
  );
  const io = redacting(rawIo, redact, redactUrl);

  try {
    const inputs = parseInputs(io.getInput);
    const event = eventInfo(env.GITHUB_EVENT_NAME ?? '', readPayload(env.GITHUB_EVENT_PATH, io), env);
    const choice = chooseCommand(inputs.command, event, inputs.allowApplyOnPullRequest);
    if (connection === undefined && choice.command !== 'validate' && choice.command !== 'verify') {
      throw fail('INVALID_OPTION', 'no database to connect to: the connection input is empty and DATABASE_URL is not set', {
        hint: 'pass connection: ${{ secrets.DATABASE_URL }} (a postgres:// URL)',
      });
    }
    const where = connection === undefined ? undefined : describeConnection(connection);
    // The host and port only: the runner masks a password wherever it appears, and a database named like a common one would read ***.
    const { dir, table } = inputs.settings;
    const on = where?.host
      ? ` on ${formatConnection({ host: where.host, ...(where.port !== undefined && { port: where.port }) })}`
      : choice.command === 'verify'
        ? ' on a scratch server'
        : '';
    io.info(`pgshift ${choice.command}${on} (${choice.reason}); migrations in ${dir}, table ${table}`);

    const config = await readConfigFile(inputs.config);
    const migrator = new Migrator({
      ...inputs.settings,
      connection,
      lint: { ...config.lint, mode: inputs.lint },
      onEvent: (e) => {
        const line = progressLine(e);
        if (line) io.info(line.text);
      },
    });
    const cwd = process.cwd();
    const verifying = choice.command === 'verify' ? await verifyOptions(inputs, event, env, cwd, connection) : undefined;
    if (verifying) io.info(`verifying against ${verifying.baseName}`);
    const outcome = await execute(migrator, choice.command, {
      steps: inputs.steps,
      ...(inputs.target !== undefined && { target: inputs.target }),
      ...(verifying && { verify: verifying }),
      production: connection !== undefined,
    });
    const clashes =
      outcome.verify && event.pullRequest && token && event.repository
        ? await versionCollisions({
            graphqlUrl: env.GITHUB_GRAPHQL_URL || `${(env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')}/graphql`,
            token,
            repository: event.repository,
            baseRef: event.pullRequest.baseRef ?? '',
            number: event.pullRequest.number,
            dir,
            added: outcome.verify.migrations,
          })
        : [];
    const problems = distinct([...outcome.problems, ...clashes]).map((p) => redactProblem(p, redact));
    const findings = (outcome.findings ?? []).map((p) => redactProblem(p, redact));
    const paths = { workspace: env.GITHUB_WORKSPACE || process.cwd(), cwd: process.cwd() };
    // Accepted findings are in the comment, not annotated on the file.
    const annotated = [...problems, ...findings.filter((f) => f.lint?.acknowledged === undefined)];
    for (const annotation of annotationsOf(annotated, paths)) {
      // A step that passes (status reporting a drifted history, say) warns; red marks are for a failed step.
      io.annotate(outcome.ok && annotation.level === 'error' ? { ...annotation, level: 'warning' } : annotation);
    }

    // plan and verify say the same in the pull request comment and the job summary (all of it there: a fork's pull request gets no comment).
    const context = { inputs, event, outcome, problems, findings, env, token, redactUrl };
    const body = choice.command === 'plan' || choice.command === 'verify' ? reportBody(context) : undefined;
    const comment = body !== undefined && event.pullRequest && inputs.comment ? await publish(context, body) : undefined;
    if (comment?.kind === 'failed') io.annotate({ level: 'warning', title: 'pgshift: no PR comment', message: comment.warning });
    else if (comment?.kind === 'created' || comment?.kind === 'updated') io.info(`plan comment ${comment.kind}: ${comment.url}`);

    const commentUrl = comment?.kind === 'created' || comment?.kind === 'updated' ? comment.url : undefined;
    for (const [name, value] of Object.entries(outputsOf(outcome, commentUrl))) io.setOutput(name, value);
    await io
      .writeSummary(
        renderSummary({
          outcome,
          reason: choice.reason,
          dir,
          table,
          problems,
          ...(body !== undefined && { body: body.slice(body.indexOf('\n') + 1) }),
          ...(commentUrl !== undefined && { commentUrl }),
          ...(comment?.kind === 'failed' && { commentWarning: comment.warning }),
        }),
      )
      .catch((error: unknown) => io.info(`could not write the job summary: ${String(error)}`));

    if (outcome.ok) io.info(`pgshift ${choice.command}: done`);
    else io.setFailed(outcome.failure ?? `${choice.command} failed`);
  } catch (thrown) {
    // Bad inputs or a refused command (before the database is touched), or a runner file that cannot be written.
    const error = thrown instanceof PgshiftError ? thrown : unexpectedError(thrown);
    const reason = failureLine(error);
    const hint = hintFor(error.problem, ACTION_WORDS);
    await io.writeSummary(`## ❌ pgshift failed\n\n${text(reason)}${hint ? `\n\nhint: ${text(hint)}` : ''}\n`).catch(() => {});
    io.setFailed(reason);
  }
}

interface CommentContext {
  readonly inputs: ActionInputs;
  readonly event: EventInfo;
  readonly outcome: Outcome;
  readonly problems: Outcome['problems'];
  readonly findings: readonly Problem[];
  readonly env: Env;
  readonly token: string;
  /** The connection string masked; everything else was redacted where it was made. */
  readonly redactUrl: (text: string) => string;
}

/** The base to verify against and the server to prove on, from the inputs, the event and the checkout. */
async function verifyOptions(
  inputs: ActionInputs,
  event: EventInfo,
  env: Env,
  cwd: string,
  production: ConnectionInput | undefined,
): Promise<VerifyOptions> {
  const given = inputs.verify;
  const base = isPullRequestEvent(event)
    ? await pullRequestBase(event, given.base, cwd)
    : { commit: given.base ?? (await defaultBase(cwd)), name: given.base ?? 'the merge base with the default branch' };
  return {
    base: gitSource({ ref: base.commit, dir: inputs.settings.dir, cwd }),
    baseName: base.name,
    scratchUrl: given.scratchUrl,
    postgresBin: given.postgresBin,
    postgresVersion: given.postgresVersion,
    tempRoot: env.RUNNER_TEMP || undefined,
    env,
    // With a connection, the findings name the size of the tables they are about there.
    ...(production !== undefined && { production }),
  };
}

/** The plan or verify report as the comment shows it, the hidden marker first. */
function reportBody(c: CommentContext): string {
  const { dir, table } = c.inputs.settings;
  const marker = commentMarker(dir, table);
  const { plan, failure, verify } = c.outcome;
  const sha = c.event.pullRequest?.headSha;
  if (verify) {
    return renderVerifyComment({
      marker,
      dir,
      table,
      report: verify,
      problems: c.problems,
      findings: c.findings,
      ...(sha !== undefined && { sha }),
      ...(plan && { production: { plan } }),
    });
  }
  return renderPlanComment({
    marker,
    dir,
    table,
    ...(plan && { plan }),
    problems: c.problems,
    findings: c.findings,
    ...(failure !== undefined && { failure }),
    ...(sha !== undefined && { sha }),
  });
}

async function publish(c: CommentContext, body: string): Promise<PublishResult> {
  if (!c.token)
    return { kind: 'failed', warning: 'no github-token: the report is in the job summary only; pass github-token: ${{ github.token }}' };
  if (!c.event.repository)
    return {
      kind: 'failed',
      warning: 'GITHUB_REPOSITORY is not set, so the pull request is unknown; the report is in the job summary only',
    };
  const { plan, failure, verify } = c.outcome;
  const api = commentsApi({ apiUrl: c.env.GITHUB_API_URL || 'https://api.github.com', token: c.token, repository: c.event.repository });
  // A new comment for something to look at; "nothing pending" only replaces an earlier one.
  const worthNew =
    (plan?.pending.length ?? 0) > 0 || (verify?.migrations.length ?? 0) > 0 || c.problems.length > 0 || failure !== undefined;
  const marker = commentMarker(c.inputs.settings.dir, c.inputs.settings.table);
  return publishComment(api, { issue: c.event.pullRequest!.number, marker, body: c.redactUrl(body), createIfMissing: worthNew });
}

/** A problem with every form of every secret masked in its texts, before any escaping for Markdown. */
function redactProblem(p: Problem, redact: (text: string) => string): Problem {
  return {
    ...p,
    message: redact(p.message),
    ...(p.hint !== undefined && { hint: redact(p.hint) }),
    ...(p.server && {
      server: {
        ...p.server,
        ...(p.server.detail !== undefined && { detail: redact(p.server.detail) }),
        ...(p.server.hint !== undefined && { hint: redact(p.server.hint) }),
        ...(p.server.where !== undefined && { where: redact(p.server.where) }),
      },
    }),
  };
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
