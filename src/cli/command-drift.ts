import { driftJson, driftOptions } from '../frontend/drift.js';
import { CLI_WORDS } from '../frontend/words.js';
import { showWith, type CommandContext } from './command.js';
import { formatDrift } from './drift-output.js';
import { inputFailure } from './words.js';

export async function run({ options, migrator, where, p, env }: CommandContext): Promise<number> {
  const report = await migrator.drift(driftOptions(options.drift ?? {}, env));
  showWith(options, p)(
    () => driftJson(report, CLI_WORDS),
    () => formatDrift(report, where, p.style),
  );
  return inputFailure(report.problems) ?? (report.ok ? 0 : 1);
}
