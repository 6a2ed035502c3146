import { earlierContents } from '../index.js';
import { repairJson } from '../frontend/json.js';
import { CLI_WORDS } from '../frontend/words.js';
import { showWith, type CommandContext } from './command.js';
import { formatRepair } from './verify-output.js';

export async function run({ options, migrator, where, p }: CommandContext): Promise<number> {
  const report = await migrator.repair({
    ...(options.dryRun && { dryRun: true }),
    earlier: (file) => earlierContents(file.path),
  });
  showWith(options, p)(
    () => repairJson(report, CLI_WORDS),
    () => formatRepair(report, where, p.style),
  );
  return report.ok ? 0 : 1;
}
