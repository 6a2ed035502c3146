import { statusJson } from '../index.js';
import { errorsOf } from '../frontend/problems.js';
import { CLI_WORDS } from '../frontend/words.js';
import { showWith, type CommandContext } from './command.js';
import { formatStatus } from './output.js';
import { inputFailure } from './words.js';

export async function run({ options, migrator, where, p }: CommandContext): Promise<number> {
  const status = await migrator.status();
  showWith(options, p)(
    () => statusJson(status, CLI_WORDS),
    () => formatStatus(status, where, p.style),
  );
  // --check, a deploy gate: 3 when something is pending, once nothing worse is found.
  return inputFailure(status.problems) ?? (errorsOf(status.problems).length > 0 ? 1 : options.check && status.pendingCount > 0 ? 3 : 0);
}
