import type { CommandContext } from './command.js';
import { waitExitCode, waitOutput } from './wait.js';

export async function run({ options, migrator, where, p }: CommandContext): Promise<number> {
  const report = await migrator.wait(options.wait!);
  const shown = waitOutput(report, where, options.json, p.style);
  (shown.stream === 'out' ? p.out : p.err)(shown.text);
  return waitExitCode(report);
}
