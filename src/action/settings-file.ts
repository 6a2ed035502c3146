/**
 * Which config file the action reads, and as whose: on a pull request the
 * base commit's, so that the pull request cannot change the settings of its
 * own check; elsewhere the checkout's.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PgshiftError, type Problem } from '../index.js';
import { DEFAULT_CONFIG_FILE, loadConfigFile, type CheckedConfig } from '../frontend/layers.js';
import { readConfigAt } from '../frontend/lint.js';
import { failAll, problem } from '../frontend/problems.js';
import type { Base } from '../frontend/verify.js';
import { isUnmergedEvent, type EventInfo } from './event.js';
import type { ActionInputs } from './inputs.js';

/**
 * The config file a run reads. On a pull request (or a merge queue's entry), whatever the command,
 * it is the base commit's: the pull request must not change how its own
 * check runs (its directory, its table, its lint), so its own copy is never
 * read, and a change to it is a warning, shown in the comment and annotated
 * on the file. When the base cannot be read (the workspace is not a git
 * checkout), no file is read, and a warning says so if the workspace has
 * one. On any other event (a push to the default branch: merged code) the
 * workspace's file is read.
 */
export async function settingsFile(
  inputs: ActionInputs,
  event: EventInfo,
  base: Base | PgshiftError | undefined,
  cwd: string,
): Promise<{ readonly file?: CheckedConfig; readonly warnings: readonly Problem[] }> {
  if (!isUnmergedEvent(event) || base === undefined) return { file: await loadConfigFile(inputs.config), warnings: [] };
  const name = inputs.config ?? DEFAULT_CONFIG_FILE;
  if (base instanceof PgshiftError) {
    if (inputs.config === undefined && !existsSync(resolve(cwd, name))) return { warnings: [] };
    const message = `${name} is not read: on a pull request it is read as the base commit has it, so that the pull request cannot change the settings of its own check, and the base cannot be read here (${base.message})`;
    const hint = `give the settings as inputs, or check the repository out with git (actions/checkout) so that the base's ${name} can be read`;
    return { warnings: [problem('INVALID_OPTION', message, { severity: 'warning', file: name, hint })] };
  }
  const read = await readConfigAt(base.commit, inputs.config, cwd).catch((error: unknown) => {
    // The base's copy is what counts, so fixing it in this pull request cannot help: say where it is broken.
    if (!(error instanceof PgshiftError)) throw error;
    const fix = `fix it on ${base.name} (a pull request's own change applies only after it is merged), or name another file with the config input`;
    const refused = `the configuration as ${base.name} has it is refused`;
    throw failAll(
      error.problems.map((p) => ({ ...p, message: `${refused}: ${p.message}`, hint: p.hint === undefined ? fix : `${p.hint}; ${fix}` })),
      `${refused}: ${error.message}`,
    );
  });
  // Named as the base has it, so that an error about a value says where to correct it.
  const file: CheckedConfig = { file: `${read.file} on ${base.name}`, config: read.config, problems: [] };
  if (!read.changed) return { file, warnings: [] };
  const refused = read.changedInvalid === undefined ? '' : `; as changed it would be refused: ${read.changedInvalid}`;
  const message = `${read.file} changes in this pull request; this check used the base's configuration, the change applies from the next pull request on${refused}`;
  const hint = `${read.file} is read from ${base.name}, so that a pull request cannot change the settings of its own check`;
  return { file, warnings: [problem('INVALID_OPTION', message, { severity: 'warning', file: read.file, hint })] };
}
