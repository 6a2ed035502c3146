import { Migrator, PgshiftError, connectionFromEnv, errorJson, type MigratorEvent } from '../index.js';
import { describeConnection, formatConnection } from '../frontend/format.js';
import { directoryFrom } from '../frontend/dir-origin.js';
import { loadConfigFile } from '../frontend/layers.js';
import { unexpectedError } from '../frontend/problems.js';
import { progressLine } from '../frontend/progress.js';
import { redactor, runSecrets } from '../frontend/secrets.js';
import { CLI_WORDS } from '../frontend/words.js';
import { VERSION } from '../version.js';
import { configToRead, parseArgs, type CliOptions } from './args.js';
import type { Env } from './command.js';
import { COMMANDS } from './commands.js';
import { formatError, makeStyle, paintWith, type Style } from './output.js';
import { missingPermission } from './deno.js';
import { skippedDriftHint } from './drift-output.js';
import { exitCodeOf } from './words.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
}

/** argv → options → engine → text or JSON. Returns the exit code; never throws. */
export async function runCli(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  if (argv[0] === 'fleet') return (await import('./fleet.js')).runFleetCli(argv.slice(1), env, io, colourWanted);
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
    if (options.command === 'help') return (out((await import('./help.js')).helpText(options.helpFor)), 0);
    if (options.command === 'version') return (out(VERSION), 0);
    const connection = options.databaseUrl ?? connectionFromEnv(env);
    // The same parts as the action masks: PGPASSWORD too, which node-postgres falls back to for a URL without a password.
    redact = redactor(runSecrets({ env, connection, scratchUrl: options.verify?.scratchUrl ?? options.drift?.scratchUrl }));
    if (options.listRules) return (await import('./command-rules.js')).listRules(options, { out, err, style });
    const migrator = new Migrator({
      ...options.settings,
      ...(options.dirFrom !== undefined && { source: directoryFrom(options.settings.dir, options.dirFrom) }),
      connection,
      lint: options.lint,
      ...(!options.json && { onEvent: progress(err, out, style, io) }),
    });
    const where = connection === undefined ? 'no database' : formatConnection(describeConnection(connection));
    const command = await COMMANDS[options.command]();
    return await command.run({ options, migrator, where, p: { out, err, style }, env });
  } catch (error) {
    const refused = missingPermission(error);
    if (refused !== undefined) return (err(`error: ${refused}`), 2);
    const failure = error instanceof PgshiftError ? error : unexpectedError(error);
    if (options?.json ?? jsonRequested) out(JSON.stringify({ ok: false, error: errorJson(failure, CLI_WORDS) }, null, 2));
    else err(formatError(failure, style));
    return exitCodeOf(failure);
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
